using System.Globalization;

namespace Telemed.Domain.Audit;

public enum AuditOutcome
{
    Success,
    Failure,
    Refused,
}

/// <summary>
/// One page of the audit trail, newest first: every filter is optional; <see cref="Offset"/> skips the entries of earlier pages.
/// </summary>
public sealed record AuditQuery(
    Guid? AccountId, string? ResourcePrefix, string? Action, AuditOutcome? Outcome, DateTimeOffset? From, DateTimeOffset? To, int Offset, int Limit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>Null when any filter is wrong; each wrong one is named in <paramref name="errors"/> by its query parameter.</summary>
    public static AuditQuery? Parse(
        string? accountId, string? resource, string? action, string? outcome, string? from, string? to, string? offset, string? limit, FieldErrors errors)
    {
        var parsedAccount = Optional<Guid>(accountId, "accountId", "Give an account id (a GUID).", raw => Guid.TryParse(raw, out var id) ? id : null, errors);
        var parsedOutcome = Optional<AuditOutcome>(outcome, "outcome", "Outcome is success, failure or refused.",
            raw => Enum.TryParse<AuditOutcome>(raw, ignoreCase: true, out var value) && !int.TryParse(raw, out _) ? value : null, errors);
        var parsedFrom = Optional(from, "from", "Give a time in ISO 8601 with an offset, e.g. 2026-11-25T09:00:00+05:30.", Time, errors);
        var parsedTo = Optional(to, "to", "Give a time in ISO 8601 with an offset, e.g. 2026-11-25T18:00:00+05:30.", Time, errors);
        var parsedOffset = Optional<int>(offset, "offset", "Offset is a whole number of entries to skip (0 or more).",
            raw => int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null, errors);
        var parsedLimit = Optional<int>(limit, "limit", $"Limit is a whole number from 1 to {MaxLimit}.",
            raw => int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= MaxLimit ? value : null, errors);
        if (parsedFrom is { } start && parsedTo is { } end && start > end)
        {
            errors.Add("to", "The end of the period comes before its start.");
        }
        var resourcePrefix = Text(resource, "resource", errors);
        var actionName = Text(action, "action", errors);
        return errors.Any
            ? null
            : new AuditQuery(parsedAccount, resourcePrefix, actionName, parsedOutcome, parsedFrom, parsedTo, parsedOffset ?? 0, parsedLimit ?? DefaultLimit);
    }

    private static DateTimeOffset? Time(string raw) =>
        DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) && HasOffset(raw) ? value : null;

    // A time without an offset would silently mean the server's zone; audit questions are about exact moments.
    private static bool HasOffset(string raw) =>
        raw.IndexOf('T', StringComparison.OrdinalIgnoreCase) is > 0 and var time
        && (raw.EndsWith('Z') || raw.EndsWith('z') || raw.LastIndexOfAny(['+', '-']) > time);

    private static string? Text(string? raw, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        if (raw.Length > 200)
        {
            errors.Add(field, $"The {field} filter is at most 200 characters.");
            return null;
        }
        return raw.Trim();
    }

    private static T? Optional<T>(string? raw, string field, string message, Func<string, T?> parse, FieldErrors errors) where T : struct
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var value = parse(raw.Trim());
        if (value is null)
        {
            errors.Add(field, message);
        }
        return value;
    }
}
