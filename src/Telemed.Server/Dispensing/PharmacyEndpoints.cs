using System.Security.Claims;
using JasperFx.Events;
using Marten;
using Telemed.Domain.Dispensing;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Prescriptions;
using Telemed.Server.Records;
using Telemed.Domain.Records;

namespace Telemed.Server.Dispensing;

public sealed record PrescriptionLine(int Line, PrescribedMedicine Medicine, int Dispensed, int Remaining);

/// <summary>Whom a prescription is for, as far as dispensing needs: no ids, no ABHA.</summary>
public sealed record DispensedTo(string Name, int AgeYears, Sex Sex);

/// <summary>
/// What dispensing needs of a prescription: when and where it was written, by whom, for whom, and the medicines. Not the
/// complaints, diagnosis, investigations or advice: those stay with the patient and their doctors.
/// </summary>
public sealed record DispensingContent(
    DateTimeOffset IssuedAt, DateOnly ValidUntil, FacilityDetails Facility, PrescriberDetails Doctor, DispensedTo Patient, IReadOnlyList<PrescribedMedicine> Medicines)
{
    public static DispensingContent Of(PrescriptionContent content) => new(
        content.IssuedAt, content.ValidUntil, content.Facility, content.Doctor,
        new DispensedTo(content.Patient.Name, content.Patient.AgeYears, content.Patient.Sex), content.Medicines);
}

/// <summary>What a registered pharmacist sees: the verdict, what dispensing needs of the content, and what has been handed out so far.</summary>
public sealed record PharmacyView(
    Guid PrescriptionId, long Version, Verdict Verdict, string Explanation, DateOnly ValidUntil, string? RevocationReason,
    DispensingContent Content, IReadOnlyList<PrescriptionLine> Lines, IReadOnlyList<PrescriptionDispensed> Dispensations, SignatureView Signature)
{
    public static PharmacyView Of(Prescription p, PrescriptionCheck check) => new(p.Id, p.Version, check.Verdict, Dispensation.Explain(check.Verdict), p.Content.ValidUntil,
        p.RevocationReason, DispensingContent.Of(p.Content), [.. p.Content.Medicines.Select((m, i) => new PrescriptionLine(i, m, p.Dispensed[i], p.Remaining(i)))],
        p.Dispensations, SignatureView.Of(check.Signature));
}

/// <summary>A stored prescription's verdict and what its signatures say (which one failed, whose key signed).</summary>
public sealed record PrescriptionCheck(Verdict Verdict, SignatureVerdict Signature);

/// <summary>
/// Who signed, for a verifier's screen: the doctor's HPR id when the doctor's own key signed; <see cref="FacilityKeyOnly"/>
/// for a prescription from before doctors' keys; <see cref="Doctor"/> and <see cref="Facility"/> name the failing signature's problem.
/// </summary>
public sealed record SignatureView(bool Holds, bool FacilityKeyOnly, string? DoctorHprId, SignatureProblem? Doctor, SignatureProblem? Facility, string Explanation)
{
    public static SignatureView Of(SignatureVerdict verdict) =>
        new(verdict.Holds, verdict.FacilityKeyOnly, verdict.DoctorHprId, verdict.Doctor, verdict.Facility, verdict.Explain());
}

public sealed record VerifyRequest(string? Jws);

public sealed record DispenseRequest(Guid? RequestId, IReadOnlyList<DispenseInput>? Lines);

/// <summary>The calling pharmacist's pharmacy; <c>FacilityOwn</c>: a facility's own, with stock and its spoke's prescriptions.</summary>
public sealed record OwnPharmacyView(Guid Id, string Name, bool FacilityOwn);

public sealed record PharmacyActivity(string Id, Guid PharmacistId, Guid PrescriptionId, DateTimeOffset LastSeenAt);

