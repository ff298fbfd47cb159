using Telemed.Domain.Queue;

namespace Telemed.Domain.Tests.Queue;

public class CheckInTests : QueueSpec
{
    [Fact]
    public void The_first_patient_gets_token_one_and_the_next_token_two()
    {
        Then(QueueDecisions.CheckIn(Given(Opened()), Patient1, Summary, "fever", [], Now),
            new PatientCheckedIn(SessionId, 1, Patient1, Summary, "fever", [], Now));
        Then(QueueDecisions.CheckIn(Given(Opened(), CheckedIn(1, Patient1)), Patient2, Summary, null, [], Now),
            new PatientCheckedIn(SessionId, 2, Patient2, Summary, null, [], Now));
    }

    [Fact]
    public void Checking_in_twice_changes_nothing() =>
        Then(QueueDecisions.CheckIn(Given(Opened(), CheckedIn(1, Patient1)), Patient1, Summary, null, [], Now));

    [Fact]
    public void Tokens_are_never_reused_after_a_cancellation() =>
        Then(QueueDecisions.CheckIn(Given(Opened(), CheckedIn(1, Patient1), new TokenCancelled(SessionId, 1, Patient1, Now)), Patient1, Summary, null, [], Now),
            new PatientCheckedIn(SessionId, 2, Patient1, Summary, null, [], Now));

    [Fact]
    public void A_full_session_refuses_check_in() =>
        Refused(QueueDecisions.CheckIn(Given(Opened(capacity: 1), CheckedIn(1, Patient1)), Patient2, Summary, null, [], Now), QueueErrorCode.SessionFull);

    [Fact]
    public void A_cancelled_place_is_free_again() =>
        Then(QueueDecisions.CheckIn(Given(Opened(capacity: 1), CheckedIn(1, Patient1), new TokenCancelled(SessionId, 1, Patient1, Now)), Patient2, Summary, null, [], Now),
            new PatientCheckedIn(SessionId, 2, Patient2, Summary, null, [], Now));

    [Fact]
    public void A_closed_session_refuses_check_in() =>
        Refused(QueueDecisions.CheckIn(Given(Opened(), new SessionClosed(SessionId, DoctorA, Now)), Patient1, Summary, null, [], Now), QueueErrorCode.SessionClosed);

    [Fact]
    public void A_session_past_its_end_refuses_check_in() =>
        Refused(QueueDecisions.CheckIn(Given(Opened()), Patient1, Summary, null, [], Now.AddHours(4)), QueueErrorCode.SessionEnded);

    [Fact]
    public void A_session_on_a_later_day_in_India_refuses_check_in_until_its_day()
    {
        // The session starts at 09:30 IST on 26 Nov; 23:00 IST on the 25th is the day before, 00:10 IST on the 26th is its day.
        var tomorrow = new SessionOpened(SessionId, FacilityId, [DoctorA], new DateTimeOffset(2026, 11, 26, 4, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero), 0, 10, "General Medicine", 10, 3, DoctorA, Now);
        var refused = QueueDecisions.CheckIn(Given(tomorrow), Patient1, Summary, null, [], new DateTimeOffset(2026, 11, 25, 17, 30, 0, TimeSpan.Zero));
        Refused(refused, QueueErrorCode.SessionNotToday);
        refused.Error.Message.ShouldContain("26 Nov 2026");
        QueueDecisions.CheckIn(Given(tomorrow), Patient1, Summary, null, [], new DateTimeOffset(2026, 11, 25, 18, 40, 0, TimeSpan.Zero)).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void A_paused_session_still_takes_check_ins() =>
        Then(QueueDecisions.CheckIn(Given(Opened(), new SessionPaused(SessionId, DoctorA, Now)), Patient1, Summary, null, [], Now),
            new PatientCheckedIn(SessionId, 1, Patient1, Summary, null, [], Now));

    private static readonly PatientSummary Minor = new("Child", 9, "male");
    private static readonly AccompanyingAdult Mother = new("Sunita Rao", Domain.Identity.Relation.Parent, Guid.Parse("44444444-0000-0000-0000-000000000001"));

    [Fact]
    public void A_minor_without_an_accompanying_adult_is_refused() =>
        Refused(QueueDecisions.CheckIn(Given(Opened()), Patient1, Minor, "fever", [], Now), QueueErrorCode.MinorUnaccompanied);

    [Fact]
    public void A_minors_check_in_records_the_adult_who_comes_with_them() =>
        Then(QueueDecisions.CheckIn(Given(Opened()), Patient1, Minor, "fever", [], Now, accompaniedBy: Mother),
            new PatientCheckedIn(SessionId, 1, Patient1, Minor, "fever", [], Now, AccompaniedBy: Mother));

    [Fact]
    public void An_adult_may_check_in_alone_or_with_someone() =>
        Then(QueueDecisions.CheckIn(Given(Opened(), CheckedIn(1, Patient1)), Patient2, Summary, null, [], Now, accompaniedBy: Mother),
            new PatientCheckedIn(SessionId, 2, Patient2, Summary, null, [], Now, AccompaniedBy: Mother));

    [Fact]
    public void The_accompanying_adult_is_on_the_doctors_queue_row() =>
        QueueViews.Queue(Given(Opened(), new PatientCheckedIn(SessionId, 1, Patient1, Minor, null, [], Now, AccompaniedBy: Mother)), Online)
            .Rows.ShouldHaveSingleItem().AccompaniedBy.ShouldBe(Mother);
}
