using Microsoft.AspNetCore.Identity;

namespace Telemed.Server.Identity;

/// <summary>
/// A hash of a random string made by the same hasher, with the same iterations, as real accounts' hashes: checking a
/// password against it for an unknown email takes as long as for a known one, so the answer's timing tells nothing.
/// </summary>
public sealed class DecoyPasswordHash(IPasswordHasher<StaffAccount> hasher)
{
    private readonly Lazy<string> hash = new(() => hasher.HashPassword(null!, Convert.ToBase64String(Guid.NewGuid().ToByteArray())));

    public string Value => hash.Value;
}