/// <summary>
/// Registered pharmacists check prescriptions (by id from the QR code, or by the JWS itself) and record what they hand out.
/// A dispense appends to the prescription stream with its expected version: two pharmacies at the same moment cannot both
/// take the last tablets; the loser gets 409 with the prescription as it now is. A facility's own pharmacy dispenses
/// from its stock (<see cref="PharmacyStocks"/>), in the same transaction.
/// </summary>
public static class PharmacyEndpoints
{
    public static void MapPharmacy(this IEndpointRouteBuilder app)
    {
        var pharmacy = app.MapGroup("/api/pharmacy").WithTags("Pharmacy").RequireAuthorization(Roles.Pharmacist);
        pharmacy.MapGet("", Own)
            .WithSummary("My pharmacy: its name and whether it is a facility's own (which keeps its stock here and receives its spoke's prescriptions).");
        pharmacy.MapGet("/prescriptions", Mine).WithSummary("Prescriptions I checked or dispensed, latest first.");
        pharmacy.MapGet("/prescriptions/{prescriptionId:guid}", Check).WithSummary("Verify a prescription by id: verdict, content, dispensed so far.");
        pharmacy.MapPost("/verify", VerifyJws).WithSummary("Verify a prescription from its JWS (e.g. pasted or read offline).");
        pharmacy.MapPost("/prescriptions/{prescriptionId:guid}/dispensations", Dispense)
            .WithSummary("Record what was handed out, per line (idempotent by requestId; never beyond the prescribed quantity, nor beyond a facility pharmacy's stock).");
        app.MapPharmacyStock();
        // The short form SMS carry (an SMS variable holds at most 30 characters).
        app.MapGet("/v/{shortId}", (string shortId) => Ids.FromCompact(shortId) is { } prescriptionId
                ? Results.Redirect($"/verify/{prescriptionId}")
                : Problems.NotFound("This is not a prescription link Telemed sent."))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/api/verify/{prescriptionId:guid}", PublicVerification.Get).AllowAnonymous().RequireRateLimiting(Security.VerificationLimit).WithTags("Pharmacy")
            .WithSummary("Public: is this prescription authentic? Doctor and date only; no medicines, no patient details beyond initials and age.");
    }

    /// <summary>The page asks this first, so that it asks for the stock and the spoke's prescriptions only where they exist.</summary>
    private static async Task<IResult> Own(ClaimsPrincipal user, IQuerySession session, CancellationToken cancellationToken) =>
        await PharmacyOf(session, user, cancellationToken) is { } pharmacy
            ? TypedResults.Ok(new OwnPharmacyView(pharmacy.Id, pharmacy.Name, PharmacyStocks.KeepsStock(pharmacy)))
            : NotAttached();

    private static async Task<IResult> Check(
        Guid prescriptionId, ClaimsPrincipal user, IDocumentStore store, PrescriptionKeys keys, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        if (await PharmacyOf(session, user, cancellationToken) is null)
        {
            return NotAttached();
        }
        var prescription = await PrescriptionEndpoints.Load(session, prescriptionId, cancellationToken);
        if (prescription is null)
        {
            return Problems.NotFound("There is no such prescription.");
        }
        return TypedResults.Ok(await Seen(store, user.AccountId(), prescription, await Verdict(session, prescription, keys, time, cancellationToken), time, cancellationToken));
    }

