using Telemed.Domain.Queue;

namespace Telemed.Domain.Tests.Queue;

public class QueueViewTests : QueueSpec
{
    [Fact]
    public void Positions_follow_the_calling_order_and_skip_patients_with_the_doctor()
    {
        var session = Given(Opened(), CheckedIn(1, Patient1), CheckedIn(2, Patient2), CheckedIn(3, Patient3),
            new TokenCalled(SessionId, 1, DoctorA, false, Now), new TokenPrioritised(SessionId, 3, Priority.Emergency, DoctorA, Now));

        var positions = QueueViews.Positions(session);

        positions.ShouldNotContainKey(1);
        positions[3].ShouldBe(1);
        positions[2].ShouldBe(2);
    }

    [Fact]
    public void Before_any_consultation_ends_the_wait_is_estimated_from_the_slot_length()
    {
        var session = Given(Opened(slotMinutes: 12), CheckedIn(1, Patient1), CheckedIn(2, Patient2), CheckedIn(3, Patient3));

        // Two doctors share the line: the third in line waits about 1.5 slots.
        QueueViews.EstimatedWaitMinutes(session, 3).ShouldBe(18);
    }

    [Fact]
    public void Once_consultations_finish_the_wait_follows_their_recent_average()
    {
        var session = Given(Opened(slotMinutes: 10), CheckedIn(1, Patient1), CheckedIn(2, Patient2),
            new TokenCalled(SessionId, 1, DoctorA, false, Now.AddMinutes(-30)),
            new TokenConsultationStarted(SessionId, 1, DoctorA, Consultation, Now.AddMinutes(-24)),
            new TokenCompleted(SessionId, 1, DoctorA, Now));

        session.AverageConsultation.ShouldBe(TimeSpan.FromMinutes(24));
        QueueViews.EstimatedWaitMinutes(session, 1).ShouldBe(12);
    }

    [Fact]
    public void The_board_shows_token_numbers_only()
    {
        var session = Given(Opened(), CheckedIn(1, Patient1), CheckedIn(2, Patient2), CheckedIn(3, Patient3), new TokenCalled(SessionId, 1, DoctorA, false, Now));

        var board = QueueViews.Board(session);

        board.NowServing.ShouldBe([1]);
        board.UpNext.ShouldBe([2, 3]);
        board.Waiting.ShouldBe(2);
    }

    [Fact]
    public void The_doctors_view_shows_who_is_offline_and_who_was_called_while_offline()
    {
        var session = Given(Opened(), CheckedIn(1, Patient1), CheckedIn(2, Patient2), new TokenCalled(SessionId, 1, DoctorA, true, Now));

        var view = QueueViews.Queue(session, patient => patient == Patient2);

        view.Rows[0].Online.ShouldBeFalse();
        view.Rows[0].CalledWhileOffline.ShouldBeTrue();
        view.Rows[1].Online.ShouldBeTrue();
        view.Rows[1].Position.ShouldBe(1);
    }

    [Fact]
    public void An_admins_figures_count_tokens_by_what_became_of_them_and_the_longest_wait_in_line()
    {
        var patient4 = Guid.Parse("33333333-0000-0000-0000-000000000004");
        var patient5 = Guid.Parse("33333333-0000-0000-0000-000000000005");
        var patient6 = Guid.Parse("33333333-0000-0000-0000-000000000006");
        var session = Given(Opened(), CheckedIn(1, Patient1, minutesAgo: 50), CheckedIn(2, Patient2, minutesAgo: 45), CheckedIn(3, Patient3, minutesAgo: 40),
            CheckedIn(4, patient4, minutesAgo: 35), CheckedIn(5, patient5, minutesAgo: 30), CheckedIn(6, patient6, minutesAgo: 25),
            new TokenCalled(SessionId, 1, DoctorA, false, Now.AddMinutes(-40)),
            new TokenConsultationStarted(SessionId, 1, DoctorA, Consultation, Now.AddMinutes(-38)),
            new TokenCompleted(SessionId, 1, DoctorA, Now.AddMinutes(-30)),
            new TokenCalled(SessionId, 2, DoctorA, false, Now.AddMinutes(-29)),
            new TokenSkipped(SessionId, 2, DoctorA, Now.AddMinutes(-28)),
            new TokenCalled(SessionId, 3, DoctorB, false, Now.AddMinutes(-10)),
            new TokenCancelled(SessionId, 4, patient4, Now.AddMinutes(-20)),
            new TokenMarkedNoShow(SessionId, 5, DoctorA, false, Now.AddMinutes(-5)));

        var figures = QueueViews.Figures(session, Now);

        figures.ShouldBe(new SessionFigures(PlacesTaken: 5, Waiting: 1, WithDoctor: 1, Seen: 1, Skipped: 1, NoShows: 1, CancelledOrLeft: 1, LongestWaitMinutes: 25));
    }

    [Fact]
    public void With_nobody_in_line_there_is_no_longest_wait() =>
        QueueViews.Figures(Given(Opened()), Now).ShouldBe(new SessionFigures(0, 0, 0, 0, 0, 0, 0, null));
}
