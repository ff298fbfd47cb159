using System.Globalization;

namespace Telemed.Domain.Spokes;

public interface IRosterEvent
{
    Guid RosterId { get; }

    DateTimeOffset At { get; }
}

/// <summary>A hub doctor's weekly hours for spokes: on these days, from–to India time, in this specialty, so many patients in slots of this length.</summary>
public sealed record RosterPublished(
    Guid RosterId,
    Guid DoctorId,
    Guid HubId,
    string Specialty,
    IReadOnlyList<DayOfWeek> Days,
    TimeOnly From,
    TimeOnly To,
    int Capacity,
    int SlotMinutes,
    DateTimeOffset At) : IRosterEvent;

public sealed record RosterWithdrawn(Guid RosterId, Guid By, DateTimeOffset At) : IRosterEvent;

public sealed record Roster(
    Guid Id,
    Guid DoctorId,
    Guid HubId,
    string Specialty,
    IReadOnlyList<DayOfWeek> Days,
    TimeOnly From,
    TimeOnly To,
    int Capacity,
    int SlotMinutes,
    bool Withdrawn)
{
    public static Roster Evolve(Roster? state, IRosterEvent @event) => @event switch
    {
        RosterPublished e => new Roster(e.RosterId, e.DoctorId, e.HubId, e.Specialty, e.Days, e.From, e.To, e.Capacity, e.SlotMinutes, false),
        RosterWithdrawn when state is not null => state with { Withdrawn = true },
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to roster {@event.RosterId}."),
    };
}

/// <summary>What a doctor asks to publish, as parsed from the request.</summary>
public sealed record RosterInput(string? Specialty, IReadOnlyList<string>? Days, string? From, string? To, int? Capacity, int? SlotMinutes);

/// <summary>
/// A roster is a weekly pattern; each rostered day becomes one OPD session of the doctor at the hub (opened when a spoke
/// first books it), whose slots come from the roster's slot length and whose capacity is the roster's. Capacity never
/// exceeds the slots, since every booking holds one.
/// </summary>
public static class RosterRules
{
    public const int MinSlotMinutes = 5;
    public const int MaxSlotMinutes = 120;

    /// <summary>How far ahead a spoke may book against a roster.</summary>
    public const int MaxDaysAhead = 28;

    public static int SlotCount(TimeOnly from, TimeOnly to, int slotMinutes) => (int)((to - from).TotalMinutes / slotMinutes);

    /// <summary>The roster to publish, or every field that is wrong.</summary>
    public static RosterPublished? Publish(RosterInput input, Guid rosterId, Guid doctorId, Guid hubId, IEnumerable<Roster> doctorsRosters, DateTimeOffset now, FieldErrors errors)
    {
        var specialty = errors.Require("specialty", Identity.PersonRules.Text(input.Specialty, "Specialty", 80));
        var days = errors.Require("days", Days(input.Days));
        var from = errors.RequireValue("from", Time(input.From, "From"));
        var to = errors.RequireValue("to", Time(input.To, "To"));
        int? slotMinutes = input.SlotMinutes switch
        {
            null => 10,
            < MinSlotMinutes or > MaxSlotMinutes => null,
            var minutes => minutes,
        };
        if (slotMinutes is null)
        {
            errors.Add("slotMinutes", $"Slot length must be {MinSlotMinutes} to {MaxSlotMinutes} minutes.");
        }
        if (from is { } start && to is { } end && slotMinutes is { } length)
        {
            if (end <= start)
            {
                errors.Add("to", "The hours must end after they start, on the same day.");
            }
            else if (SlotCount(start, end, length) is var slots && slots < 1)
            {
                errors.Add("slotMinutes", "The hours must hold at least one whole slot.");
            }
            else if (input.Capacity is not { } capacity || capacity < 1)
            {
                errors.Add("capacity", "Capacity is required: at least 1 patient.");
            }
            else if (capacity > slots)
            {
                errors.Add("capacity", $"Capacity may be at most {slots}: the hours hold {slots} slots of {length} minutes and each booking holds one.");
            }
            else if (days is not null && doctorsRosters.FirstOrDefault(r => !r.Withdrawn && r.Days.Intersect(days).Any() && r.From < end && start < r.To) is { } clash)
            {
                errors.Add("from", $"These hours overlap the doctor's roster on {string.Join(", ", clash.Days.Intersect(days))} from {clash.From:HH\\:mm} to {clash.To:HH\\:mm}.");
            }
        }
        return errors.Any
            ? null
            : new RosterPublished(rosterId, doctorId, hubId, specialty!, days!, from!.Value, to!.Value, input.Capacity!.Value, slotMinutes!.Value, now);
    }

    /// <summary>When the roster's session on <paramref name="date"/> (an India day) starts and ends, if the roster covers that day and it may be booked now.</summary>
    public static Result<(DateTimeOffset Starts, DateTimeOffset Ends), Invalid> SessionOn(Roster roster, DateOnly date, DateTimeOffset now)
    {
        if (roster.Withdrawn)
        {
            return new Invalid("This roster has been withdrawn.");
        }
        var today = IndianTime.Day(now);
        if (date < today)
        {
            return new Invalid("This day has passed.");
        }
        if (date > today.AddDays(MaxDaysAhead))
        {
            return new Invalid($"Bookings open at most {MaxDaysAhead} days ahead.");
        }
        if (!roster.Days.Contains(date.DayOfWeek))
        {
            return new Invalid($"The doctor is not rostered on {date.DayOfWeek}s; choose {string.Join(" or ", roster.Days)}.");
        }
        var starts = new DateTimeOffset(date.ToDateTime(roster.From), IndianTime.Offset).ToUniversalTime();
        var ends = new DateTimeOffset(date.ToDateTime(roster.To), IndianTime.Offset).ToUniversalTime();
        return ends <= now ? new Invalid("The doctor's hours on this day are over.") : (starts, ends);
    }

    private static Result<IReadOnlyList<DayOfWeek>, Invalid> Days(IReadOnlyList<string>? raw)
    {
        if (raw is not { Count: > 0 })
        {
            return new Invalid("Days are required: one or more of monday … sunday.");
        }
        var days = new List<DayOfWeek>();
        foreach (var name in raw)
        {
            if (!Enum.TryParse<DayOfWeek>(name?.Trim(), ignoreCase: true, out var day) || !Enum.IsDefined(day) || int.TryParse(name, out _))
            {
                return new Invalid($"'{name}' is not a day of the week (monday … sunday).");
            }
            if (days.Contains(day))
            {
                return new Invalid($"{day} is named twice.");
            }
            days.Add(day);
        }
        return days.OrderBy(d => ((int)d + 6) % 7).ToList();
    }

    private static Result<TimeOnly, Invalid> Time(string? raw, string what) =>
        TimeOnly.TryParseExact(raw?.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : new Invalid($"{what} is required as HH:mm (India time), e.g. 09:30.");
}
