using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Telemed.Domain.Audit;

/// <summary>One stored event as the chain reads it: the event store's columns that say what happened, on which stream and when.</summary>
public sealed record StoredEvent(long Sequence, Guid Id, string StreamId, long Version, string Type, DateTimeOffset Timestamp, string Data);

/// <summary>
/// A seal over the events <see cref="FromSequence"/>…<see cref="ToSequence"/> (<see cref="Events"/> of them, the store's
/// numbering has gaps): <see cref="Hash"/> chains them onto the previous seal's hash.
/// </summary>
public sealed record EventSeal(Guid Id, long FromSequence, long ToSequence, int Events, string Hash, DateTimeOffset At);

/// <summary>What verifying the chain found: intact up to <see cref="SealedUpTo"/>, or the first seal that does not hold.</summary>
public sealed record ChainReport(int SealsChecked, long SealedUpTo, int UnsealedEvents, string? Problem)
{
    public bool Intact => Problem is null;
}

/// <summary>
/// A hash chain over the event store, which holds every audited act: each event's hash covers the previous one, so
/// altering, deleting or inserting any sealed event changes every seal after it. Seals are published outside the
/// database (the server logs each one), so rewriting the chain in the database alone is caught too.
/// </summary>
public static class EventChain
{
    public static readonly string Genesis = new('0', 64);

    public static string Next(string previous, StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(stored);
        var line = string.Join('\n',
            previous,
            stored.Sequence.ToString(CultureInfo.InvariantCulture),
            stored.Id.ToString("D"),
            stored.StreamId,
            stored.Version.ToString(CultureInfo.InvariantCulture),
            stored.Type,
            stored.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            stored.Data);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line)));
    }

    /// <summary>The seal for <paramref name="events"/> (in sequence order) following <paramref name="previous"/> (null for the first seal).</summary>
    public static EventSeal Seal(Guid id, EventSeal? previous, IReadOnlyList<StoredEvent> events, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("A seal covers at least one event.", nameof(events));
        }
        var hash = previous?.Hash ?? Genesis;
        var last = previous?.ToSequence ?? 0;
        foreach (var stored in events)
        {
            if (stored.Sequence <= last)
            {
                throw new ArgumentException($"Event {stored.Sequence} is not after {last}: seal events in sequence order, each once.", nameof(events));
            }
            hash = Next(hash, stored);
            last = stored.Sequence;
        }
        return new EventSeal(id, (previous?.ToSequence ?? 0) + 1, last, events.Count, hash, at);
    }

    /// <summary>
    /// Recomputes the chain over every stored event in sequence order and compares it with each seal, oldest first; stops
    /// at the first seal that does not hold. Events after the last seal are counted, not judged.
    /// </summary>
    public static ChainReport Verify(IEnumerable<StoredEvent> events, IReadOnlyList<EventSeal> seals)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(seals);
        var ordered = seals.OrderBy(s => s.ToSequence).ToList();
        var hash = Genesis;
        var count = 0;
        var next = 0;
        var last = 0L;
        string? Check(EventSeal seal) =>
            count != seal.Events ? $"Events {seal.FromSequence}–{seal.ToSequence}: {seal.Events} sealed, {count} stored (events were deleted or inserted)."
            : hash != seal.Hash ? $"Events {seal.FromSequence}–{seal.ToSequence}: the hash does not match the seal (an event was altered, or the seals were)."
            : null;
        foreach (var stored in events)
        {
            if (stored.Sequence <= last)
            {
                throw new ArgumentException($"Event {stored.Sequence} comes after {last}: read the events in sequence order.", nameof(events));
            }
            for (; next < ordered.Count && ordered[next].ToSequence < stored.Sequence; next++, count = 0)
            {
                if (Check(ordered[next]) is { } problem)
                {
                    return new ChainReport(next, next > 0 ? ordered[next - 1].ToSequence : 0, 0, problem);
                }
            }
            hash = Next(hash, stored);
            count++;
            last = stored.Sequence;
        }
        for (; next < ordered.Count; next++, count = 0)
        {
            if (Check(ordered[next]) is { } problem)
            {
                return new ChainReport(next, next > 0 ? ordered[next - 1].ToSequence : 0, 0, problem);
            }
        }
        return new ChainReport(ordered.Count, ordered.Count > 0 ? ordered[^1].ToSequence : 0, count, null);
    }
}
