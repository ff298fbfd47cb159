using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Prescriptions;

/// <summary>
/// A doctor's prescription signing key, named by its RFC 7638 thumbprint. The private half is kept only wrapped under a
/// key derived from the doctor's password, so the server at rest cannot sign for the doctor. A key signs until it is
/// retired (a rotation, a password reset) or revoked; either way its public half stays published, so what it signed
/// stays verifiable — except, for a revoked key, what says it was signed after <see cref="RevokedAt"/>.
/// </summary>
public sealed record DoctorSigningKey(
    string Id, Guid DoctorId, string HprId, string X, string Y, WrappedKey Wrapped, DateTimeOffset CreatedAt,
    DateTimeOffset? RetiredAt = null, DateTimeOffset? RevokedAt = null)
{
    public bool Signs => RetiredAt is null && RevokedAt is null;

    public ECDsa PublicKey() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = Base64Url.Decode(X), Y = Base64Url.Decode(Y) },
    });

    /// <summary>The public JWK, with the doctor's HPR id (<c>hpr</c>) and, once revoked, from when (<c>revoked_at</c>, Unix seconds).</summary>
    public JsonObject Jwk()
    {
        using var key = PublicKey();
        var jwk = Domain.Prescriptions.Jwk.Public(key);
        jwk["hpr"] = HprId;
        if (RevokedAt is { } revokedAt)
        {
            jwk["revoked_at"] = revokedAt.ToUnixTimeSeconds();
        }
        return jwk;
    }
}

/// <summary>
/// An unlocked doctor key: the key wrapped again under a random secret that only the unlock token carries, so any node
/// can sign with it for as long as it lasts and none can without the token.
/// </summary>
public sealed record SigningUnlock(Guid Id, Guid DoctorId, string KeyId, WrappedKey Wrapped, DateTimeOffset ExpiresAt);

// The audit of a doctor's keys, on the doctor's account stream: never a password, a secret or a private key.
public sealed record DoctorSigningKeyMade(Guid DoctorId, string KeyId, DateTimeOffset At);

public sealed record DoctorSigningKeyUnlocked(Guid DoctorId, string KeyId, DateTimeOffset Until, DateTimeOffset At);

/// <summary>The key no longer signs (<paramref name="Why"/>: rotation, password reset); the doctor's next unlock makes a new one.</summary>
public sealed record DoctorSigningKeyRetired(Guid DoctorId, string KeyId, Guid By, string Why, DateTimeOffset At);

public sealed record DoctorSigningKeyRevoked(Guid DoctorId, string KeyId, Guid By, DateTimeOffset At);

/// <summary>
/// Doctors' signing keys: made, unlocked, re-wrapped, retired and revoked. Unlocking takes the doctor's password; the
/// key is then re-wrapped under a fresh random secret returned as the unlock token (<c>{id}.{secret}</c>, base64url),
/// which the completion that signs presents.
/// </summary>
public sealed class DoctorKeys(IOptions<AuthOptions> auth, TimeProvider time)
{
    /// <summary>The doctor's key that signs now, if any.</summary>
    public static async Task<DoctorSigningKey?> Active(IQuerySession db, Guid doctorId, CancellationToken cancellationToken) =>
        (await db.Query<DoctorSigningKey>().Where(k => k.DoctorId == doctorId && k.RetiredAt == null && k.RevokedAt == null).ToListAsync(cancellationToken))
        .OrderByDescending(k => k.CreatedAt).FirstOrDefault();

    /// <summary>
    /// Opens the doctor's signing key with their (already checked) password — making one on first need, or a new one
    /// when the key in force was wrapped under a password since lost — and hands out an unlock token until <paramref name="until"/>.
    /// The audit events are returned for the caller to journal once saved (<see cref="AccountJournal"/>).
    /// </summary>
    public async Task<(string Token, string KeyId, object[] Events)> Unlock(
        IDocumentSession session, StaffAccount doctor, string password, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var events = new List<object>();
        var active = await Active(session, doctor.Id, cancellationToken);
        var key = active is null ? null : DoctorKeyWrap.OpenWithPassword(active.Wrapped, active.Id, password);
        if (active is not null && key is null)
        {
            session.Store(active with { RetiredAt = now });
            events.Add(new DoctorSigningKeyRetired(doctor.Id, active.Id, doctor.Id, "its password is no longer the doctor's", now));
        }
        if (key is null)
        {
            key = DoctorKeyWrap.NewKey();
            active = Make(session, doctor, key, password, now);
            events.Add(new DoctorSigningKeyMade(doctor.Id, active.Id, now));
        }
        using (key)
        {
            var secret = RandomNumberGenerator.GetBytes(32);
            var unlock = new SigningUnlock(Ids.New(), doctor.Id, active!.Id, DoctorKeyWrap.WithSecret(key, active.Id, secret), until);
            session.Insert(unlock);
            events.Add(new DoctorSigningKeyUnlocked(doctor.Id, active.Id, until, now));
            return ($"{Base64Url.Encode(unlock.Id.ToByteArray())}.{Base64Url.Encode(secret)}", active.Id, [.. events]);
        }
    }

