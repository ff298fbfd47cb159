using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Telemed.Server.Identity;

/// <summary>
/// The access-token signing key. Generated on first start and kept on disk (owner-only permissions)
/// so tokens survive restarts; never committed (it lives under the ignored .data/).
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
        var keyId = Base64UrlEncoder.Encode(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
        Credentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256);
        ValidationKey = new ECDsaSecurityKey(key) { KeyId = keyId };
    }

    public SigningCredentials Credentials { get; }

    public SecurityKey ValidationKey { get; }
}
