using System.Security.Claims;
using Marten;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Prescriptions;
using Telemed.Server.Records;

namespace Telemed.Server.Spokes;

/// <summary>A prescription a hub doctor wrote for a patient brought in at the pharmacy's spoke, waiting to be dispensed there.</summary>
public sealed record SpokePrescriptionView(Guid PrescriptionId, DateTimeOffset IssuedAt, string PatientName, string DoctorName, string HubName, bool Revoked, bool FullyDispensed);

/// <summary>
/// A spoke's own pharmacy receives the prescriptions of its spoke's assisted consultations: its pharmacists see them
/// listed and dispense them through the ordinary dispensing endpoints.
/// </summary>
public static class SpokePharmacyEndpoints
{
    public static void MapSpokePharmacy(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/pharmacy/spoke-prescriptions", List).WithTags("Pharmacy").RequireAuthorization(Roles.Pharmacist)
            .WithSummary("Pharmacist of a spoke's pharmacy: prescriptions from the spoke's assisted consultations, latest first.");

    private static async Task<IResult> List(ClaimsPrincipal user, IQuerySession db, HealthRecords records, TimeProvider time, CancellationToken cancellationToken)
    {
        var pharmacistId = user.AccountId();
        var pharmacy = await db.LoadAsync<StaffAccount>(pharmacistId, cancellationToken) is { Pharmacist: { } details }
            ? await db.LoadAsync<Pharmacy>(details.PharmacyId, cancellationToken)
            : null;
        if (pharmacy?.FacilityId is not { } spokeId)
        {
            return Problems.Forbidden("Your pharmacy is not a facility's own pharmacy, so no spoke sends prescriptions to it.");
        }
        var since = time.GetUtcNow().AddDays(-PrescriptionRules.DefaultValidityDays);
        var requests = await db.Query<SpokeRequest>().Where(r => r.SpokeId == spokeId && r.ConsultationId != null && r.At > since)
            .OrderByDescending(r => r.At).Take(200).ToListAsync(cancellationToken);
        var contexts = await db.LoadManyAsync<CareContext>(cancellationToken, requests.Select(r => r.ConsultationId!.Value));
        var views = new List<SpokePrescriptionView>();
        foreach (var context in contexts.Where(c => c.PrescriptionId is not null).OrderByDescending(c => c.EndedAt))
        {
            if (await PrescriptionEndpoints.Load(db, context.PrescriptionId!.Value, cancellationToken) is not { } prescription)
            {
                continue;
            }
            var content = prescription.Content;
            views.Add(new SpokePrescriptionView(prescription.Id, content.IssuedAt, content.Patient.Name, content.Doctor.Name, content.Facility.Name,
                prescription.RevocationReason is not null, prescription.FullyDispensed));
            await records.Logged(pharmacistId, context.PatientId, Domain.Records.RecordAccessBasis.Dispensing, $"prescription/{prescription.Id}", cancellationToken);
        }
        return TypedResults.Ok(views);
    }
}
