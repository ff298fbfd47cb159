using Telemed.Domain.Abdm;

namespace Telemed.Server.Identity;

/// <summary>Asks ABDM's registries whether they know an HPR ID (a doctor) or an HFR ID (a facility), and under which name.</summary>
public interface IRegistryLookup
{
    Task<RegistryAnswer> Professional(string hprId, CancellationToken cancellationToken);

    Task<RegistryAnswer> Facility(string hfrId, CancellationToken cancellationToken);
}
