using System.Security.Claims;
using Marten;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Records;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Records;

/// <summary>
/// A patient's allergies, checked at every prescription. A doctor records them (verified or not) while the patient is in
/// their open consultation, and marks them resolved; the patient (or their guardian) reports their own, unverified. Each
/// change is an event on the patient's stream beside the <see cref="Allergy"/> document it writes; each read goes
/// through <see cref="HealthRecords.Open"/> like any other record.
/// </summary>
public static class AllergyEndpoints
{
    public static void MapAllergies(this IEndpointRouteBuilder app)
    {
        var allergies = app.MapGroup("/api/patients/{patientId:guid}/allergies").WithTags("Health records").RequireAuthorization();
        allergies.MapGet("/", List)
            .WithSummary("The patient's allergies, active and resolved (the patient, their guardian, or a doctor who may read their records; audited).");
        allergies.MapPost("/", Record)
            .WithSummary("Doctor in an open consultation with the patient (may verify), or the patient themselves (unverified): record an allergy.");
        allergies.MapPost("/{allergyId:guid}/resolve", Resolve)
            .WithSummary("Doctor in an open consultation with the patient: mark an allergy resolved (no longer checked).");
    }

    public static async Task<IReadOnlyList<Allergy>> Active(IQuerySession db, Guid patientId, CancellationToken cancellationToken) =>
        await db.Query<Allergy>().Where(a => a.PatientId == patientId && a.ResolvedAt == null).ToListAsync(cancellationToken);

    /// <summary>The allergies the patient had on record at a moment (a consultation's end): recorded by then, resolved or not since.</summary>
    public static async Task<IReadOnlyList<Allergy>> AsOf(IQuerySession db, Guid patientId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await db.Query<Allergy>().Where(a => a.PatientId == patientId && a.RecordedAt <= at).OrderBy(a => a.RecordedAt).ToListAsync(cancellationToken);

    private static async Task<IResult> List(Guid patientId, ClaimsPrincipal user, IQuerySession db, HealthRecords records, CancellationToken cancellationToken)
    {
        if (await db.LoadAsync<PatientAccount>(patientId, cancellationToken) is null
            || await records.Open(user.ActorId(), patientId, null, $"patient/{patientId}/allergies", cancellationToken) is null)
        {
            return HealthRecords.NoAccess();
        }
        var all = await db.Query<Allergy>().Where(a => a.PatientId == patientId).OrderByDescending(a => a.RecordedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(all);
    }

    private static async Task<IResult> Record(
        Guid patientId, AllergyInput input, ClaimsPrincipal user, IQuerySession db, IDocumentStore store, AuditTrail audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var byDoctor = await Writer(patientId, user, db, cancellationToken);
        if (byDoctor is null)
        {
            await audit.Refused(user.ActorId(), $"patient/{patientId}/allergies", "record allergy", cancellationToken);
            return HealthRecords.NoAccess();
        }
        var errors = new FieldErrors();
        var allergy = AllergyRules.Parse(input, Ids.New(), patientId, user.ActorId(), byDoctor.Value, time.GetUtcNow(), errors);
        if (allergy is null)
        {
            return Problems.Invalid(errors);
        }
        await Journal.Save(store, session =>
        {
            session.Store(allergy);
            session.Events.Append(patientId, new AllergyRecorded(allergy));
        }, cancellationToken);
        return TypedResults.Created($"/api/patients/{patientId}/allergies", allergy);
    }

    private static async Task<IResult> Resolve(
        Guid patientId, Guid allergyId, ClaimsPrincipal user, IQuerySession db, IDocumentStore store, AuditTrail audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await Writer(patientId, user, db, cancellationToken) is not true)
        {
            await audit.Refused(user.ActorId(), $"patient/{patientId}/allergies/{allergyId}", "resolve allergy", cancellationToken);
            return HealthRecords.NoAccess();
        }
        var allergy = await db.LoadAsync<Allergy>(allergyId, cancellationToken);
        if (allergy is null || allergy.PatientId != patientId)
        {
            return Problems.NotFound("The patient has no such allergy on record.");
        }
        if (!allergy.Active)
        {
            return TypedResults.Ok(allergy);
        }
        var now = time.GetUtcNow();
        var resolved = allergy with { ResolvedAt = now, ResolvedBy = user.AccountId() };
        await Journal.Save(store, session =>
        {
            session.Store(resolved);
            session.Events.Append(patientId, new AllergyResolved(patientId, allergyId, user.AccountId(), now));
        }, cancellationToken);
        return TypedResults.Ok(resolved);
    }

    /// <summary>
    /// True for a doctor with the patient in an open consultation, false for the patient (or the guardian acting for
    /// them), null for anyone else.
    /// </summary>
    private static async Task<bool?> Writer(Guid patientId, ClaimsPrincipal user, IQuerySession db, CancellationToken cancellationToken)
    {
        if (user.IsInRole(Roles.Patient))
        {
            return user.AccountId() == patientId ? false : null;
        }
        var caller = user.AccountId();
        return user.IsInRole(Roles.Doctor) && await db.Query<CareContext>()
            .AnyAsync(c => c.PatientId == patientId && c.DoctorId == caller && c.Status == ConsultationStatus.Open, cancellationToken)
            ? true
            : null;
    }
}
