using System.Security.Cryptography;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Devices;

/// <summary>
/// A clinic kiosk's medical device (or the gateway in front of it), registered by an admin for one facility. It signs
/// its requests with a credential shown once at registration and stored only as its SHA-256 hash; revoked, it is refused.
/// </summary>
public sealed record MedicalDevice(
    Guid Id, Guid FacilityId, string Name, string CredentialHash, Guid RegisteredBy, DateTimeOffset RegisteredAt, DateTimeOffset? RevokedAt = null);

public sealed record DeviceRegistered(Guid DeviceId, Guid FacilityId, Guid By, DateTimeOffset At);

public sealed record DeviceRevoked(Guid DeviceId, Guid By, DateTimeOffset At);

/// <summary>What an admin sees of a device: never its credential.</summary>
public sealed record DeviceView(Guid Id, Guid FacilityId, string Name, DateTimeOffset RegisteredAt, DateTimeOffset? RevokedAt)
{
    public static DeviceView Of(MedicalDevice device) => new(device.Id, device.FacilityId, device.Name, device.RegisteredAt, device.RevokedAt);
}

/// <summary>The answer to a registration: the credential appears here once and nowhere else.</summary>
public sealed record RegisteredDevice(DeviceView Device, string Credential);

/// <summary>A device credential: the device's compact id, a dot, and 32 random bytes (base64url). The id finds the device; the hash proves it.</summary>
public static class DeviceCredentials
{
    public static string New(Guid deviceId) => $"{Ids.Compact(deviceId)}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32))}";

    public static string Hash(string credential) => Tokens.Hash(credential);

    public static Guid? DeviceId(string credential) => credential.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot ? Ids.FromCompact(credential[..dot]) : null;

    public static bool Matches(MedicalDevice device, string credential) =>
        CryptographicOperations.FixedTimeEquals(Convert.FromHexString(device.CredentialHash), Convert.FromHexString(Hash(credential)));
}