    private static async Task<IResult> VerifyJws(
        VerifyRequest request, ClaimsPrincipal user, IDocumentStore store, PrescriptionKeys keys, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        if (await PharmacyOf(session, user, cancellationToken) is null)
        {
            return NotAttached();
        }
        // The doctor's JWS (its doctor's key) or one from before doctors' keys (a facility key); the stored record's
        // countersignature is judged with the verdict below.
        var doctorKey = await DoctorKeys.Resolver(session, request.Jws, cancellationToken);
        var verified = PrescriptionSignature.Verify(request.Jws, kid => doctorKey(kid)?.Key ?? keys.VerificationKey(kid));
        if (!verified.IsSuccess)
        {
            var why = verified.Error == SignatureProblem.Malformed ? "This is not a Telemed prescription signature (JWS)." : Dispensation.Explain(Domain.Dispensing.Verdict.InvalidSignature);
            return TypedResults.Problem(why, statusCode: StatusCodes.Status422UnprocessableEntity, title: "InvalidSignature",
                extensions: new Dictionary<string, object?> { ["code"] = "InvalidSignature", ["signatureProblem"] = verified.Error.ToString() });
        }
        var prescription = await PrescriptionEndpoints.Load(session, verified.Value.Content.PrescriptionId, cancellationToken);
        if (prescription is null)
        {
            return Problems.NotFound("The signature is genuine but this server has no record of the prescription (issued by another Telemed deployment?).");
        }
        return TypedResults.Ok(await Seen(store, user.AccountId(), prescription, await Verdict(session, prescription, keys, time, cancellationToken), time, cancellationToken));
    }

    private static async Task<IResult> Dispense(
        Guid prescriptionId, DispenseRequest request, ClaimsPrincipal user, IDocumentStore store, PrescriptionKeys keys, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (request.RequestId is not { } requestId || requestId == Guid.Empty)
        {
            return Problems.Invalid("requestId", "Send a client-chosen requestId so a retried request dispenses once.");
        }
        await using var session = store.LightweightSession();
        if (await PharmacyOf(session, user, cancellationToken) is not { } pharmacy)
        {
            return NotAttached();
        }
        var prescription = await PrescriptionEndpoints.Load(session, prescriptionId, cancellationToken);
        if (prescription is null)
        {
            return Problems.NotFound("There is no such prescription.");
        }
        var now = time.GetUtcNow();
        var verdict = await Verdict(session, prescription, keys, time, cancellationToken);
        var decision = Dispensation.Dispense(prescription, verdict.Verdict, requestId, pharmacy.Id, user.AccountId(), request.Lines, now);
        if (!decision.IsSuccess)
        {
            return TypedResults.Problem(decision.Error.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: decision.Error.Code,
                extensions: new Dictionary<string, object?> { ["code"] = decision.Error.Code, ["current"] = PharmacyView.Of(prescription, verdict) });
        }
        var after = decision.Value.Aggregate(prescription, Prescription.Evolve);
        if (decision.Value.Count > 0)
        {
            if (PharmacyStocks.KeepsStock(pharmacy)
                && await PharmacyStocks.Take(session, pharmacy.Id, decision.Value.OfType<PrescriptionDispensed>().Single(), prescription, cancellationToken) is { } lacking)
            {
                return TypedResults.Problem(lacking.Message, statusCode: StatusCodes.Status409Conflict, title: lacking.Code,
                    extensions: new Dictionary<string, object?>
                    {
                        ["code"] = lacking.Code, ["onHand"] = lacking.OnHand, ["current"] = PharmacyView.Of(prescription, verdict),
                    });
            }
            session.Events.Append(prescriptionId, after.Version, [.. decision.Value]);
            Remember(session, user.AccountId(), prescriptionId, now);
            session.Events.StartStream(Ids.New(), Read(user.AccountId(), prescription, now));
            try
            {
                await session.SaveChangesAsync(cancellationToken);
            }
            catch (EventStreamUnexpectedMaxEventIdException)
            {
                await using var fresh = store.QuerySession();
                var current = (await PrescriptionEndpoints.Load(fresh, prescriptionId, cancellationToken))!;
                return TypedResults.Problem("Another dispense of this prescription was recorded at the same moment; check what remains and try again.",
                    statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                    extensions: new Dictionary<string, object?> { ["code"] = "Conflict", ["current"] = PharmacyView.Of(current, await Verdict(fresh, current, keys, time, cancellationToken)) });
            }
        }
        return TypedResults.Ok(PharmacyView.Of(after, await Verdict(session, after, keys, time, cancellationToken)));
    }

