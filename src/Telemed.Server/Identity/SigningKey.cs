using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Telemed.Server.Identity;

/// <summary>
/// The access-token signing key, and the other keys whose tokens are accepted during a rotation
/// (<see cref="AuthOptions.AcceptedSigningKeyPaths"/>); each token's <c>kid</c> names its key. Generated on first start
/// and kept on disk (owner-only permissions) so tokens survive restarts; never committed (it lives under the ignored .data/).
/// Not disposed: IdentityModel caches signature providers by key id process-wide, and a disposed key
/// behind a cached provider breaks signing for the next host in the same process.
/// </summary>
public sealed class SigningKey
{
    public SigningKey(IOptions<AuthOptions> options)
    {
        var path = Path.GetFullPath(options.Value.SigningKeyPath);
        var key = ECDsa.Create();
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            key.GenerateKey(ECCurve.NamedCurves.nistP256);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            File.Move(temporary, path, overwrite: false);
        }
        Credentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = KeyId(key) }, SecurityAlgorithms.EcdsaSha256);
        ValidationKeys = [new ECDsaSecurityKey(key) { KeyId = KeyId(key) }, .. options.Value.AcceptedSigningKeyPaths.Select(Accepted)];
    }

    public SigningCredentials Credentials { get; }

    /// <summary>The signing key first, then the other accepted ones.</summary>
    public IReadOnlyList<SecurityKey> ValidationKeys { get; }

    private static ECDsaSecurityKey Accepted(string path)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.GetFullPath(path)));
        return new ECDsaSecurityKey(key) { KeyId = KeyId(key) };
    }

    private static string KeyId(ECDsa key) => Base64UrlEncoder.Encode(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
}
