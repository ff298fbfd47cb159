using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Domain.Messages;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Consultations;
using Telemed.Server.Infrastructure;
using Telemed.Server.Messages;

namespace Telemed.Server.Prescriptions;

/// <summary>
/// Signs a completing consultation's prescription inside the queue's transaction and starts its stream; the patient is
/// told in the same transaction (SMS with the short verification link, and e-mail when they gave an address).
/// The doctor's own key signs, opened by the unlock token the completing request presented (<see cref="PresentedUnlock"/>),
/// and the facility key countersigns.
/// </summary>
public sealed class PrescriptionIssuer(PrescriptionKeys keys, DoctorKeys doctorKeys, IOptions<PrescriptionOptions> options, PatientMessages messages) : IPrescriptionSigner
{
    /// <summary>The refusal's code when the doctor's key is not unlocked for the completion.</summary>
    public const string SigningLocked = "SigningLocked";

    public async Task<Result<Guid, ConsultationError>> Sign(
        IDocumentSession session, Consultation consultation, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var parties = await ClinicalParties.Load(session, consultation, at, cancellationToken);
        var prescriptionId = Ids.New();
        var history = await PrescribingHistories.Load(session, consultation.PatientId, consultation.Id, cancellationToken);
        var composed = PrescriptionRules.Compose(consultation, prescriptionId, parties.Facility, parties.Doctor, parties.Patient, at,
            options.Value.ValidityDays, parties.Spoke, history, await Records.AllergyEndpoints.Active(session, consultation.PatientId, cancellationToken));
        if (!composed.IsSuccess)
        {
            return composed.Error;
        }
        var opened = await doctorKeys.Open(session, PresentedUnlock.Token, consultation.DoctorId, cancellationToken);
        if (!opened.IsSuccess)
        {
            return new ConsultationError(SigningLocked, opened.Error);
        }
        string jws;
        using (var doctorKey = opened.Value.Key)
        {
            jws = PrescriptionSignature.Sign(composed.Value!, opened.Value.KeyId, doctorKey);
        }
        session.Events.StartStream<Prescription>(prescriptionId,
            new PrescriptionSigned(prescriptionId, composed.Value!, jws, opened.Value.KeyId, at, keys.Countersign(jws)));
        if (await PatientMessages.Addressee(session, consultation.PatientId, cancellationToken) is { } patient)
        {
            messages.Sms(session, patient, MessageCatalogue.PrescriptionReady, new Dictionary<string, string> { ["rx"] = Ids.Compact(prescriptionId) });
            messages.Email(session, patient, MessageCatalogue.PrescriptionEmail, new Dictionary<string, string>
            {
                ["name"] = patient.Name, ["doctor"] = parties.Doctor.Name, ["link"] = options.Value.VerificationUrl(prescriptionId),
            });
        }
        return prescriptionId;
    }
}
