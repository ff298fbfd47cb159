namespace Telemed.Domain.Messages;

/// <summary>
/// Where a message is on its way. <c>Pending</c> waits for its due time; <c>Sent</c> is accepted by the provider;
/// <c>Delivered</c> and <c>Undelivered</c> come from the provider's receipt; <c>DeadLettered</c> ran out of attempts;
/// <c>Lapsed</c> was due after it stopped meaning anything (a code that expired before it could be sent);
/// <c>Suppressed</c> went to someone who opted out.
/// </summary>
public enum DeliveryState
{
    Pending,
    Sent,
    Delivered,
    Undelivered,
    DeadLettered,
    Lapsed,
    Suppressed,
}

/// <summary>What one hand-over to a provider came to.</summary>
public enum AttemptOutcome
{
    /// <summary>The provider took the message.</summary>
    Accepted,

    /// <summary>No answer (time-out, connection lost): the provider may have taken it, so the retry reuses the idempotency key.</summary>
    Unknown,

    /// <summary>The provider answered that it did not take the message (5xx, throttled): the retry may use a new key.</summary>
    Refused,

    /// <summary>The provider will never take it (a 4xx about the request itself): no retry.</summary>
    Rejected,
}

public sealed record DeliveryPolicy(int MaxAttempts, TimeSpan FirstRetry, TimeSpan MaxRetry);

/// <summary>The state of a message after an attempt, and when it is tried next.</summary>
public sealed record AfterAttempt(DeliveryState State, int Attempts, int KeyGeneration, DateTimeOffset DueAt);

public static class Delivery
{
    /// <summary>India Standard Time has no daylight saving: a fixed offset is exact.</summary>
    public static readonly TimeSpan Ist = TimeSpan.FromHours(5.5);

    public static readonly TimeOnly QuietFrom = new(21, 0);
    public static readonly TimeOnly QuietUntil = new(8, 0);

    /// <summary>
    /// Retries back off exponentially up to a ceiling; after the last attempt the message is dead-lettered. A refused
    /// attempt moves to a new idempotency key (the provider did not take it, and some providers replay a refusal for
    /// a key); an unknown one keeps its key, so a message the provider did take is never taken twice.
    /// </summary>
    public static AfterAttempt Attempted(int attemptsBefore, int keyGeneration, AttemptOutcome outcome, DateTimeOffset now, DeliveryPolicy policy)
    {
        var attempts = attemptsBefore + 1;
        return outcome switch
        {
            AttemptOutcome.Accepted => new(DeliveryState.Sent, attempts, keyGeneration, now),
            AttemptOutcome.Rejected => new(DeliveryState.DeadLettered, attempts, keyGeneration, now),
            _ when attempts >= policy.MaxAttempts => new(DeliveryState.DeadLettered, attempts, keyGeneration, now),
            _ => new(
                DeliveryState.Pending,
                attempts,
                outcome == AttemptOutcome.Refused ? keyGeneration + 1 : keyGeneration,
                now + Backoff(attempts, policy)),
        };
    }

    public static TimeSpan Backoff(int attempts, DeliveryPolicy policy)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 20));
        return TimeSpan.FromTicks((long)Math.Min(policy.FirstRetry.Ticks * factor, policy.MaxRetry.Ticks));
    }

    /// <summary>
    /// When a non-essential message due at <paramref name="due"/> may go: at once outside 21:00–08:00 IST, else at
    /// the next 08:00 IST.
    /// </summary>
    public static DateTimeOffset OutsideQuietHours(DateTimeOffset due)
    {
        var local = due.ToOffset(Ist);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (time >= QuietUntil && time < QuietFrom)
        {
            return due;
        }
        var day = DateOnly.FromDateTime(local.DateTime);
        var morning = time >= QuietFrom ? day.AddDays(1) : day;
        // In UTC, as PostgreSQL's timestamptz (and every stored time in Telemed) takes it.
        return new DateTimeOffset(morning.ToDateTime(QuietUntil), Ist).ToUniversalTime();
    }

    /// <summary>A patient who opted out still gets what they cannot do without: codes, "you are next", the doctor's call.</summary>
    public static bool Suppressed(MessageTemplate template, bool optedOut) => optedOut && !template.Essential;

    /// <summary>
    /// A follow-up reminder goes at 10:00 IST the day before the follow-up date; none when that moment has passed (a
    /// follow-up tomorrow or sooner was just told to the patient by the doctor).
    /// </summary>
    public static DateTimeOffset? FollowUpReminderAt(DateOnly followUpOn, DateTimeOffset now)
    {
        var at = new DateTimeOffset(followUpOn.AddDays(-1).ToDateTime(FollowUpReminderTime), Ist).ToUniversalTime();
        return at > now ? at : null;
    }

    public static readonly TimeOnly FollowUpReminderTime = new(10, 0);

    /// <summary>
    /// A booking reminder goes at 18:00 IST the day before the slot; for a booking made after that, two hours before the
    /// slot; none when that has passed too. Quiet hours may hold it back, and it lapses once the slot has begun.
    /// </summary>
    public static DateTimeOffset? BookingReminderAt(DateTimeOffset slotStartsAt, DateTimeOffset now)
    {
        var slotDay = DateOnly.FromDateTime(slotStartsAt.ToOffset(Ist).DateTime);
        var dayBefore = new DateTimeOffset(slotDay.AddDays(-1).ToDateTime(BookingReminderTime), Ist).ToUniversalTime();
        if (dayBefore > now)
        {
            return dayBefore;
        }
        var shortly = (slotStartsAt - BookingReminderLead).ToUniversalTime();
        return shortly > now ? shortly : null;
    }

    public static readonly TimeOnly BookingReminderTime = new(18, 0);

    public static readonly TimeSpan BookingReminderLead = TimeSpan.FromHours(2);

    /// <summary>A receipt moves a sent message to its outcome; one about a message still being handed over proves it went.</summary>
    public static DeliveryState? Receipt(DeliveryState current, bool delivered) =>
        current is DeliveryState.Sent or DeliveryState.Pending ? (delivered ? DeliveryState.Delivered : DeliveryState.Undelivered) : null;
}
