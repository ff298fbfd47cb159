using System.Globalization;
using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Telemed.Domain;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Server.Infrastructure;
using Telemed.Server.Messages;
using Telemed.Server.Prescriptions;

namespace Telemed.Server.Identity;

public sealed record PasswordResetRequest(string? Email, string? Language = null);

public sealed record CompletePasswordResetRequest(string? Token, string? NewPassword);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>
/// A password reset asked for by e-mail: valid for <see cref="PasswordResets.Lifetime"/> and once. Its link is derived
/// from the message key and this id when the e-mail is handed over, so neither the link nor a hash of it is stored.
/// </summary>
public sealed record PasswordReset(Guid Id, Guid StaffId, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt = null);

public sealed record PasswordResetRequested(Guid StaffId, Guid ResetId, DateTimeOffset At);

public sealed record PasswordChanged(Guid StaffId, string How, DateTimeOffset At);

/// <summary>Staff change their password, or reset a forgotten one through a single-use link sent to their e-mail.</summary>
public static class PasswordResets
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    /// <summary>How long the link in a new account's first e-mail lets its holder choose a password.</summary>
    public static readonly TimeSpan FirstPasswordLifetime = TimeSpan.FromHours(72);

    public static void MapPasswords(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Sign-in");
        auth.MapPost("/password-reset", Request).AllowAnonymous().RequireRateLimiting(Security.SignInLimit)
            .WithSummary("Staff: e-mail a password reset link (valid 30 minutes, once). Answers the same whether or not the address is known.");
        auth.MapPost("/password-reset/complete", Complete).AllowAnonymous().RequireRateLimiting(Security.SignInLimit)
            .WithSummary("Staff: choose a new password with the token from the reset link; every session of the account ends.");
        auth.MapPost("/password", Change)
            .WithSummary("Staff: change your password, giving the current one; every session of the account ends, sign in again.");
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> Request(
        PasswordResetRequest request, IDocumentSession session, Messenger messenger, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var email = errors.Require("email", PersonRules.Email(request.Email));
        var language = errors.Require("language", MessageCatalogue.ParseLanguage(request.Language));
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var staff = await session.Query<StaffAccount>().SingleOrDefaultAsync(s => s.Email == email!, cancellationToken);
        if (staff is { Active: true })
        {
            var now = time.GetUtcNow();
            var reset = SendLink(session, messenger, staff, MessageCatalogue.StaffPasswordReset, Lifetime, language!, now,
                new Dictionary<string, string> { ["minutes"] = Lifetime.TotalMinutes.ToString(CultureInfo.InvariantCulture) });
            await session.SaveChangesAsync(cancellationToken);
            await AccountJournal.Record(session.DocumentStore, staff.Id, cancellationToken, new PasswordResetRequested(staff.Id, reset.Id, now));
        }
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>A new account's e-mail: a single-use link to choose a password, valid <see cref="FirstPasswordLifetime"/>.</summary>
    public static void SendFirstPassword(IDocumentSession session, Messenger messenger, StaffAccount staff, string language, DateTimeOffset now) =>
        SendLink(session, messenger, staff, MessageCatalogue.StaffFirstPassword, FirstPasswordLifetime, language, now,
            new Dictionary<string, string> { ["hours"] = FirstPasswordLifetime.TotalHours.ToString(CultureInfo.InvariantCulture) });

    /// <summary>Stores a reset and queues the e-mail carrying its link; the link is derived when the e-mail is handed over.</summary>
    private static PasswordReset SendLink(
        IDocumentSession session, Messenger messenger, StaffAccount staff, MessageTemplate template, TimeSpan lifetime, string language, DateTimeOffset now,
        Dictionary<string, string> variables)
    {
        var reset = new PasswordReset(Ids.New(), staff.Id, now + lifetime);
        session.Insert(reset);
        variables["name"] = staff.Name;
        var queued = messenger.Queue(session, template, staff.Email, language, variables, new SecretVariable("link", SecretKind.ResetLink, reset.Id), expiresAt: reset.ExpiresAt);
        if (!queued.IsSuccess)
        {
            throw new InvalidOperationException($"The {template.Id} e-mail does not compose: {queued.Error.Message}");
        }
        return reset;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Complete(
        CompletePasswordResetRequest request,
        IDocumentSession session,
        MessageSecrets secrets,
        IPasswordHasher<StaffAccount> hasher,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var password = errors.Require("newPassword", PersonRules.NewPassword(request.NewPassword));
        var resetId = secrets.ResetId(request.Token);
        if (resetId is null)
        {
            errors.Add("token", "This is not a password reset link Telemed sent.");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var now = time.GetUtcNow();
        var reset = await session.LoadAsync<PasswordReset>(resetId!.Value, cancellationToken);
        if (reset is null || reset.UsedAt is not null || reset.ExpiresAt <= now)
        {
            return Problems.Invalid("token", "This reset link has been used or has expired. Ask for a new one.");
        }
        if (await session.LoadAsync<StaffAccount>(reset.StaffId, cancellationToken) is not { Active: true } staff)
        {
            return Problems.Invalid("token", "This account has been deactivated. Ask an administrator.");
        }
        session.Store(reset with { UsedAt = now });
        // Proving the mailbox is what a lock after wrong passwords waits for.
        session.Delete<PasswordAttempts>(PasswordAttempts.Key(staff.Email));
        await SetPassword(session, hasher, staff, password!, now, cancellationToken);
        // The signing key was wrapped under the forgotten password: it signs no more, and the next unlock makes a new one.
        var retired = await DoctorKeys.Retire(session, staff.Id, staff.Id, "password reset", now, cancellationToken);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.ConcurrencyException)
        {
            return Problems.Invalid("token", "This reset link has been used or has expired. Ask for a new one.");
        }
        await AccountJournal.Record(session.DocumentStore, staff.Id, cancellationToken, [.. retired, new PasswordChanged(staff.Id, "reset", now)]);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Change(
        ChangePasswordRequest request,
        ClaimsPrincipal user,
        IDocumentSession session,
        IPasswordHasher<StaffAccount> hasher,
        DoctorKeys doctorKeys,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (user.IsInRole(Roles.Patient))
        {
            return Problems.Forbidden("Patients sign in with a code sent by SMS and have no password.");
        }
        var errors = new FieldErrors();
        var password = errors.Require("newPassword", PersonRules.NewPassword(request.NewPassword));
        if (string.IsNullOrEmpty(request.CurrentPassword))
        {
            errors.Add("currentPassword", "Current password is required.");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (await session.LoadAsync<StaffAccount>(user.AccountId(), cancellationToken) is not { Active: true } staff)
        {
            return Problems.Unauthorized("This account has been deactivated. Ask an administrator.");
        }
        var now = time.GetUtcNow();
        var verdict = hasher.VerifyHashedPassword(staff, staff.PasswordHash, request.CurrentPassword!);
        if (verdict == PasswordVerificationResult.Failed)
        {
            await AccountJournal.Record(session.DocumentStore, staff.Id, cancellationToken, new SignInFailed(staff.Id, "wrong password (change)", now));
            return Problems.Invalid("currentPassword", "The current password is wrong.");
        }
        await SetPassword(session, hasher, staff, password!, now, cancellationToken);
        await doctorKeys.Rewrap(session, staff.Id, request.CurrentPassword!, password!, cancellationToken);
        await session.SaveChangesAsync(cancellationToken);
        await AccountJournal.Record(session.DocumentStore, staff.Id, cancellationToken, new PasswordChanged(staff.Id, "change", now));
        return TypedResults.NoContent();
    }

    /// <summary>New hash and every session ended; the caller saves, then journals <see cref="PasswordChanged"/> (<see cref="AccountJournal"/>).</summary>
    private static async Task SetPassword(
        IDocumentSession session, IPasswordHasher<StaffAccount> hasher, StaffAccount staff, string password, DateTimeOffset now, CancellationToken cancellationToken)
    {
        session.Store(staff with { PasswordHash = hasher.HashPassword(staff, password) });
        await SignInEndpoints.RevokeAll(session, staff.Id, now, cancellationToken);
    }
}
