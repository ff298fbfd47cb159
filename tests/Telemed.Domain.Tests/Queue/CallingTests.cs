using Telemed.Domain.Queue;

namespace Telemed.Domain.Tests.Queue;

public class CallingTests : QueueSpec
{
    [Fact]
    public void Calling_next_calls_the_earliest_token() =>
        Then(QueueDecisions.CallNext(Given(Opened(), CheckedIn(1, Patient1), CheckedIn(2, Patient2)), DoctorA, Online, Now),
            new TokenCalled(SessionId, 1, DoctorA, false, Now));

    [Fact]
    public void Priority_goes_ahead_of_the_line() =>
        Then(QueueDecisions.CallNext(Given(Opened(), CheckedIn(1, Patient1), CheckedIn(2, Patient2), CheckedIn(3, Patient3),
                new TokenPrioritised(SessionId, 2, Priority.Elderly, DoctorA, Now), new TokenPrioritised(SessionId, 3, Priority.Emergency, DoctorA, Now)),
                DoctorA, Online, Now),
            new TokenCalled(SessionId, 3, DoctorA, false, Now));

    [Fact]
    public void Calling_next_when_nobody_waits_is_refused() =>
        Refused(QueueDecisions.CallNext(Given(Opened()), DoctorA, Online, Now), QueueErrorCode.NobodyWaiting);

    [Fact]
    public void The_second_doctor_gets_the_next_patient_not_the_same_one() =>
        Then(QueueDecisions.CallNext(Given(Opened(), CheckedIn(1, Patient1), CheckedIn(2, Patient2), new TokenCalled(SessionId, 1, DoctorA, false, Now)), DoctorB, Online, Now),
            new TokenCalled(SessionId, 2, DoctorB, false, Now));

    [Fact]
    public void A_doctor_with_a_patient_still_called_cannot_call_another() =>
        Refused(QueueDecisions.CallNext(Given(Opened(), CheckedIn(1, Patient1), CheckedIn(2, Patient2), new TokenCalled(SessionId, 1, DoctorA, false, Now)), DoctorA, Online, Now),
            QueueErrorCode.DoctorBusy);

    [Fact]
    public void A_doctor_of_another_session_cannot_call() =>
        Refused(QueueDecisions.CallNext(Given(Opened(), CheckedIn(1, Patient1)), Stranger, Online, Now), QueueErrorCode.NotSessionDoctor);

    [Fact]
    public void A_paused_session_cannot_call() =>
        Refused(QueueDecisions.CallNext(Given(Opened(), CheckedIn(1, Patient1), new SessionPaused(SessionId, DoctorA, Now)), DoctorA, Online, Now), QueueErrorCode.SessionPaused);

    [Fact]
    public void A_closed_session_cannot_call() =>
        Refused(QueueDecisions.CallNext(Given(Opened(), CheckedIn(1, Patient1), new SessionClosed(SessionId, DoctorA, Now)), DoctorA, Online, Now), QueueErrorCode.SessionClosed);

    [Fact]
    public void Calling_an_offline_patient_is_allowed_but_flagged() =>
        Then(QueueDecisions.CallNext(Given(Opened(), CheckedIn(1, Patient1)), DoctorA, _ => false, Now), new TokenCalled(SessionId, 1, DoctorA, true, Now));

    [Fact]
    public void A_specific_waiting_token_can_be_called() =>
        Then(QueueDecisions.CallToken(Given(Opened(), CheckedIn(1, Patient1), CheckedIn(2, Patient2)), 2, DoctorA, Online, Now),
            new TokenCalled(SessionId, 2, DoctorA, false, Now));

    [Fact]
    public void A_token_already_called_cannot_be_called_again() =>
        Refused(QueueDecisions.CallToken(Given(Opened(), CheckedIn(1, Patient1), new TokenCalled(SessionId, 1, DoctorA, false, Now)), 1, DoctorB, Online, Now),
            QueueErrorCode.WrongTokenState);

    [Fact]
    public void An_unknown_token_cannot_be_called() =>
        Refused(QueueDecisions.CallToken(Given(Opened(), CheckedIn(1, Patient1)), 7, DoctorA, Online, Now), QueueErrorCode.TokenNotFound);

    [Fact]
    public void Cancelled_and_left_patients_are_not_called() =>
        Then(QueueDecisions.CallNext(Given(Opened(), CheckedIn(1, Patient1), CheckedIn(2, Patient2), CheckedIn(3, Patient3),
                new TokenCancelled(SessionId, 1, Patient1, Now), new TokenLeft(SessionId, 2, DoctorA, Now)), DoctorA, Online, Now),
            new TokenCalled(SessionId, 3, DoctorA, false, Now));
}
