using Telemed.Domain.Messages;
using Telemed.Domain.Queue;
using Telemed.Domain.Tests.Queue;

namespace Telemed.Domain.Tests.Messages;

public class PositionAlertTests
{
    [Theory]
    [InlineData(5, 4, PositionAlert.None)]
    [InlineData(4, 3, PositionAlert.PlacesAhead)]
    [InlineData(6, 2, PositionAlert.PlacesAhead)]
    [InlineData(3, 2, PositionAlert.None)]
    [InlineData(1, 0, PositionAlert.YouAreNext)]
    [InlineData(5, 0, PositionAlert.YouAreNext)]
    [InlineData(0, 0, PositionAlert.None)]
    [InlineData(2, 3, PositionAlert.None)]
    [InlineData(null, 0, PositionAlert.None)]
    [InlineData(1, null, PositionAlert.None)]
    public void Alerts_fire_when_the_line_crosses_the_threshold_or_reaches_the_patient(int? before, int? after, PositionAlert alert) =>
        PositionAlerts.Crossed(before, after, threshold: 3).ShouldBe(alert);
}

public class QueueAlertsTests : QueueSpec
{
    private static IReadOnlyList<QueueAlert> After(OpdSession before, params IQueueEvent[] events) =>
        QueueAlerts.For(before, events.Aggregate(before, OpdSession.Evolve), events, threshold: 2);

    private static readonly Guid[] Patients = Enumerable.Range(1, 6).Select(i => Guid.Parse($"33333333-0000-0000-0000-00000000001{i}")).ToArray();

    private static OpdSession Line(int patients) =>
        Given([Opened(), .. Enumerable.Range(1, patients).Select(token => (IQueueEvent)CheckedIn(token, Patients[token - 1]))]);

    [Fact]
    public void A_check_in_is_confirmed_with_its_token()
    {
        var alerts = After(Line(0), CheckedIn(1, Patient1));
        alerts.ShouldHaveSingleItem().ShouldBe(new QueueAlert(Patient1, MessageCatalogue.CheckedIn, 1, null, Now.AddMinutes(-20) + QueueAlerts.Lifetime));
    }

    [Fact]
    public void Calling_a_token_tells_its_patient_the_doctor_is_calling_and_the_next_that_they_are_next_and_the_threshold_that_it_nears()
    {
        var alerts = After(Line(4), new TokenCalled(SessionId, 1, DoctorA, false, Now));

        alerts.Select(a => (a.Template.Id, a.Token, a.Ahead)).ShouldBe([("DoctorCalling", 1, null), ("YouAreNext", 2, null), ("PlacesAhead", 4, 2)]);
        alerts[0].ExpiresAt.ShouldBe(Now + QueueAlerts.CallLifetime);
    }

    [Fact]
    public void A_priority_that_pushes_a_patient_back_tells_nobody_but_the_one_who_moves_ahead()
    {
        var alerts = After(Line(4), new TokenPrioritised(SessionId, 4, Priority.Emergency, DoctorA, Now));
        alerts.Select(a => (a.Template.Id, a.Token)).ShouldBe([("YouAreNext", 4)]);
    }

    [Fact]
    public void A_paused_session_tells_everyone_in_line_and_moves_no_one()
    {
        var alerts = After(Line(3), new SessionPaused(SessionId, DoctorA, Now));
        alerts.Select(a => (a.Template.Id, a.Token)).ShouldBe([("SessionPaused", 1), ("SessionPaused", 2), ("SessionPaused", 3)]);
    }

    [Fact]
    public void Closing_a_session_nobody_was_seen_in_cancels_it_for_everyone_waiting() =>
        After(Line(2), new SessionClosed(SessionId, DoctorA, Now)).Select(a => (a.Template.Id, a.Token, a.ExpiresAt))
            .ShouldBe([("SessionCancelled", 1, (DateTimeOffset?)null), ("SessionCancelled", 2, null)]);

    [Fact]
    public void Closing_a_session_after_consultations_tells_those_still_waiting_it_closed()
    {
        var session = Given(Opened(), CheckedIn(1, Patient1), CheckedIn(2, Patient2), new TokenCalled(SessionId, 1, DoctorA, false, Now),
            new TokenConsultationStarted(SessionId, 1, DoctorA, Consultation, Now), new TokenCompleted(SessionId, 1, DoctorA, Now));
        After(session, new SessionClosed(SessionId, DoctorA, Now)).Select(a => (a.Template.Id, a.Token)).ShouldBe([("SessionClosed", 2)]);
    }
}

public class ReminderAndOptOutTests
{
    [Fact]
    public void A_follow_up_is_reminded_at_10_IST_the_day_before() =>
        Delivery.FollowUpReminderAt(new DateOnly(2026, 12, 10), new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero))
            .ShouldBe(new DateTimeOffset(2026, 12, 9, 4, 30, 0, TimeSpan.Zero));

    [Fact]
    public void Times_leave_the_rules_in_UTC_as_PostgreSQL_stores_them()
    {
        Delivery.OutsideQuietHours(new DateTimeOffset(2026, 12, 6, 17, 0, 0, TimeSpan.Zero)).Offset.ShouldBe(TimeSpan.Zero);
        Delivery.FollowUpReminderAt(new DateOnly(2026, 12, 10), new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero))!.Value.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void A_follow_up_whose_reminder_time_has_passed_gets_none() =>
        Delivery.FollowUpReminderAt(new DateOnly(2026, 12, 7), new DateTimeOffset(2026, 12, 6, 5, 0, 0, TimeSpan.Zero)).ShouldBeNull();

    [Fact]
    public void A_booking_is_reminded_at_18_IST_the_day_before_its_slot() =>
        Delivery.BookingReminderAt(new DateTimeOffset(2026, 12, 10, 5, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero))
            .ShouldBe(new DateTimeOffset(2026, 12, 9, 12, 30, 0, TimeSpan.Zero));

    [Fact]
    public void A_booking_made_after_the_evening_before_is_reminded_two_hours_ahead() =>
        Delivery.BookingReminderAt(new DateTimeOffset(2026, 12, 10, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 10, 1, 0, 0, TimeSpan.Zero))
            .ShouldBe(new DateTimeOffset(2026, 12, 10, 6, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_booking_within_two_hours_gets_no_reminder() =>
        Delivery.BookingReminderAt(new DateTimeOffset(2026, 12, 10, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 10, 6, 30, 0, TimeSpan.Zero)).ShouldBeNull();

    [Fact]
    public void Opting_out_suppresses_all_but_the_essential()
    {
        Delivery.Suppressed(MessageCatalogue.PlacesAhead, optedOut: true).ShouldBeTrue();
        Delivery.Suppressed(MessageCatalogue.YouAreNext, optedOut: true).ShouldBeFalse();
        Delivery.Suppressed(MessageCatalogue.SignInCode, optedOut: true).ShouldBeFalse();
        Delivery.Suppressed(MessageCatalogue.PlacesAhead, optedOut: false).ShouldBeFalse();
    }
}
