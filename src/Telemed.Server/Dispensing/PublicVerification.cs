using Marten;
using Telemed.Domain;
using Telemed.Domain.Dispensing;
using Telemed.Server.Infrastructure;
using Telemed.Server.Prescriptions;

namespace Telemed.Server.Dispensing;

public sealed record PublicPrescriber(string Name, string Qualification, string RegistrationNumber, string StateCouncil, string HprId);

/// <summary>What anyone holding the QR code may learn: that the prescription is genuine, who signed it, when. No medicines.</summary>
public sealed record PublicVerificationView(
    Guid PrescriptionId, Verdict Verdict, string Explanation, DateOnly IssuedOn, DateOnly ValidUntil, PublicPrescriber Doctor, string Facility,
    string PatientInitials, int PatientAge, SignatureView Signature);

public static class PublicVerification
{
    /// <summary>Every look-up is audited (with the client's address), found or not: someone walking through ids shows up.</summary>
    public static async Task<IResult> Get(Guid prescriptionId, IDocumentStore store, PrescriptionKeys keys, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var prescription = await PrescriptionEndpoints.Load(session, prescriptionId, cancellationToken);
        var check = prescription is null ? null : await PharmacyEndpoints.Verdict(session, prescription, keys, time, cancellationToken);
        session.Events.StartStream(Ids.New(), new PrescriptionVerifiedPublicly(prescriptionId, check?.Verdict, time.GetUtcNow()));
        await session.SaveChangesAsync(cancellationToken);
        if (prescription is null || check is not { Verdict: var found })
        {
            return Problems.NotFound("There is no such prescription: it was not issued by this Telemed service.");
        }
        var content = prescription.Content;
        var doctor = content.Doctor;
        return TypedResults.Ok(new PublicVerificationView(prescription.Id, found, Dispensation.Explain(found),
            IndianTime.Day(content.IssuedAt), content.ValidUntil,
            new PublicPrescriber(doctor.Name, doctor.Qualification, doctor.RegistrationNumber, doctor.StateCouncil, doctor.HprId),
            content.Facility.Name, Initials(content.Patient.Name), content.Patient.AgeYears, SignatureView.Of(check.Signature)));
    }

    /// <summary>"Priya Sharma" → "P. S.": enough for the pharmacist to match the person in front of them, not to identify them.</summary>
    public static string Initials(string name) =>
        string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(part => char.IsSurrogate(part[0]) ? part[..2] + "." : part[..1] + "."));
}

/// <summary>Someone (anonymous) looked a prescription up on the public page; no verdict when there is no such prescription.</summary>
public sealed record PrescriptionVerifiedPublicly(Guid PrescriptionId, Verdict? Verdict, DateTimeOffset At);
