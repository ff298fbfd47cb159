using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Server.Infrastructure;
using Telemed.Server.Messages;

namespace Telemed.Server.Identity;

/// <summary>
/// Sends and checks the one-time codes patients sign in and register with. A code is never stored: it is derived from
/// the message key and the challenge's id when the SMS is handed over, and the challenge keeps only a keyed hash.
/// </summary>
public sealed class OneTimeCodeService(IOptions<OtpOptions> options, TimeProvider time, MessageSecrets secrets, Messenger messenger)
{
    private OtpPolicy Policy
    {
        get
        {
            var settings = options.Value;
            return new OtpPolicy(
                TimeSpan.FromMinutes(settings.LifetimeMinutes),
                settings.MaxAttempts,
                TimeSpan.FromMinutes(settings.LockoutMinutes),
                TimeSpan.FromSeconds(settings.ResendCooldownSeconds),
                settings.MaxSendsPerDay,
                TimeSpan.FromMinutes(settings.MaxLockoutMinutes));
        }
    }

    /// <summary>Creates a new code and queues its SMS in the same unit of work; the caller saves.</summary>
    public async Task<Result<OtpChallenge, Invalid>> Send(IDocumentSession session, MobileNumber mobile, string language, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = await session.LoadAsync<OtpChallengeDocument>(mobile.Value, cancellationToken);
        var codeId = Ids.New();
        var issued = OneTimeCodes.Issue(current?.Challenge, mobile.Value, secrets.CodeHash(mobile.Value, secrets.SignInCode(codeId)), now, Policy);
        if (issued.IsSuccess)
        {
            session.Store(new OtpChallengeDocument(mobile.Value, issued.Value));
            var queued = messenger.Queue(
                session, MessageCatalogue.SignInCode, mobile.Value, language,
                new Dictionary<string, string> { ["minutes"] = options.Value.LifetimeMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                new SecretVariable("code", SecretKind.SignInCode, codeId),
                expiresAt: issued.Value.ExpiresAt);
            if (!queued.IsSuccess)
            {
                throw new InvalidOperationException($"The sign-in code message does not compose: {queued.Error.Message}");
            }
        }
        return issued;
    }

    /// <summary>
    /// Checks a code and records the attempt in the session (the caller saves, also on failure, so wrong tries count).
    /// With <paramref name="consume"/> false a right code stays usable, for a number that must register first.
    /// </summary>
    public async Task<OtpVerification> Check(IDocumentSession session, MobileNumber mobile, string code, bool consume, CancellationToken cancellationToken)
    {
        var current = await session.LoadAsync<OtpChallengeDocument>(mobile.Value, cancellationToken);
        var matches = current is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(secrets.CodeHash(mobile.Value, code)), Encoding.ASCII.GetBytes(current.Challenge.CodeHash));
        var verification = OneTimeCodes.Verify(current?.Challenge, matches, time.GetUtcNow(), Policy);
        var keep = verification.Outcome == OtpOutcome.Verified && !consume;
        if (current is not null && verification.Challenge is { } changed && changed != current.Challenge && !keep)
        {
            session.Store(current with { Challenge = changed });
        }
        return verification;
    }

    /// <summary>Uses up a code that a check with consume false found right, once the caller has acted on it; the caller saves.</summary>
    public async Task Consume(IDocumentSession session, MobileNumber mobile, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<OtpChallengeDocument>(mobile.Value, cancellationToken) is { } current)
        {
            session.Store(current with { Challenge = OneTimeCodes.Succeeded(current.Challenge) });
        }
    }

    /// <summary>How a failed check reads to the caller.</summary>
    public static ProblemHttpResult Refusal(OtpVerification verification) => verification.Outcome switch
    {
        OtpOutcome.WrongCode => Problems.Invalid("code", $"The code is wrong. {verification.AttemptsLeft} attempt(s) left."),
        OtpOutcome.Expired => Problems.Invalid("code", "The code has expired. Ask for a new one."),
        OtpOutcome.NoCodeIssued => Problems.Invalid("code", "No code is waiting for this number (none was sent, or it was used). Ask for a new one."),
        OtpOutcome.Locked => Problems.Locked($"Too many wrong codes. This number is locked until {verification.LockedUntil:yyyy-MM-dd HH:mm} UTC."),
        _ => throw new ArgumentOutOfRangeException(nameof(verification), verification.Outcome, "Not a refusal."),
    };

    public static Result<string, Invalid> ParseCode(string? raw)
    {
        var code = raw?.Trim() ?? "";
        return code.Length == 6 && code.All(char.IsAsciiDigit) ? code : new Invalid("Code must be the 6 digits sent by SMS.");
    }
}
