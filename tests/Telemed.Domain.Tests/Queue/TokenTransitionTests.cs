using Telemed.Domain.Queue;

namespace Telemed.Domain.Tests.Queue;

public class TokenTransitionTests : QueueSpec
{
    private static readonly TokenCalled CalledByA = new(SessionId, 1, DoctorA, false, Now.AddMinutes(-10));
    private static readonly TokenConsultationStarted StartedByA = new(SessionId, 1, DoctorA, Consultation, Now.AddMinutes(-9));

    private static OpdSession Called(int noShowAfter = 3) => Given(Opened(noShowAfter: noShowAfter), CheckedIn(1, Patient1), CheckedIn(2, Patient2), CalledByA);

    [Fact]
    public void A_called_token_can_be_skipped() =>
        Then(QueueDecisions.Skip(Called(), 1, DoctorA, Now), new TokenSkipped(SessionId, 1, DoctorA, Now));

    [Fact]
    public void A_waiting_token_cannot_be_skipped() =>
        Refused(QueueDecisions.Skip(Called(), 2, DoctorA, Now), QueueErrorCode.WrongTokenState);

    [Fact]
    public void The_last_allowed_missed_call_makes_a_no_show() =>
        Then(QueueDecisions.Skip(Given(Opened(noShowAfter: 2), CheckedIn(1, Patient1), CalledByA, new TokenSkipped(SessionId, 1, DoctorA, Now),
                new TokenRecalled(SessionId, 1, DoctorA, Now), new TokenCalled(SessionId, 1, DoctorA, false, Now)), 1, DoctorA, Now),
            new TokenMarkedNoShow(SessionId, 1, DoctorA, true, Now));

    [Fact]
    public void A_called_or_skipped_token_can_be_marked_no_show()
    {
        Then(QueueDecisions.MarkNoShow(Called(), 1, DoctorA, Now), new TokenMarkedNoShow(SessionId, 1, DoctorA, false, Now));
        Then(QueueDecisions.MarkNoShow(Given(Opened(), CheckedIn(1, Patient1), CalledByA, new TokenSkipped(SessionId, 1, DoctorA, Now)), 1, DoctorB, Now),
            new TokenMarkedNoShow(SessionId, 1, DoctorB, false, Now));
    }

    [Fact]
    public void A_waiting_token_cannot_be_marked_no_show() =>
        Refused(QueueDecisions.MarkNoShow(Called(), 2, DoctorA, Now), QueueErrorCode.WrongTokenState);

    [Fact]
    public void A_skipped_token_can_be_recalled_and_is_called_before_later_tokens()
    {
        var skipped = Given(Opened(), CheckedIn(1, Patient1), CheckedIn(2, Patient2), CalledByA, new TokenSkipped(SessionId, 1, DoctorA, Now));
        Then(QueueDecisions.Recall(skipped, 1, DoctorA, Now), new TokenRecalled(SessionId, 1, DoctorA, Now));

        var recalled = OpdSession.Evolve(skipped, new TokenRecalled(SessionId, 1, DoctorA, Now));
        Then(QueueDecisions.CallNext(recalled, DoctorA, Online, Now), new TokenCalled(SessionId, 1, DoctorA, false, Now));
    }

    [Fact]
    public void A_no_show_can_be_recalled() =>
        Then(QueueDecisions.Recall(Given(Opened(), CheckedIn(1, Patient1), CalledByA, new TokenMarkedNoShow(SessionId, 1, DoctorA, false, Now)), 1, DoctorA, Now),
            new TokenRecalled(SessionId, 1, DoctorA, Now));

    [Fact]
    public void A_waiting_token_cannot_be_recalled() =>
        Refused(QueueDecisions.Recall(Called(), 2, DoctorA, Now), QueueErrorCode.WrongTokenState);

    [Fact]
    public void Nobody_is_recalled_into_a_closed_session() =>
        Refused(QueueDecisions.Recall(Given(Opened(), CheckedIn(1, Patient1), CalledByA, new TokenSkipped(SessionId, 1, DoctorA, Now), new SessionClosed(SessionId, DoctorA, Now)), 1, DoctorA, Now),
            QueueErrorCode.SessionClosed);

