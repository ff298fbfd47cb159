using Marten;
using Telemed.Domain.Messages;
using Telemed.Server.Identity;

namespace Telemed.Server.Records;

/// <summary>What a record says of the patient beyond the signed details: the birth date if they gave one, and their mobile.</summary>
public sealed record PatientContact(DateOnly? BirthDate, string? Mobile, string Language = MessageCatalogue.English)
{
    public static PatientContact Of(PatientAccount? patient) => new(patient?.DateOfBirth, patient?.Mobile, patient?.Language ?? MessageCatalogue.English);

    public static async Task<PatientContact> Load(IQuerySession session, Guid patientId, CancellationToken cancellationToken) =>
        Of(await session.LoadAsync<PatientAccount>(patientId, cancellationToken));
}
