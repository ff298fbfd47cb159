using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Telemed.Server.Identity;

/// <summary>
/// The access-token signing key, and the other keys whose tokens are accepted during a rotation; each token's
/// <c>kid</c> names its key. The keys come from an <see cref="IAccessTokenKeyStore"/> (PEM files unless a KMS or HSM
/// adapter is registered).
/// Not disposed: IdentityModel caches signature providers by key id process-wide, and a disposed key
/// behind a cached provider breaks signing for the next host in the same process.
/// </summary>
public sealed class SigningKey
{
    public SigningKey(IAccessTokenKeyStore store)
    {
        var signing = SecurityKey(store.SigningKey());
        Credentials = new SigningCredentials(signing, SecurityAlgorithms.EcdsaSha256);
        ValidationKeys = [signing, .. store.AcceptedKeys().Select(SecurityKey)];
    }

    public SigningCredentials Credentials { get; }

    /// <summary>The signing key first, then the other accepted ones.</summary>
    public IReadOnlyList<SecurityKey> ValidationKeys { get; }

    private static ECDsaSecurityKey SecurityKey(ECDsa key) => new(key) { KeyId = KeyId(key) };

    private static string KeyId(ECDsa key) => Base64UrlEncoder.Encode(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
}

/// <summary>
/// Where the access-token keys (P-256) are kept. A KMS or HSM adapter implements this with keys that never leave the
/// device: each an <see cref="ECDsa"/> whose <c>SignHash</c> asks the device to sign and whose public half exports
/// (docs/security.md, "Key custody"). Registered before <c>AddTelemedIdentity</c>, it replaces
/// <see cref="PemFileAccessTokenKeyStore"/>.
/// </summary>
public interface IAccessTokenKeyStore
{
    /// <summary>The key that signs new tokens.</summary>
    ECDsa SigningKey();

    /// <summary>Keys whose tokens are still accepted (the previous or the next key during a rotation).</summary>
    IReadOnlyList<ECDsa> AcceptedKeys();
}

/// <summary>
/// Access-token keys as PEM files: <see cref="AuthOptions.SigningKeyPath"/>, generated on first start and kept with
/// owner-only permissions so tokens survive restarts (never committed: it lives under the ignored .data/), and
/// <see cref="AuthOptions.AcceptedSigningKeyPaths"/>.
/// </summary>
public sealed class PemFileAccessTokenKeyStore(IOptions<AuthOptions> options) : IAccessTokenKeyStore
{
    public ECDsa SigningKey()
    {
        var path = Path.GetFullPath(options.Value.SigningKeyPath);
        if (File.Exists(path))
        {
            return Read(path);
        }
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, path, overwrite: false);
        return key;
    }

    public IReadOnlyList<ECDsa> AcceptedKeys() => [.. options.Value.AcceptedSigningKeyPaths.Select(path => Read(Path.GetFullPath(path)))];

    private static ECDsa Read(string path)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }
}