    [Fact]
    public void The_calling_doctor_starts_the_consultation() =>
        Then(QueueDecisions.StartConsultation(Called(), 1, DoctorA, Consultation, Now), new TokenConsultationStarted(SessionId, 1, DoctorA, Consultation, Now));

    [Fact]
    public void Another_doctor_cannot_start_a_consultation_with_someone_elses_patient() =>
        Refused(QueueDecisions.StartConsultation(Called(), 1, DoctorB, Consultation, Now), QueueErrorCode.CalledByAnotherDoctor);

    [Fact]
    public void A_waiting_token_cannot_start_a_consultation() =>
        Refused(QueueDecisions.StartConsultation(Called(), 2, DoctorA, Consultation, Now), QueueErrorCode.WrongTokenState);

    [Fact]
    public void A_consultation_in_progress_can_be_completed() =>
        Then(QueueDecisions.Complete(Given(Opened(), CheckedIn(1, Patient1), CalledByA, StartedByA), 1, DoctorA, Now), new TokenCompleted(SessionId, 1, DoctorA, Now));

    [Fact]
    public void A_called_token_cannot_be_completed_before_it_starts() =>
        Refused(QueueDecisions.Complete(Called(), 1, DoctorA, Now), QueueErrorCode.WrongTokenState);

    [Fact]
    public void Another_doctor_cannot_complete_the_consultation() =>
        Refused(QueueDecisions.Complete(Given(Opened(), CheckedIn(1, Patient1), CalledByA, StartedByA), 1, DoctorB, Now), QueueErrorCode.CalledByAnotherDoctor);

    [Fact]
    public void A_completed_token_cannot_be_completed_again() =>
        Refused(QueueDecisions.Complete(Given(Opened(), CheckedIn(1, Patient1), CalledByA, StartedByA, new TokenCompleted(SessionId, 1, DoctorA, Now)), 1, DoctorA, Now),
            QueueErrorCode.WrongTokenState);

    [Fact]
    public void A_patient_cancels_their_own_token() =>
        Then(QueueDecisions.Cancel(Called(), 2, Patient2, Now), new TokenCancelled(SessionId, 2, Patient2, Now));

    [Fact]
    public void A_patient_cannot_cancel_another_patients_token() =>
        Refused(QueueDecisions.Cancel(Called(), 2, Patient1, Now), QueueErrorCode.NotYourToken);

    [Fact]
    public void A_consultation_in_progress_cannot_be_cancelled() =>
        Refused(QueueDecisions.Cancel(Given(Opened(), CheckedIn(1, Patient1), CalledByA, StartedByA), 1, Patient1, Now), QueueErrorCode.WrongTokenState);

    [Fact]
    public void Staff_mark_a_waiting_patient_as_left() =>
        Then(QueueDecisions.MarkLeft(Called(), 2, DoctorB, Now), new TokenLeft(SessionId, 2, DoctorB, Now));

    [Fact]
    public void A_completed_patient_cannot_be_marked_as_left() =>
        Refused(QueueDecisions.MarkLeft(Given(Opened(), CheckedIn(1, Patient1), CalledByA, StartedByA, new TokenCompleted(SessionId, 1, DoctorA, Now)), 1, DoctorA, Now),
            QueueErrorCode.WrongTokenState);

    [Fact]
    public void A_waiting_token_can_be_prioritised_and_setting_the_same_priority_again_changes_nothing()
    {
        Then(QueueDecisions.Prioritise(Called(), 2, Priority.Elderly, DoctorA, Now), new TokenPrioritised(SessionId, 2, Priority.Elderly, DoctorA, Now));
        Then(QueueDecisions.Prioritise(Given(Opened(), CheckedIn(1, Patient1), new TokenPrioritised(SessionId, 1, Priority.Elderly, DoctorA, Now)), 1, Priority.Elderly, DoctorA, Now));
    }

    [Fact]
    public void A_called_token_cannot_be_prioritised() =>
        Refused(QueueDecisions.Prioritise(Called(), 1, Priority.Emergency, DoctorA, Now), QueueErrorCode.WrongTokenState);
}
