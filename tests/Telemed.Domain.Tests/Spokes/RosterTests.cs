using Telemed.Domain.Spokes;

namespace Telemed.Domain.Tests.Spokes;

/// <summary><c>Now</c> is Wednesday 25 November 2026, 09:30 India time.</summary>
public class RosterTests
{
    private static readonly Guid Doctor = Guid.Parse("22222222-0000-0000-0000-00000000000a");
    private static readonly Guid Hub = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001");
    private static readonly Guid RosterId = Guid.Parse("dddddddd-0000-0000-0000-000000000001");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Wednesday = new(2026, 11, 25);

    private static RosterInput Input(string[]? days = null, string from = "10:00", string to = "13:00", int? capacity = 12, int? slot = 15, string specialty = "Paediatrics") =>
        new(specialty, days ?? ["monday", "wednesday"], from, to, capacity, slot);

    private static (RosterPublished? Published, FieldErrors Errors) Publish(RosterInput input, params Roster[] existing)
    {
        var errors = new FieldErrors();
        return (RosterRules.Publish(input, RosterId, Doctor, Hub, existing, Now, errors), errors);
    }

    private static Roster Of(RosterPublished published) => Roster.Evolve(null, published);

    [Fact]
    public void A_roster_names_days_hours_specialty_capacity_and_slot_length()
    {
        var (published, errors) = Publish(Input(["Wednesday", "monday"]));

        errors.Any.ShouldBeFalse();
        published.ShouldBe(new RosterPublished(RosterId, Doctor, Hub, "Paediatrics", published!.Days, new TimeOnly(10, 0), new TimeOnly(13, 0), 12, 15, Now));
        published.Days.ShouldBe([DayOfWeek.Monday, DayOfWeek.Wednesday]);
    }

    [Fact]
    public void Capacity_never_exceeds_the_slots_the_hours_hold()
    {
        var (published, errors) = Publish(Input(capacity: 13));

        published.ShouldBeNull();
        errors.ToDictionary()["capacity"].Single().ShouldContain("at most 12");
    }

    [Theory]
    [InlineData(new[] { "funday" }, "10:00", "13:00", 15, "days")]
    [InlineData(new[] { "monday", "Monday" }, "10:00", "13:00", 15, "days")]
    [InlineData(new[] { "monday" }, "13:00", "10:00", 15, "to")]
    [InlineData(new[] { "monday" }, "10am", "13:00", 15, "from")]
    [InlineData(new[] { "monday" }, "10:00", "10:04", 5, "slotMinutes")]
    [InlineData(new[] { "monday" }, "10:00", "13:00", 500, "slotMinutes")]
    public void Wrong_rosters_are_refused_naming_the_field(string[] days, string from, string to, int slot, string field)
    {
        var (published, errors) = Publish(Input(days, from, to, capacity: 1, slot: slot));

        published.ShouldBeNull();
        errors.ToDictionary().Keys.ShouldContain(field);
    }

    [Fact]
    public void A_doctor_s_rosters_do_not_overlap_on_a_shared_day()
    {
        var existing = Of(Publish(Input(["wednesday"], "09:00", "11:00", capacity: 4))!.Published!);

        Publish(Input(["monday", "wednesday"], "10:30", "12:00", capacity: 2), existing).Errors.ToDictionary()["from"].Single().ShouldContain("overlap");
        Publish(Input(["monday"], "10:30", "12:00", capacity: 2), existing).Errors.Any.ShouldBeFalse("another day is free");
        Publish(Input(["wednesday"], "11:00", "12:00", capacity: 2), existing).Errors.Any.ShouldBeFalse("back to back is no overlap");
        Publish(Input(["wednesday"], "10:30", "12:00", capacity: 2), existing with { Withdrawn = true }).Errors.Any.ShouldBeFalse("a withdrawn roster holds no hours");
    }

    [Fact]
    public void A_rostered_day_becomes_a_session_in_India_time()
    {
        var roster = Of(Publish(Input())!.Published!);

        var window = RosterRules.SessionOn(roster, Wednesday, Now).Value;

        window.Starts.ShouldBe(new DateTimeOffset(2026, 11, 25, 4, 30, 0, TimeSpan.Zero));
        window.Ends.ShouldBe(new DateTimeOffset(2026, 11, 25, 7, 30, 0, TimeSpan.Zero));
        RosterRules.SessionOn(roster, Wednesday.AddDays(5), Now).IsSuccess.ShouldBeTrue("the next Monday");
    }

    [Fact]
    public void Days_not_rostered_past_too_far_ahead_or_withdrawn_cannot_be_booked()
    {
        var roster = Of(Publish(Input())!.Published!);

        RosterRules.SessionOn(roster, Wednesday.AddDays(1), Now).Error.Message.ShouldContain("Thursday");
        RosterRules.SessionOn(roster, Wednesday.AddDays(-2), Now).Error.Message.ShouldContain("passed");
        RosterRules.SessionOn(roster, Wednesday.AddDays(7 * 5), Now).Error.Message.ShouldContain($"{RosterRules.MaxDaysAhead} days");
        RosterRules.SessionOn(roster, Wednesday, Now.AddHours(4)).Error.Message.ShouldContain("over");
        RosterRules.SessionOn(Roster.Evolve(roster, new RosterWithdrawn(RosterId, Doctor, Now)), Wednesday, Now).Error.Message.ShouldContain("withdrawn");
    }
}