    private static async Task<IResult> Mine(
        ClaimsPrincipal user, IQuerySession db, IDocumentStore store, PrescriptionKeys keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var pharmacistId = user.AccountId();
        var seen = await db.Query<PharmacyActivity>().Where(a => a.PharmacistId == pharmacistId).OrderByDescending(a => a.LastSeenAt).Take(200)
            .ToListAsync(cancellationToken);
        var views = new List<PharmacyView>();
        await using var journal = store.LightweightSession();
        foreach (var activity in seen)
        {
            var prescription = (await PrescriptionEndpoints.Load(db, activity.PrescriptionId, cancellationToken))!;
            views.Add(PharmacyView.Of(prescription, await Verdict(db, prescription, keys, time, cancellationToken)));
            journal.Events.StartStream(Ids.New(), Read(pharmacistId, prescription, time.GetUtcNow()));
        }
        await journal.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(views);
    }

    /// <summary>
    /// The prescription's verdict: its doctor's signature against the doctor's key and the facility's countersignature
    /// against the facility keys (or, from before doctors' keys, the facility key's signature alone), over exactly the stored content.
    /// </summary>
    public static async Task<PrescriptionCheck> Verdict(IQuerySession db, Prescription prescription, PrescriptionKeys keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var signature = Countersignature.Verify(prescription.Jws, prescription.Countersignature, prescription.Content,
            await DoctorKeys.Resolver(db, prescription.Jws, cancellationToken), keys.VerificationKey);
        return new PrescriptionCheck(Dispensation.Check(prescription, signature.Holds, time.GetUtcNow()), signature);
    }

    /// <summary>The pharmacist's list remembers what they looked at; the check goes on their audit and on the patient's access log.</summary>
    private static async Task<PharmacyView> Seen(
        IDocumentStore store, Guid pharmacistId, Prescription prescription, PrescriptionCheck verdict, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        Remember(session, pharmacistId, prescription.Id, now);
        // Each check is a stream of its own (found by the audit index through the pharmacist's id): one pharmacy account
        // at many counters appended to one stream, and the load run's 25 checks a second fought over its next version.
        session.Events.StartStream(Ids.New(), new PrescriptionChecked(pharmacistId, prescription.Id, verdict.Verdict, now), Read(pharmacistId, prescription, now));
        await session.SaveChangesAsync(cancellationToken);
        return PharmacyView.Of(prescription, verdict);
    }

    /// <summary>A pharmacy's read on the patient's access log, in a stream of its own like the check (the log finds it by patient).</summary>
    private static RecordRead Read(Guid pharmacistId, Prescription prescription, DateTimeOffset now) =>
        new(prescription.Content.Patient.Id, pharmacistId, nameof(RecordAccessBasis.Dispensing), $"prescription/{prescription.Id}", now);

    private static void Remember(IDocumentSession session, Guid pharmacistId, Guid prescriptionId, DateTimeOffset now) =>
        session.Store(new PharmacyActivity($"{pharmacistId:N}:{prescriptionId:N}", pharmacistId, prescriptionId, now));

    /// <summary>The registered pharmacy the calling pharmacist works at, if any.</summary>
    internal static async Task<Pharmacy?> PharmacyOf(IQuerySession session, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await session.LoadAsync<StaffAccount>(user.AccountId(), cancellationToken))?.Pharmacist?.PharmacyId is { } id
            ? await session.LoadAsync<Pharmacy>(id, cancellationToken)
            : null;

    internal static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotAttached() =>
        Problems.Forbidden("Your account is not attached to a registered pharmacy; ask an admin to register it.");
}

/// <summary>A pharmacist checked a prescription (each check its own stream; the audit index finds them by pharmacist).</summary>
public sealed record PrescriptionChecked(Guid PharmacistId, Guid PrescriptionId, Verdict Verdict, DateTimeOffset At);
