using Telemed.Domain.Queue;

namespace Telemed.Domain.Tests.Queue;

public class SessionLifecycleTests : QueueSpec
{
    [Fact]
    public void An_open_session_can_be_paused() =>
        Then(QueueDecisions.Pause(Given(Opened()), DoctorA, Now), new SessionPaused(SessionId, DoctorA, Now));

    [Fact]
    public void A_paused_session_can_be_resumed() =>
        Then(QueueDecisions.Resume(Given(Opened(), new SessionPaused(SessionId, DoctorA, Now)), DoctorA, Now), new SessionResumed(SessionId, DoctorA, Now));

    [Fact]
    public void Pausing_twice_is_refused() =>
        Refused(QueueDecisions.Pause(Given(Opened(), new SessionPaused(SessionId, DoctorA, Now)), DoctorA, Now), QueueErrorCode.AlreadyInState);

    [Fact]
    public void Resuming_an_open_session_is_refused() =>
        Refused(QueueDecisions.Resume(Given(Opened()), DoctorA, Now), QueueErrorCode.AlreadyInState);

    [Fact]
    public void Open_or_paused_sessions_can_be_closed()
    {
        Then(QueueDecisions.Close(Given(Opened()), DoctorA, Now), new SessionClosed(SessionId, DoctorA, Now));
        Then(QueueDecisions.Close(Given(Opened(), new SessionPaused(SessionId, DoctorA, Now)), DoctorA, Now), new SessionClosed(SessionId, DoctorA, Now));
    }

    [Fact]
    public void A_closed_session_cannot_be_closed_paused_or_resumed_again()
    {
        var closed = Given(Opened(), new SessionClosed(SessionId, DoctorA, Now));
        Refused(QueueDecisions.Close(closed, DoctorA, Now), QueueErrorCode.AlreadyInState);
        Refused(QueueDecisions.Pause(closed, DoctorA, Now), QueueErrorCode.SessionClosed);
        Refused(QueueDecisions.Resume(closed, DoctorA, Now), QueueErrorCode.SessionClosed);
    }

    [Fact]
    public void Every_event_moves_the_version_on()
    {
        var session = Given(Opened(), CheckedIn(1, Patient1), new SessionPaused(SessionId, DoctorA, Now));
        session.Version.ShouldBe(3);
    }

    [Fact]
    public void Events_for_a_session_that_was_never_opened_are_rejected() =>
        Should.Throw<InvalidOperationException>(() => OpdSession.Evolve(null, CheckedIn(1, Patient1)));
}
