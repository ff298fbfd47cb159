using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Telemed.Domain.Prescriptions;

namespace Telemed.Server.Prescriptions;

public sealed class PrescriptionOptions
{
    public const string Section = "Prescriptions";

    /// <summary>Where the signing keys live: outside the repository, shared by all nodes (a mounted secret in production).</summary>
    [Required]
    public string KeyDirectory { get; set; } = ".data/prescription-keys";

    /// <summary>The public address pharmacies reach; the QR code on each prescription points below it.</summary>
    [Required]
    [Url]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    [Range(1, 365)]
    public int ValidityDays { get; set; } = PrescriptionRules.DefaultValidityDays;

    public string VerificationUrl(Guid prescriptionId) => $"{PublicBaseUrl.TrimEnd('/')}/verify/{prescriptionId}";
}

/// <summary>
/// The prescription signing keys: P-256 key pairs in PEM files named "{generation}-{kid}.pem", the latest generation signing.
/// Rotating adds a key; older keys are never deleted, so every prescription ever signed stays verifiable against the JWKS.
/// Another node's new key is found on first sight of its key id.
/// </summary>
public sealed class PrescriptionKeys
{
    private readonly string directory;
    // Key pairs; only their public halves ever leave this class (Jwk.Public).
    private readonly ConcurrentDictionary<string, ECDsa> keys = new(StringComparer.Ordinal);
    private readonly Lock rotation = new();
    private (string KeyId, ECDsa Key) active;

    public PrescriptionKeys(IOptions<PrescriptionOptions> options)
    {
        directory = Path.GetFullPath(options.Value.KeyDirectory);
        Directory.CreateDirectory(directory);
        if (!Directory.EnumerateFiles(directory, "*.pem").Any())
        {
            Generate();
        }
        active = Scan();
    }

    public string ActiveKeyId => active.KeyId;

    public (string Jws, string KeyId) Sign(PrescriptionContent content)
    {
        var (keyId, key) = active;
        return (PrescriptionSignature.Sign(content, keyId, key), keyId);
    }

    /// <summary>The key to verify with (an unknown id triggers one re-read of the directory: another node may have rotated).</summary>
    public ECDsa? VerificationKey(string keyId)
    {
        if (!keys.ContainsKey(keyId))
        {
            Scan();
        }
        return keys.GetValueOrDefault(keyId);
    }

    public JsonObject Jwks()
    {
        Scan();
        return new JsonObject { ["keys"] = new JsonArray([.. keys.Values.Select(Jwk.Public).OrderBy(k => k["kid"]!.GetValue<string>(), StringComparer.Ordinal)]) };
    }

    /// <summary>Makes a new key the signing key; returns its key id.</summary>
    public string Rotate()
    {
        lock (rotation)
        {
            Generate();
            active = Scan();
            return active.KeyId;
        }
    }

    private void Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var generation = Directory.EnumerateFiles(directory, "*.pem").Count() + 1;
        var path = Path.Combine(directory, $"{generation.ToString("D6", CultureInfo.InvariantCulture)}-{Jwk.Thumbprint(key)}.pem");
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, path, overwrite: false);
    }

    /// <summary>Loads key files not seen before and returns the newest key, which signs.</summary>
    private (string KeyId, ECDsa Key) Scan()
    {
        (string KeyId, ECDsa Key)? newest = null;
        foreach (var path in Directory.EnumerateFiles(directory, "*.pem").Order(StringComparer.Ordinal))
        {
            var keyId = Path.GetFileNameWithoutExtension(path).Split('-', 2)[1];
            newest = (keyId, keys.GetOrAdd(keyId, _ => Load(path, keyId)));
        }
        return newest ?? throw new InvalidOperationException($"No prescription signing key in {directory}.");
    }

    private static ECDsa Load(string path, string keyId)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return Jwk.Thumbprint(key) == keyId
            ? key
            : throw new InvalidOperationException($"Prescription key file {Path.GetFileName(path)} does not hold the key its name says.");
    }
}
