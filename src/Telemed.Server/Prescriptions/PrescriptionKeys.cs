using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
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
/// The prescription signing keys as the server uses them: the newest signs, every one ever made verifies, so each
/// prescription ever signed stays verifiable against the JWKS. Keys come from an <see cref="IPrescriptionKeyStore"/>
/// (a folder of PEM files unless a KMS or HSM adapter is registered); another node's new key is found on first sight
/// of its key id.
/// </summary>
public sealed class PrescriptionKeys
{
    private readonly IPrescriptionKeyStore store;
    // Only the keys' public halves ever leave this class (Jwk.Public).
    private readonly ConcurrentDictionary<string, ECDsa> keys = new(StringComparer.Ordinal);
    private readonly Lock rotation = new();
    private (string KeyId, ECDsa Key) active;

    public PrescriptionKeys(IPrescriptionKeyStore store)
    {
        this.store = store;
        if (store.KeyIds().Count == 0)
        {
            store.Create();
        }
        active = Scan();
    }

    public string ActiveKeyId => active.KeyId;

    /// <summary>The facility's countersignature of a doctor's prescription JWS.</summary>
    public string Countersign(string doctorJws)
    {
        var (keyId, key) = active;
        return Countersignature.Sign(doctorJws, keyId, key);
    }

    public string Sign(RevocationList list)
    {
        var (keyId, key) = active;
        return list.Sign(keyId, key);
    }

    /// <summary>The key to verify with (an unknown id triggers one re-read of the store: another node may have rotated).</summary>
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
            store.Create();
            active = Scan();
            return active.KeyId;
        }
    }

    /// <summary>Loads keys not seen before and returns the newest key, which signs.</summary>
    private (string KeyId, ECDsa Key) Scan()
    {
        var keyIds = store.KeyIds();
        foreach (var keyId in keyIds)
        {
            keys.GetOrAdd(keyId, store.Load);
        }
        return keyIds.Count > 0 ? (keyIds[^1], keys[keyIds[^1]]) : throw new InvalidOperationException("The prescription key store holds no key.");
    }
}
