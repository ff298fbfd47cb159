using Marten;
using Telemed.Domain;
using Telemed.Domain.Consultations;

namespace Telemed.Server.Consultations;

/// <summary>
/// Signs the prescription a consultation's doctor wrote, in the transaction that completes the consultation, so a
/// completed consultation never lacks its prescription; or says why the record cannot be signed yet.
/// </summary>
public interface IPrescriptionSigner
{
    /// <summary>The new prescription's id, its stream started in <paramref name="session"/>.</summary>
    Task<Result<Guid, ConsultationError>> Sign(IDocumentSession session, Consultation consultation, DateTimeOffset at, CancellationToken cancellationToken);
}
