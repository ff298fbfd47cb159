using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain;
using Telemed.Domain.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Identity;

/// <summary>The password was right and a second step follows: <c>code</c> (the authenticator's) or <c>enrol</c> (an admin without MFA).</summary>
public sealed record MfaChallengeResponse(string Challenge, string Step, DateTimeOffset ExpiresAt);

public sealed record MfaCodeRequest(string? Challenge, string? Code);

public sealed record MfaEnrolmentRequest(string? Challenge);

public sealed record MfaConfirmRequest(string? Code);

public sealed record MfaStatus(bool Enabled, bool Required, bool Pending, int RecoveryCodesLeft);

public sealed record MfaRecoveryCodes(IReadOnlyList<string> RecoveryCodes);

/// <summary>An admin's first enrolment, at sign-in: the recovery codes to show once, and the session it opens.</summary>
public sealed record MfaEnrolledSignIn(IReadOnlyList<string> RecoveryCodes, TokenResponse Tokens);

/// <summary>
/// Multi-factor authentication for staff with an authenticator app (TOTP, RFC 6238): the sign-in's second step,
/// enrolment (required of admins before they get a session, optional for other staff), turning it off, and an admin's
/// reset of another staff member's.
/// </summary>
public static class MfaEndpoints
{
    private const string CodeShape = "Give the 6-digit code your authenticator app shows, or one of your recovery codes (xxxx-xxxx-xxxx).";
    private const string WrongCode = "The code is wrong.";
    private const string UsedCode = "This code has been used already: wait for the next one your authenticator app shows.";

    public static void MapMfa(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth/mfa").WithTags("Sign-in").AllowAnonymous().RequireRateLimiting(Security.SignInLimit);
        auth.MapPost("/verify", SignInWithCode)
            .WithSummary("Staff: the sign-in's second step, with the challenge the password gave and the authenticator's code or a recovery code.");
        auth.MapPost("/enrolment", StartRequired)
            .WithSummary("Admins without MFA, at sign-in: start enrolment with the challenge the password gave (a new secret, shown once).");
        auth.MapPost("/enrolment/confirm", ConfirmRequired)
            .WithSummary("Admins without MFA, at sign-in: confirm enrolment with the authenticator's first code; gives the recovery codes and the session.");

        var me = app.MapGroup("/api/me/mfa").WithTags("Sign-in");
        me.MapGet("/", Status).WithSummary("Staff: whether multi-factor authentication is on, and how many recovery codes are left.");
        me.MapPost("/enrolment", Start).WithSummary("Staff: start enrolling an authenticator app (a new secret, shown once).");
        me.MapPost("/enrolment/confirm", Confirm).WithSummary("Staff: turn multi-factor authentication on with the app's first code; gives the recovery codes, shown once.");
        me.MapPost("/disable", Disable).WithSummary("Staff other than admins: turn multi-factor authentication off with a current code.");
        me.MapPost("/recovery-codes", RenewRecoveryCodes)
            .WithSummary("Staff with MFA on: new recovery codes for a current code, shown once; the old ones stop working.");

        app.MapPost("/api/admin/staff/{staffId:guid}/mfa/reset", Reset).WithTags("Admin").RequireAuthorization(Roles.Admin)
            .WithSummary("Remove another staff member's authenticator (a lost phone): their sessions end and they enrol again. Never one's own.");
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> SignInWithCode(
        MfaCodeRequest request, HttpContext http, IDocumentSession session, IDocumentStore store, MfaSecrets secrets, Tokens tokens, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = Required(request.Challenge, request.Code);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var now = time.GetUtcNow();
        var (challenge, staff) = await Open(session, request.Challenge!, MfaStep.Code, now, cancellationToken);
        if (challenge is null || staff is null)
        {
            return ChallengeRefused(challenge);
        }
        if (await session.LoadAsync<StaffMfa>(staff.Id, cancellationToken) is not { Factor: { } factor } mfa)
        {
            return Problems.Unauthorized("Multi-factor authentication was reset for this account: sign in again with your password.");
        }
        var key = PasswordAttempts.Key(staff.Email);
        var attempts = await session.LoadAsync<PasswordAttempts>(key, cancellationToken);
        if (attempts?.IsLockedAt(now) == true)
        {
            await AccountJournal.Record(store, staff.Id, cancellationToken, new SignInFailed(staff.Id, "locked", now));
            return SignInEndpoints.Locked(attempts);
        }
        var used = factor.Use(secrets.Unprotect(mfa), request.Code, now);
        if (!used.IsSuccess)
        {
            if (used.Error == MfaError.Malformed)
            {
                return Problems.Invalid("code", CodeShape);
            }
            var failed = await SignInEndpoints.CountFailure(session, store, key, attempts, now, cancellationToken);
            await AccountJournal.Record(store, staff.Id, cancellationToken,
                new SignInFailed(staff.Id, used.Error == MfaError.Replayed ? "MFA code used again" : "wrong MFA code", now));
            return failed.IsLockedAt(now) ? SignInEndpoints.Locked(failed) : Problems.Invalid("code", used.Error == MfaError.Replayed ? UsedCode : WrongCode);
        }
        var (proved, method) = used.Value;
        session.Store(mfa with { Factor = proved });
        session.Store(challenge with { UsedAt = now });
        if (attempts is not null)
        {
            session.Delete(attempts);
        }
        var issued = tokens.Issue(session, staff.Id, staff.Role);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.ConcurrencyException)
        {
            // The same code (or challenge) was used at the same moment by another request, which won.
            return Problems.Invalid("code", UsedCode);
        }
        var signedIn = new SignedIn(staff.Id, method == MfaMethod.Totp ? "password and authenticator" : "password and recovery code", now);
        await (method == MfaMethod.RecoveryCode
            ? SignedIn.Record(store, signedIn, cancellationToken, new RecoveryCodeUsed(staff.Id, proved.RecoveryCodeHashes.Count, now))
            : SignedIn.Record(store, signedIn, cancellationToken));
        return TypedResults.Ok(RefreshCookie.Deliver(http, issued, acting: false));
    }

