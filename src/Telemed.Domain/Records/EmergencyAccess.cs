namespace Telemed.Domain.Records;

/// <summary>An administrator opened emergency access to one OPD session's clinical content (its patients' complaints and files).</summary>
public sealed record EmergencyAccessOpened(Guid AdminId, Guid SessionId, string Reason, DateTimeOffset At, DateTimeOffset Until);

/// <summary>
/// Break-glass access (HIPAA §164.312(a)(2)(ii)): an administrator sees a session's clinical content only after giving a
/// reason, for <see cref="Lifetime"/>, and every read under it goes on each patient's access log with that reason.
/// </summary>
public static class EmergencyAccess
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    public const int ReasonMinimum = 15;
    public const int ReasonMaximum = 500;

    public static Result<EmergencyAccessOpened, string> Open(Guid adminId, Guid sessionId, string? reason, DateTimeOffset now)
    {
        var why = reason?.Trim() ?? "";
        if (why.Length < ReasonMinimum)
        {
            return $"Say why you need the patients' clinical details (at least {ReasonMinimum} characters): each patient sees it in their access log.";
        }
        if (why.Length > ReasonMaximum)
        {
            return $"Keep the reason to {ReasonMaximum} characters.";
        }
        return new EmergencyAccessOpened(adminId, sessionId, why, now, now + Lifetime);
    }

    /// <summary>Whether <paramref name="access"/> is still open at <paramref name="now"/>.</summary>
    public static bool Allows(EmergencyAccessOpened? access, DateTimeOffset now) => access is not null && now < access.Until;
}
