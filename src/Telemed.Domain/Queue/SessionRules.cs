namespace Telemed.Domain.Queue;

/// <summary>Limits on what an OPD session may be opened with.</summary>
public static class SessionRules
{
    public const int MaxCapacity = 2000;
    public const int MaxDoctors = 20;
    public const long MaxFeePaise = 10_000_000; // ₹1,00,000
    public const int MaxComplaintLength = 2000;
    public static readonly TimeSpan MaxLength = TimeSpan.FromHours(24);

    public static Result<int, Invalid> Capacity(int? capacity) => capacity switch
    {
        null => new Invalid("Capacity is required."),
        < 1 => new Invalid("Capacity must be at least 1."),
        > MaxCapacity => new Invalid($"Capacity may be at most {MaxCapacity}."),
        var c => c.Value,
    };

    public static Result<long, Invalid> FeePaise(long? fee) => fee switch
    {
        null => 0L,
        < 0 => new Invalid("Fee may not be negative (0 means free)."),
        > MaxFeePaise => new Invalid("Fee may be at most ₹1,00,000 (10000000 paise)."),
        var f => f.Value,
    };

    public static Result<int, Invalid> SlotMinutes(int? minutes) => minutes switch
    {
        null => 10,
        < 1 or > 240 => new Invalid("Slot length must be 1 to 240 minutes."),
        var m => m.Value,
    };

    public static Result<int, Invalid> NoShowAfterMissedCalls(int? calls) => calls switch
    {
        null => 3,
        < 1 or > 10 => new Invalid("No-show threshold must be 1 to 10 missed calls."),
        var c => c.Value,
    };

    public static Result<(DateTimeOffset Starts, DateTimeOffset Ends), Invalid> Window(DateTimeOffset? starts, DateTimeOffset? ends, DateTimeOffset now)
    {
        if (starts is null || ends is null)
        {
            return new Invalid("Start and end time are required.");
        }
        if (ends <= starts)
        {
            return new Invalid("The session must end after it starts.");
        }
        if (ends - starts > MaxLength)
        {
            return new Invalid("A session may last at most 24 hours.");
        }
        return ends <= now ? new Invalid("The session would already be over.") : (starts.Value, ends.Value);
    }

    public static Result<string?, Invalid> Complaint(string? complaint)
    {
        var text = complaint?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return (string?)null;
        }
        if (text.Length > MaxComplaintLength)
        {
            return new Invalid($"Complaint may be at most {MaxComplaintLength} characters.");
        }
        return text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) ? new Invalid("Complaint may not contain control characters.") : text;
    }
}
