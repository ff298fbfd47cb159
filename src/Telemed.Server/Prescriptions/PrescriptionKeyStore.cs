using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Telemed.Domain.Prescriptions;

namespace Telemed.Server.Prescriptions;

/// <summary>
/// Where the prescription signing keys are kept: P-256 keys, each named by its RFC 7638 thumbprint. A KMS or HSM
/// adapter implements this with keys that never leave the device: <see cref="Load"/> returns an <see cref="ECDsa"/>
/// whose <c>SignHash</c> asks the device to sign and whose <c>ExportParameters(false)</c> gives the public point
/// (docs/security.md, "Key custody"). Registered before <c>AddTelemedPrescriptions</c>, it replaces
/// <see cref="PemDirectoryKeyStore"/>.
/// </summary>
public interface IPrescriptionKeyStore
{
    /// <summary>Every key's id, oldest first: the last one signs.</summary>
    IReadOnlyList<string> KeyIds();

    /// <summary>The key with this id, checked to be the key its id names.</summary>
    ECDsa Load(string keyId);

    /// <summary>Makes the next key, which then signs; older keys stay, so what they signed stays verifiable.</summary>
    void Create();
}

/// <summary>
/// Prescription keys as PEM files named "{generation}-{kid}.pem" in <see cref="PrescriptionOptions.KeyDirectory"/>
/// (a mounted secret in production, read-only there: <see cref="Create"/> then fails, and keys are added to the secret).
/// </summary>
public sealed class PemDirectoryKeyStore : IPrescriptionKeyStore
{
    private readonly string directory;

    public PemDirectoryKeyStore(IOptions<PrescriptionOptions> options)
    {
        directory = Path.GetFullPath(options.Value.KeyDirectory);
        Directory.CreateDirectory(directory);
    }

    public IReadOnlyList<string> KeyIds() => [.. Files().Select(KeyIdOf)];

    public ECDsa Load(string keyId)
    {
        var path = Files().FirstOrDefault(file => KeyIdOf(file) == keyId)
            ?? throw new KeyNotFoundException($"No prescription key file for key id {keyId} in {directory}.");
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return Jwk.Thumbprint(key) == keyId
            ? key
            : throw new InvalidOperationException($"Prescription key file {Path.GetFileName(path)} does not hold the key its name says.");
    }

    public void Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var generation = Files().Count() + 1;
        var path = Path.Combine(directory, $"{generation.ToString("D6", CultureInfo.InvariantCulture)}-{Jwk.Thumbprint(key)}.pem");
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, path, overwrite: false);
    }

    private IEnumerable<string> Files() => Directory.EnumerateFiles(directory, "*.pem").Order(StringComparer.Ordinal);

    private static string KeyIdOf(string path) => Path.GetFileNameWithoutExtension(path).Split('-', 2)[1];
}
