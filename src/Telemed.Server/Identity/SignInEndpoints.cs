using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Identity;

/// <summary>A code request; <c>language</c> is the SMS's (en, hi); when absent, the patient's own, else English.</summary>
public sealed record OtpRequest(string? Mobile, string? Language = null);

public sealed record OtpSent(DateTimeOffset ExpiresAt);

public sealed record OtpSignInRequest(string? Mobile, string? Code);

public sealed record PasswordSignInRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>
/// Patients sign in with a one-time code, staff with a password; both get an access and a refresh token — the web client
/// the refresh token as a cookie (<see cref="RefreshCookie"/>), other clients in the body.
/// </summary>
public static class SignInEndpoints
{
    public static void MapSignIn(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Sign-in").AllowAnonymous();
        auth.MapPost("/otp", SendCode).RequireRateLimiting(Security.SignInLimit).WithSummary("Send a one-time sign-in code by SMS to a mobile number.");
        auth.MapPost("/otp/verify", SignInWithCode).RequireRateLimiting(Security.SignInLimit).WithSummary("Patients: sign in with the code.");
        auth.MapPost("/sign-in", SignInWithPassword).RequireRateLimiting(Security.SignInLimit).WithSummary("Staff: sign in with email and password.");
        auth.MapPost("/refresh", Refresh).RequireRateLimiting(Security.SessionLimit)
            .WithSummary("Swap a refresh token (in the body, or the cookie the Telemed-Refresh header names) for new tokens; the old refresh token stops working.");
        auth.MapPost("/sign-out", SignOut).RequireRateLimiting(Security.SessionLimit)
            .WithSummary("End the session the refresh token (in the body, or the cookie the Telemed-Refresh header names) belongs to.");
        app.MapPost("/api/auth/sign-out-everywhere", SignOutEverywhere).RequireRateLimiting(Security.SessionLimit).WithTags("Sign-in")
            .WithSummary("End every session of the signed-in account; its live connections close within a minute.");
    }

