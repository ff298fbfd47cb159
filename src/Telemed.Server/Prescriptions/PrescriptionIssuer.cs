using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Consultations;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Prescriptions;

/// <summary>Signs a completing consultation's prescription inside the queue's transaction and starts its stream.</summary>
public sealed class PrescriptionIssuer(PrescriptionKeys keys, IOptions<PrescriptionOptions> options) : IPrescriptionSigner
{
    public async Task<Result<Guid, ConsultationError>> Sign(
        IDocumentSession session, Consultation consultation, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var parties = await ClinicalParties.Load(session, consultation, at, cancellationToken);
        var prescriptionId = Ids.New();
        var composed = PrescriptionRules.Compose(consultation, prescriptionId, parties.Facility, parties.Doctor, parties.Patient, at,
            options.Value.ValidityDays);
        if (!composed.IsSuccess)
        {
            return composed.Error;
        }
        var (jws, keyId) = keys.Sign(composed.Value!);
        session.Events.StartStream<Prescription>(prescriptionId, new PrescriptionSigned(prescriptionId, composed.Value!, jws, keyId, at));
        return prescriptionId;
    }
}