    /// <summary>Retires the doctor's key in force and makes a new one under their (already checked) password; returns the new key's id and the audit events.</summary>
    public async Task<(string KeyId, object[] Events)> Rotate(IDocumentSession session, StaffAccount doctor, string password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var retired = await Retire(session, doctor.Id, doctor.Id, "rotation", now, cancellationToken);
        using var key = DoctorKeyWrap.NewKey();
        var made = Make(session, doctor, key, password, now);
        return (made.Id, [.. retired, new DoctorSigningKeyMade(doctor.Id, made.Id, now)]);
    }

    /// <summary>After a password change: the key in force re-wrapped under the new password (a key it does not open stays as it is).</summary>
    public async Task Rewrap(IDocumentSession session, Guid doctorId, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        if (await Active(session, doctorId, cancellationToken) is { } active
            && DoctorKeyWrap.OpenWithPassword(active.Wrapped, active.Id, currentPassword) is { } key)
        {
            using (key)
            {
                session.Store(active with { Wrapped = DoctorKeyWrap.WithPassword(key, active.Id, newPassword, auth.Value.PasswordHashIterations) });
            }
        }
    }

    /// <summary>
    /// Retires the doctor's key in force (a password reset: the old password, and so the key, is lost; an admin's
    /// rotation); returns the audit event, none when no key was in force.
    /// </summary>
    public static async Task<object[]> Retire(IDocumentSession session, Guid doctorId, Guid by, string why, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await Active(session, doctorId, cancellationToken) is not { } active)
        {
            return [];
        }
        session.Store(active with { RetiredAt = now });
        return [new DoctorSigningKeyRetired(doctorId, active.Id, by, why, now)];
    }

    /// <summary>The key an unlock token opens for <paramref name="doctorId"/> now, or why it opens none.</summary>
    public async Task<Result<(ECDsa Key, string KeyId), string>> Open(IQuerySession db, string? token, Guid doctorId, CancellationToken cancellationToken)
    {
        const string Locked = "The doctor's signing key is locked: unlock it with the doctor's password (POST /api/doctors/me/signing-unlock) and present the unlock token.";
        var parts = (token ?? "").Split('.');
        if (parts.Length != 2 || Base64Url.Decode(parts[0]) is not { Length: 16 } id || Base64Url.Decode(parts[1]) is not { Length: 32 } secret)
        {
            return Locked;
        }
        var unlock = await db.LoadAsync<SigningUnlock>(new Guid(id), cancellationToken);
        if (unlock is null || unlock.DoctorId != doctorId)
        {
            return "This signing unlock is not the consultation doctor's; the consultation's own doctor unlocks their key to sign.";
        }
        if (unlock.ExpiresAt <= time.GetUtcNow())
        {
            return "The signing unlock has expired: unlock the signing key again with the doctor's password.";
        }
        if (await db.LoadAsync<DoctorSigningKey>(unlock.KeyId, cancellationToken) is not { Signs: true })
        {
            return "The signing key this unlock opens has been rotated or revoked: unlock again to sign with the doctor's key in force.";
        }
        return DoctorKeyWrap.OpenWithSecret(unlock.Wrapped, unlock.KeyId, secret) is { } key ? (key, unlock.KeyId) : Locked;
    }

    /// <summary>Every doctor's public key, revoked and retired ones too, as JWKs.</summary>
    public static async Task<IReadOnlyList<JsonObject>> Published(IQuerySession db, CancellationToken cancellationToken) =>
        [.. (await db.Query<DoctorSigningKey>().ToListAsync(cancellationToken)).OrderBy(k => k.Id, StringComparer.Ordinal).Select(k => k.Jwk())];

    /// <summary>The doctor key a prescription JWS names, for <see cref="Countersignature.Verify"/>; null for any other key id.</summary>
    public static async Task<Func<string, DoctorPublicKey?>> Resolver(IQuerySession db, string? jws, CancellationToken cancellationToken)
    {
        var named = CompactJws.KeyId(jws) is { } kid ? await db.LoadAsync<DoctorSigningKey>(kid, cancellationToken) : null;
        var key = named is null ? null : new DoctorPublicKey(named.PublicKey(), named.DoctorId, named.HprId, named.RevokedAt);
        return kid => kid == named?.Id ? key : null;
    }

    private DoctorSigningKey Make(IDocumentSession session, StaffAccount doctor, ECDsa key, string password, DateTimeOffset now)
    {
        var keyId = Domain.Prescriptions.Jwk.Thumbprint(key);
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        var made = new DoctorSigningKey(keyId, doctor.Id, doctor.Doctor?.HprId ?? "", Base64Url.Encode(point.X), Base64Url.Encode(point.Y),
            DoctorKeyWrap.WithPassword(key, keyId, password, auth.Value.PasswordHashIterations), now);
        session.Insert(made);
        return made;
    }
}

/// <summary>
/// The unlock token the current signing request presented (header <see cref="Header"/> on REST, an argument of the hub's
/// Complete), for the prescription signer that runs deep inside the queue's transaction.
/// </summary>
public static class PresentedUnlock
{
    public const string Header = "Telemed-Signing-Unlock";

    private static readonly AsyncLocal<string?> Current = new();

    public static string? Token => Current.Value;

    /// <summary>Presents the token for the calls made in this async flow; disposing withdraws it.</summary>
    public static IDisposable Present(string? token)
    {
        var before = Current.Value;
        Current.Value = token;
        return new Withdraw(() => Current.Value = before);
    }

    private sealed class Withdraw(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
