using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Identity;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Prescriptions;

/// <summary>The doctor's own secrets: the password, and the authenticator's code when they have enrolled one.</summary>
public sealed record DoctorSecretsRequest(string? Password, string? Code);

public sealed record SigningUnlocked(string UnlockToken, string KeyId, DateTimeOffset ExpiresAt);

public sealed record SigningKeyRotated(string KeyId);

public sealed record RevokeSigningKeyRequest(string? KeyId);

/// <summary>
/// Doctors unlock their signing key (and rotate it) with their own password and second factor; admins retire a doctor's
/// key (the doctor's next unlock makes a new one) or revoke one.
/// </summary>
public static class DoctorKeyEndpoints
{
    public static void MapDoctorKeys(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/doctors/me").WithTags("Prescriptions");
        mine.MapPost("/signing-unlock", Unlock).RequireRateLimiting(Security.SignInLimit)
            .WithSummary("Doctor: unlock your prescription signing key with your password (and authenticator code) for the rest of the shift; answers the unlock token completions present (header Telemed-Signing-Unlock).");
        mine.MapPost("/signing-key/rotate", Rotate).RequireRateLimiting(Security.SignInLimit)
            .WithSummary("Doctor: replace your signing key with a new one (your password and code); the old one stays published, so what it signed still verifies.");
        var admin = app.MapGroup("/api/admin/doctors/{doctorId:guid}/signing-keys").RequireAuthorization(Roles.Admin).WithTags("Admin");
        admin.MapPost("/retire", Retire).WithSummary("Admin: retire a doctor's signing key in force; the doctor's next unlock makes a new one.");
        admin.MapPost("/revoke", Revoke)
            .WithSummary("Admin: revoke one of a doctor's signing keys: prescriptions it signed from now on fail verification, earlier ones still verify.");
    }

    private static async Task<Results<Ok<SigningUnlocked>, ProblemHttpResult>> Unlock(
        DoctorSecretsRequest request, ClaimsPrincipal user, IDocumentSession session, IPasswordHasher<StaffAccount> hasher, MfaSecrets secrets,
        DoctorKeys keys, IOptions<AuthOptions> auth, TimeProvider time, CancellationToken cancellationToken)
    {
        var proved = await Prove(request, user, session, hasher, secrets, "signing unlock", time.GetUtcNow(), cancellationToken);
        if (!proved.IsSuccess)
        {
            return proved.Error;
        }
        var until = time.GetUtcNow().AddHours(auth.Value.StaffSessionHours);
        var (token, keyId, events) = await keys.Unlock(session, proved.Value!, request.Password!, until, cancellationToken);
        await session.SaveChangesAsync(cancellationToken);
        await AccountJournal.Record(session.DocumentStore, proved.Value!.Id, cancellationToken, events);
        return TypedResults.Ok(new SigningUnlocked(token, keyId, until));
    }

    private static async Task<Results<Ok<SigningKeyRotated>, ProblemHttpResult>> Rotate(
        DoctorSecretsRequest request, ClaimsPrincipal user, IDocumentSession session, IPasswordHasher<StaffAccount> hasher, MfaSecrets secrets,
        DoctorKeys keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var proved = await Prove(request, user, session, hasher, secrets, "signing key rotation", time.GetUtcNow(), cancellationToken);
        if (!proved.IsSuccess)
        {
            return proved.Error;
        }
        var (keyId, events) = await keys.Rotate(session, proved.Value!, request.Password!, cancellationToken);
        await session.SaveChangesAsync(cancellationToken);
        await AccountJournal.Record(session.DocumentStore, proved.Value!.Id, cancellationToken, events);
        return TypedResults.Ok(new SigningKeyRotated(keyId));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Retire(
        Guid doctorId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<StaffAccount>(doctorId, cancellationToken) is not { Role: Role.Doctor })
        {
            return Problems.NotFound("There is no such doctor.");
        }
        var events = await DoctorKeys.Retire(session, doctorId, user.AccountId(), "rotation by an administrator", time.GetUtcNow(), cancellationToken);
        await session.SaveChangesAsync(cancellationToken);
        await AccountJournal.Record(session.DocumentStore, doctorId, cancellationToken, events);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(
        Guid doctorId, RevokeSigningKeyRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.KeyId))
        {
            return Problems.Invalid("keyId", "Name the key to revoke by its key id (kid).");
        }
        if (await session.LoadAsync<DoctorSigningKey>(request.KeyId, cancellationToken) is not { } key || key.DoctorId != doctorId)
        {
            return Problems.NotFound("This doctor has no signing key with that key id.");
        }
        if (key.RevokedAt is null)
        {
            var now = time.GetUtcNow();
            session.Store(key with { RevokedAt = now, RetiredAt = key.RetiredAt ?? now });
            await session.SaveChangesAsync(cancellationToken);
            await AccountJournal.Record(session.DocumentStore, doctorId, cancellationToken, new DoctorSigningKeyRevoked(doctorId, key.Id, user.AccountId(), now));
        }
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The signed-in doctor, once their password (and their authenticator's code, when enrolled) is right. Wrong ones
    /// count towards the email's sign-in lockout and are journalled, as at sign-in.
    /// </summary>
    private static async Task<Result<StaffAccount, ProblemHttpResult>> Prove(
        DoctorSecretsRequest request, ClaimsPrincipal user, IDocumentSession session, IPasswordHasher<StaffAccount> hasher, MfaSecrets secrets,
        string purpose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!user.IsInRole(Roles.Doctor))
        {
            return Problems.Forbidden("Only doctors sign prescriptions and have signing keys.");
        }
        if (string.IsNullOrEmpty(request.Password))
        {
            return Problems.Invalid("password", "Your password is required to unlock your signing key.");
        }
        if (await session.LoadAsync<StaffAccount>(user.AccountId(), cancellationToken) is not { Active: true } doctor)
        {
            return Problems.Unauthorized("This account has been deactivated. Ask an administrator.");
        }
        var store = session.DocumentStore;
        var key = PasswordAttempts.Key(doctor.Email);
        var attempts = await session.LoadAsync<PasswordAttempts>(key, cancellationToken);
        if (attempts?.IsLockedAt(now) == true)
        {
            return SignInEndpoints.Locked(attempts);
        }
        if (hasher.VerifyHashedPassword(doctor, doctor.PasswordHash, request.Password) == PasswordVerificationResult.Failed)
        {
            var failed = await SignInEndpoints.CountFailure(session, store, key, attempts, now, cancellationToken);
            await AccountJournal.Record(store, doctor.Id, cancellationToken, new SignInFailed(doctor.Id, $"wrong password ({purpose})", now));
            return failed.IsLockedAt(now) ? SignInEndpoints.Locked(failed) : Problems.Invalid("password", "The password is wrong.");
        }
        if (await session.LoadAsync<StaffMfa>(doctor.Id, cancellationToken) is { Enabled: true })
        {
            var code = await MfaEndpoints.ProveCurrentCode(session, store, secrets, doctor, request.Code, purpose, now, cancellationToken);
            if (!code.IsSuccess)
            {
                return code.Error;
            }
            session.Store(code.Value!);
        }
        return doctor;
    }
}