    private static async Task<Results<Ok<MfaEnrolment>, ProblemHttpResult>> StartRequired(
        MfaEnrolmentRequest request, IDocumentSession session, MfaSecrets secrets, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = Required(request.Challenge, null, needsCode: false);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var (challenge, staff) = await Open(session, request.Challenge!, MfaStep.Enrol, time.GetUtcNow(), cancellationToken);
        if (challenge is null || staff is null)
        {
            return ChallengeRefused(challenge);
        }
        // Loaded so that starting over replaces a pending enrolment under optimistic concurrency.
        if (await session.LoadAsync<StaffMfa>(staff.Id, cancellationToken) is { Enabled: true })
        {
            return Problems.Conflict("Multi-factor authentication is on already for this account. Sign in again with your password and a code.");
        }
        var enrolment = secrets.Start(session, staff);
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(enrolment);
    }

    private static async Task<Results<Ok<MfaEnrolledSignIn>, ProblemHttpResult>> ConfirmRequired(
        MfaCodeRequest request, HttpContext http, IDocumentSession session, MfaSecrets secrets, Tokens tokens, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = Required(request.Challenge, request.Code);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var now = time.GetUtcNow();
        var (challenge, staff) = await Open(session, request.Challenge!, MfaStep.Enrol, now, cancellationToken);
        if (challenge is null || staff is null)
        {
            return ChallengeRefused(challenge);
        }
        var confirmed = await ConfirmPending(session, secrets, staff, request.Code!, now, cancellationToken);
        if (!confirmed.IsSuccess)
        {
            return confirmed.Error;
        }
        session.Store(challenge with { UsedAt = now });
        var issued = tokens.Issue(session, staff.Id, staff.Role);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.ConcurrencyException)
        {
            return Problems.Unauthorized("This sign-in was completed already. Sign in again with your password.");
        }
        await SignedIn.Record(session.DocumentStore, new SignedIn(staff.Id, "password, enrolling an authenticator", now), cancellationToken,
            new MfaEnrolled(staff.Id, now));
        return TypedResults.Ok(new MfaEnrolledSignIn(confirmed.Value, RefreshCookie.Deliver(http, issued, acting: false)));
    }

    private static async Task<Results<Ok<MfaStatus>, ProblemHttpResult>> Status(ClaimsPrincipal user, IDocumentSession session, CancellationToken cancellationToken)
    {
        if (await SignedInStaff(user, session, cancellationToken) is not { } staff)
        {
            return NotStaff();
        }
        var mfa = await session.LoadAsync<StaffMfa>(staff.Id, cancellationToken);
        return TypedResults.Ok(new MfaStatus(mfa?.Enabled == true, staff.Role == Role.Admin, mfa is { Enabled: false }, mfa?.Factor?.RecoveryCodeHashes.Count ?? 0));
    }

    private static async Task<Results<Ok<MfaEnrolment>, ProblemHttpResult>> Start(
        ClaimsPrincipal user, IDocumentSession session, MfaSecrets secrets, CancellationToken cancellationToken)
    {
        if (await SignedInStaff(user, session, cancellationToken) is not { } staff)
        {
            return NotStaff();
        }
        if (await session.LoadAsync<StaffMfa>(staff.Id, cancellationToken) is { Enabled: true })
        {
            return Problems.Conflict("Multi-factor authentication is on already. Turn it off first, or ask an admin to reset it.");
        }
        var enrolment = secrets.Start(session, staff);
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(enrolment);
    }

    private static async Task<Results<Ok<MfaRecoveryCodes>, ProblemHttpResult>> Confirm(
        MfaConfirmRequest request, ClaimsPrincipal user, IDocumentSession session, MfaSecrets secrets, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await SignedInStaff(user, session, cancellationToken) is not { } staff)
        {
            return NotStaff();
        }
        var errors = Required(null, request.Code, needsChallenge: false);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var confirmed = await ConfirmPending(session, secrets, staff, request.Code!, time.GetUtcNow(), cancellationToken);
        if (!confirmed.IsSuccess)
        {
            return confirmed.Error;
        }
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.ConcurrencyException)
        {
            return Problems.Conflict("The enrolment changed meanwhile (started again, or confirmed elsewhere). Look at its state and try again.");
        }
        await AccountJournal.Record(session.DocumentStore, staff.Id, cancellationToken, new MfaEnrolled(staff.Id, time.GetUtcNow()));
        return TypedResults.Ok(new MfaRecoveryCodes(confirmed.Value));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Disable(
        MfaConfirmRequest request, ClaimsPrincipal user, IDocumentSession session, IDocumentStore store, MfaSecrets secrets, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await SignedInStaff(user, session, cancellationToken) is not { } staff)
        {
            return NotStaff();
        }
        if (staff.Role == Role.Admin)
        {
            return Problems.Forbidden("Admins must keep multi-factor authentication on. If the authenticator is lost, another admin resets it.");
        }
        var now = time.GetUtcNow();
        var proved = await ProveCurrentCode(session, store, secrets, staff, request.Code, "turning MFA off", now, cancellationToken);
        if (!proved.IsSuccess)
        {
            return proved.Error;
        }
        session.Delete(proved.Value);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.ConcurrencyException)
        {
            return Problems.Invalid("code", UsedCode);
        }
        await AccountJournal.Record(store, staff.Id, cancellationToken, new MfaDisabled(staff.Id, now));
        return TypedResults.NoContent();
    }

    /// <remarks>
    /// A recovery code proves it as well as the authenticator's (it is spent, like at sign-in): someone down to their last
    /// codes, or who fears they were seen, renews with what they have.
    /// </remarks>
    private static async Task<Results<Ok<MfaRecoveryCodes>, ProblemHttpResult>> RenewRecoveryCodes(
        MfaConfirmRequest request, ClaimsPrincipal user, IDocumentSession session, IDocumentStore store, MfaSecrets secrets, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await SignedInStaff(user, session, cancellationToken) is not { } staff)
        {
            return NotStaff();
        }
        var now = time.GetUtcNow();
        var proved = await ProveCurrentCode(session, store, secrets, staff, request.Code, "renewing recovery codes", now, cancellationToken);
        if (!proved.IsSuccess)
        {
            return proved.Error;
        }
        var recovery = RecoveryCodes.New();
        session.Store(proved.Value with { Factor = proved.Value.Factor! with { RecoveryCodeHashes = RecoveryCodes.Hashes(recovery) } });
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.ConcurrencyException)
        {
            return Problems.Invalid("code", UsedCode);
        }
        await AccountJournal.Record(store, staff.Id, cancellationToken, new RecoveryCodesRenewed(staff.Id, now));
        return TypedResults.Ok(new MfaRecoveryCodes(recovery));
    }

    /// <summary>
    /// Checks a current code (the authenticator's or a recovery code) of a signed-in staff member's enrolled factor, for a
    /// change to it: wrong codes count towards the sign-in lockout and are audited. Returns the factor as it is after
    /// the code's use, for the caller to change and save.
    /// </summary>
    internal static async Task<Result<StaffMfa, ProblemHttpResult>> ProveCurrentCode(
        IDocumentSession session, IDocumentStore store, MfaSecrets secrets, StaffAccount staff, string? code, string purpose, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var errors = Required(null, code, needsChallenge: false);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (await session.LoadAsync<StaffMfa>(staff.Id, cancellationToken) is not { Factor: { } factor } mfa)
        {
            return Problems.Conflict("Multi-factor authentication is not on.");
        }
        var key = PasswordAttempts.Key(staff.Email);
        var attempts = await session.LoadAsync<PasswordAttempts>(key, cancellationToken);
        if (attempts?.IsLockedAt(now) == true)
        {
            return SignInEndpoints.Locked(attempts);
        }
        var used = factor.Use(secrets.Unprotect(mfa), code, now);
        if (!used.IsSuccess)
        {
            if (used.Error == MfaError.Malformed)
            {
                return Problems.Invalid("code", CodeShape);
            }
            var failed = await SignInEndpoints.CountFailure(session, store, key, attempts, now, cancellationToken);
            await AccountJournal.Record(store, staff.Id, cancellationToken, new SignInFailed(staff.Id, $"wrong MFA code ({purpose})", now));
            return failed.IsLockedAt(now) ? SignInEndpoints.Locked(failed) : Problems.Invalid("code", used.Error == MfaError.Replayed ? UsedCode : WrongCode);
        }
        return mfa with { Factor = used.Value.Factor };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Reset(
        Guid staffId, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var adminId = user.AccountId();
        if (staffId == adminId)
        {
            return Problems.Forbidden("You cannot reset your own multi-factor authentication: ask another admin.");
        }
        if (await session.LoadAsync<StaffAccount>(staffId, cancellationToken) is null)
        {
            return Problems.NotFound("No staff account has this id.");
        }
        if (await session.LoadAsync<StaffMfa>(staffId, cancellationToken) is not { } mfa)
        {
            return Problems.Conflict("This staff member has no authenticator to reset.");
        }
        var now = time.GetUtcNow();
        session.Delete(mfa);
        await SignInEndpoints.RevokeAll(session, staffId, now, cancellationToken);
        await session.SaveChangesAsync(cancellationToken);
        await AccountJournal.Record(session.DocumentStore, staffId, cancellationToken, new MfaReset(staffId, adminId, now));
        return TypedResults.NoContent();
    }

    /// <summary>Turns the staff member's pending enrolment on with its first code; the caller saves.</summary>
    private static async Task<Result<IReadOnlyList<string>, ProblemHttpResult>> ConfirmPending(
        IDocumentSession session, MfaSecrets secrets, StaffAccount staff, string code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<StaffMfa>(staff.Id, cancellationToken) is not { Enabled: false } pending)
        {
            return Problems.Conflict("No enrolment is waiting for a code: start one first.");
        }
        if (!TotpCodes.IsShaped(code.Trim()))
        {
            return Problems.Invalid("code", "Give the 6-digit code your authenticator app shows.");
        }
        if (secrets.Confirm(session, pending, code) is not { } recovery)
        {
            await AccountJournal.Record(session.DocumentStore, staff.Id, cancellationToken, new SignInFailed(staff.Id, "wrong MFA code (enrolment)", now));
            return Problems.Invalid("code", "The code is wrong: type the one your authenticator app shows now, for the secret shown here.");
        }
        return Result<IReadOnlyList<string>, ProblemHttpResult>.Success(recovery);
    }

    /// <summary>The challenge behind a token, if it is of this step, unused and unexpired, with its active staff member.</summary>
    private static async Task<(MfaChallenge? Challenge, StaffAccount? Staff)> Open(
        IDocumentSession session, string token, MfaStep step, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var challenge = await session.LoadAsync<MfaChallenge>(Tokens.Hash(token.Trim()), cancellationToken);
        if (challenge is null || challenge.Step != step || challenge.UsedAt is not null || challenge.ExpiresAt <= now)
        {
            return (null, null);
        }
        var staff = await session.LoadAsync<StaffAccount>(challenge.StaffId, cancellationToken);
        return staff is { Active: true } ? (challenge, staff) : (challenge, null);
    }

    private static ProblemHttpResult ChallengeRefused(MfaChallenge? challenge) => challenge is null
        ? Problems.Unauthorized("This sign-in has expired, was completed already or is not one Telemed started. Sign in again with your password.")
        : Problems.Unauthorized("This account has been deactivated. Ask an administrator.");

    private static FieldErrors Required(string? challenge, string? code, bool needsChallenge = true, bool needsCode = true)
    {
        var errors = new FieldErrors();
        if (needsChallenge && string.IsNullOrWhiteSpace(challenge))
        {
            errors.Add("challenge", "Challenge is required: the one the password step gave.");
        }
        if (needsCode && string.IsNullOrWhiteSpace(code))
        {
            errors.Add("code", "Code is required.");
        }
        return errors;
    }

    private static async Task<StaffAccount?> SignedInStaff(ClaimsPrincipal user, IDocumentSession session, CancellationToken cancellationToken) =>
        user.IsInRole(Roles.Patient) ? null : await session.LoadAsync<StaffAccount>(user.AccountId(), cancellationToken) is { Active: true } staff ? staff : null;

    private static ProblemHttpResult NotStaff() => Problems.Forbidden("Multi-factor authentication is for staff accounts; patients sign in with a code sent by SMS.");
}