    private static async Task<Results<Accepted<OtpSent>, ProblemHttpResult>> SendCode(
        OtpRequest request, IDocumentSession session, OneTimeCodeService codes, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var mobile = errors.Require("mobile", MobileNumber.Parse(request.Mobile));
        var language = errors.Optional("language", request.Language, MessageCatalogue.ParseLanguage);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        // The answer is the same whether or not a patient has this number: only the code's holder learns which it is.
        // The SMS is in the language asked for, else in the one the patient chose when registering.
        language ??= (await PatientAccounts.WithMobile(session, mobile!, cancellationToken))?.Language ?? MessageCatalogue.English;
        var sent = await codes.Send(session, mobile!, language, cancellationToken);
        if (!sent.IsSuccess)
        {
            return Problems.TooManyRequests(sent.Error.Message);
        }
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted((string?)null, new OtpSent(sent.Value.ExpiresAt));
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> SignInWithCode(
        OtpSignInRequest request, HttpContext http, IDocumentSession session, OneTimeCodeService codes, Tokens tokens, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var mobile = errors.Require("mobile", MobileNumber.Parse(request.Mobile));
        var code = errors.Require("code", OneTimeCodeService.ParseCode(request.Code));
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var patient = await PatientAccounts.WithMobile(session, mobile!, cancellationToken);
        var verification = await codes.Check(session, mobile!, code!, consume: patient is not null, cancellationToken);
        if (verification.Outcome != OtpOutcome.Verified)
        {
            await session.SaveChangesAsync(cancellationToken);
            if (patient is not null)
            {
                await AccountJournal.Record(session.DocumentStore, patient.Id, cancellationToken, new SignInFailed(patient.Id, verification.Outcome.ToString(), time.GetUtcNow()));
            }
            return OneTimeCodeService.Refusal(verification);
        }
        if (patient is null)
        {
            await session.SaveChangesAsync(cancellationToken);
            return PatientAccounts.NotRegistered();
        }
        var issued = tokens.Issue(session, patient.Id, Role.Patient);
        await session.SaveChangesAsync(cancellationToken);
        await SignedIn.Record(session.DocumentStore, new SignedIn(patient.Id, "otp", time.GetUtcNow()), cancellationToken);
        return TypedResults.Ok(RefreshCookie.Deliver(http, issued, acting: false));
    }

    /// <summary>
    /// Tokens, or — for an account with multi-factor authentication, and for an admin who has yet to enrol — a challenge
    /// for the second step (<see cref="MfaEndpoints"/>), and no tokens.
    /// </summary>
    private static async Task<Results<Ok<TokenResponse>, Accepted<MfaChallengeResponse>, ProblemHttpResult>> SignInWithPassword(
        PasswordSignInRequest request,
        HttpContext http,
        IDocumentSession session,
        IDocumentStore store,
        IPasswordHasher<StaffAccount> hasher,
        DecoyPasswordHash decoy,
        MfaSecrets mfaSecrets,
        Tokens tokens,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var email = errors.Require("email", PersonRules.Email(request.Email));
        if (string.IsNullOrEmpty(request.Password))
        {
            errors.Add("password", "Password is required.");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var staff = await session.Query<StaffAccount>().SingleOrDefaultAsync(s => s.Email == email!, cancellationToken);
        var stored = await session.LoadAsync<PasswordAttempts>(PasswordAttempts.Key(email!), cancellationToken);
        var attempts = stored ?? new PasswordAttempts(PasswordAttempts.Key(email!));
        var now = time.GetUtcNow();
        // Hash even for an unknown or locked email so the answer takes as long either way.
        var verdict = hasher.VerifyHashedPassword(staff!, staff?.PasswordHash ?? decoy.Value, request.Password!);
        if (attempts.IsLockedAt(now))
        {
            if (staff is not null)
            {
                await AccountJournal.Record(store, staff.Id, cancellationToken, new SignInFailed(staff.Id, "locked", now));
            }
            return Locked(attempts);
        }
        if (staff is null || verdict == PasswordVerificationResult.Failed)
        {
            var failed = await CountFailure(session, store, attempts.Id, stored, now, cancellationToken);
            if (staff is not null)
            {
                await AccountJournal.Record(store, staff.Id, cancellationToken, new SignInFailed(staff.Id, "wrong password", now));
            }
            return failed.IsLockedAt(now) ? Locked(failed) : Problems.Unauthorized("Email or password is wrong.");
        }
        if (!staff.Active)
        {
            return Problems.Unauthorized("This account has been deactivated. Ask an administrator.");
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            session.Store(staff with { PasswordHash = hasher.HashPassword(staff, request.Password!) });
        }
        var mfa = await session.LoadAsync<StaffMfa>(staff.Id, cancellationToken);
        if (mfa is { Enabled: true })
        {
            // The count of wrong tries goes on until the code is right too: a password alone does not start it over.
            return await Challenge(session, mfaSecrets, staff, MfaStep.Code, cancellationToken);
        }
        if (attempts.Failures > 0 || attempts.Lockouts > 0)
        {
            session.Delete(attempts);
        }
        if (staff.Role == Role.Admin)
        {
            return await Challenge(session, mfaSecrets, staff, MfaStep.Enrol, cancellationToken);
        }
        var issued = tokens.Issue(session, staff.Id, staff.Role);
        await session.SaveChangesAsync(cancellationToken);
        await SignedIn.Record(store, new SignedIn(staff.Id, "password", time.GetUtcNow()), cancellationToken);
        return TypedResults.Ok(RefreshCookie.Deliver(http, issued, acting: false));
    }

    private static async Task<Accepted<MfaChallengeResponse>> Challenge(
        IDocumentSession session, MfaSecrets secrets, StaffAccount staff, MfaStep step, CancellationToken cancellationToken)
    {
        var (token, challenge) = secrets.Challenge(session, staff.Id, step);
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted((string?)null, new MfaChallengeResponse(token, step == MfaStep.Code ? "code" : "enrol", challenge.ExpiresAt));
    }

    /// <summary>
    /// Counts a wrong password (or a wrong second-factor code) under optimistic concurrency: wrong passwords sent in parallel each count, or a lock
    /// could be dodged by sending them all at once. The first pass counts onto <paramref name="loaded"/>, what the
    /// caller's <paramref name="session"/> read (null when there was none); a conflict reads it again in a session of its own.
    /// </summary>
    internal static async Task<PasswordAttempts> CountFailure(
        IDocumentSession session, IDocumentStore store, string key, PasswordAttempts? loaded, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var writer = session;
        var current = loaded;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (current?.IsLockedAt(now) == true)
                {
                    return current;
                }
                var failed = PasswordLockout.Failed(current ?? new PasswordAttempts(key), now);
                if (current is null)
                {
                    writer.Insert(failed);
                }
                else
                {
                    writer.Store(failed);
                }
                try
                {
                    await writer.SaveChangesAsync(cancellationToken);
                    return failed;
                }
                catch (Exception e) when (e is JasperFx.ConcurrencyException or JasperFx.DocumentAlreadyExistsException && attempt < 20)
                {
                    if (writer == session)
                    {
                        session.EjectAllPendingChanges();
                    }
                    else
                    {
                        await writer.DisposeAsync();
                    }
                    writer = store.LightweightSession();
                    current = await writer.LoadAsync<PasswordAttempts>(key, cancellationToken);
                }
            }
        }
        finally
        {
            if (writer != session)
            {
                await writer.DisposeAsync();
            }
        }
    }

    internal static ProblemHttpResult Locked(PasswordAttempts attempts) => Problems.Locked(
        $"Too many wrong passwords or codes: sign-in with this email is locked until {attempts.LockedUntil:HH:mm} UTC. If you forgot the password, reset it by e-mail.");

    /// <remarks>The body is optional: the web client's refresh token comes in its cookie.</remarks>
    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Refresh(
        [FromBody] RefreshRequest? request, HttpContext http, IDocumentSession session, Tokens tokens, IOptions<AuthOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var presented = RefreshCookie.Presented(http, request?.RefreshToken);
        if (!presented.IsSuccess)
        {
            return presented.Error;
        }
        var now = time.GetUtcNow();
        var record = await session.LoadAsync<RefreshTokenRecord>(Tokens.Hash(presented.Value), cancellationToken);
        if (record is null || record.ExpiresAt <= now)
        {
            return Problems.Unauthorized("The refresh token is unknown or expired. Sign in again.");
        }
        if (record.UsedAt is not null || record.RevokedAt is not null)
        {
            // A rotated token coming back means it was copied: end every session descended from it.
            await RevokeFamily(session, record.FamilyId, now, cancellationToken);
            await session.SaveChangesAsync(cancellationToken);
            if (record.RevokedAt is null)
            {
                await AccountJournal.Record(session.DocumentStore, record.AccountId, cancellationToken, new RefreshTokenReused(record.AccountId, record.FamilyId, now));
            }
            return Problems.Unauthorized("The refresh token was already used or revoked. Sign in again.");
        }
        if (record.Role != Role.Patient && await session.LoadAsync<StaffAccount>(record.AccountId, cancellationToken) is not { Active: true })
        {
            return Problems.Unauthorized("This account has been deactivated. Ask an administrator.");
        }
        if (record.ActorId is { } guardianId
            && !Family.IsGuardian(guardianId, (await session.LoadAsync<PatientAccount>(record.AccountId, cancellationToken))?.GuardianId))
        {
            return Problems.Unauthorized("You no longer act for this person. Sign in again.");
        }
        // Records are never deleted and a session's all share its family id: the first one's issue time is the sign-in.
        var signedInAt = await session.Query<RefreshTokenRecord>().Where(t => t.FamilyId == record.FamilyId)
            .OrderBy(t => t.IssuedAt).Select(t => t.IssuedAt).FirstAsync(cancellationToken);
        var lifetime = record.Role == Role.Patient
            ? TimeSpan.FromDays(options.Value.PatientSessionDays)
            : TimeSpan.FromHours(options.Value.StaffSessionHours);
        if (now - signedInAt > lifetime)
        {
            await RevokeFamily(session, record.FamilyId, now, cancellationToken);
            await session.SaveChangesAsync(cancellationToken);
            await AccountJournal.Record(session.DocumentStore, record.AccountId, cancellationToken, new SessionLifetimeEnded(record.AccountId, record.FamilyId, now));
            return Problems.Unauthorized("This sign-in has reached its time limit. Sign in again.");
        }
        // Each refresh issues a new record, so its issue time is when the session was last used.
        var idleLimit = TimeSpan.FromMinutes(options.Value.StaffIdleMinutes);
        if (record.Role != Role.Patient && now - record.IssuedAt > idleLimit)
        {
            await RevokeFamily(session, record.FamilyId, now, cancellationToken);
            await session.SaveChangesAsync(cancellationToken);
            await AccountJournal.Record(session.DocumentStore, record.AccountId, cancellationToken, new SignedOutIdle(record.AccountId, record.FamilyId, now));
            return Problems.Unauthorized($"Signed out after {options.Value.StaffIdleMinutes} minutes without activity. Sign in again.");
        }
        session.Store(record with { UsedAt = now });
        var issued = tokens.Issue(session, record.AccountId, record.Role, record.FamilyId, record.ActorId);
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(RefreshCookie.Deliver(http, issued, acting: record.ActorId is not null));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SignOut(
        [FromBody] RefreshRequest? request, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var presented = RefreshCookie.Presented(http, request?.RefreshToken);
        if (!presented.IsSuccess)
        {
            return presented.Error;
        }
        RefreshCookie.Clear(http);
        var record = await session.LoadAsync<RefreshTokenRecord>(Tokens.Hash(presented.Value), cancellationToken);
        if (record is not null)
        {
            var now = time.GetUtcNow();
            await RevokeFamily(session, record.FamilyId, now, cancellationToken);
            await session.SaveChangesAsync(cancellationToken);
            await AccountJournal.Record(session.DocumentStore, record.AccountId, cancellationToken, new SignedOut(record.AccountId, record.FamilyId, now));
        }
        return TypedResults.NoContent();
    }

    /// <summary>The access token names the account, so no refresh token (and no cookie) is read; the web client's cookies are cleared.</summary>
    private static async Task<NoContent> SignOutEverywhere(
        ClaimsPrincipal user, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        // A guardian acting for a dependant signs themselves out, with every acting session of theirs.
        var accountId = user.ActorId();
        var now = time.GetUtcNow();
        await RevokeAll(session, accountId, now, cancellationToken);
        await session.SaveChangesAsync(cancellationToken);
        await AccountJournal.Record(session.DocumentStore, accountId, cancellationToken, new SignedOutEverywhere(accountId, now));
        RefreshCookie.Clear(http);
        return TypedResults.NoContent();
    }

    /// <summary>Revokes every live refresh token of the account, and those it holds to act for its dependants; the caller saves the change.</summary>
    public static async Task RevokeAll(IDocumentSession session, Guid accountId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var live = await session.Query<RefreshTokenRecord>()
            .Where(t => (t.AccountId == accountId || t.ActorId == accountId) && t.RevokedAt == null)
            .ToListAsync(cancellationToken);
        foreach (var token in live)
        {
            session.Store(token with { RevokedAt = now });
        }
    }

    private static async Task RevokeFamily(IDocumentSession session, Guid familyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var family = await session.Query<RefreshTokenRecord>().Where(t => t.FamilyId == familyId && t.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var token in family)
        {
            session.Store(token with { RevokedAt = now });
        }
    }

}
