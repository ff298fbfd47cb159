using Telemed.Domain.Consultations;

namespace Telemed.Domain.Tests.Consultations;

public class ConsultationTests
{
    private static readonly Guid Id = Guid.Parse("44444444-0000-0000-0000-000000000001");
    private static readonly Guid Doctor = Guid.Parse("44444444-0000-0000-0000-00000000000d");
    private static readonly Guid Patient = Guid.Parse("44444444-0000-0000-0000-00000000000e");
    private static readonly Guid Interpreter = Guid.Parse("44444444-0000-0000-0000-00000000000f");
    private static readonly Guid Stranger = Guid.Parse("44444444-0000-0000-0000-000000000099");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
    private static readonly ConsultationStarted Started = new(Id, Guid.NewGuid(), 3, Doctor, Patient, Now);

    private static Consultation Given(params IConsultationEvent[] events) => events.Aggregate((Consultation?)null, Consultation.Evolve)!;

    private static IReadOnlyList<IConsultationEvent> Then(Result<IReadOnlyList<IConsultationEvent>, ConsultationError> result)
    {
        result.IsSuccess.ShouldBeTrue(result.IsSuccess ? null : result.Error.Message);
        return result.Value;
    }

    private static void Refused(Result<IReadOnlyList<IConsultationEvent>, ConsultationError> result, string code) => result.Error.Code.ShouldBe(code);

    [Fact]
    public void The_doctor_and_the_patient_may_join_and_each_join_is_recorded_once()
    {
        Then(ConsultationDecisions.Join(Given(Started), Patient, Now)).ShouldBe([new ParticipantJoined(Id, Patient, ParticipantRole.Patient, Now)]);
        Then(ConsultationDecisions.Join(Given(Started), Doctor, Now)).ShouldBe([new ParticipantJoined(Id, Doctor, ParticipantRole.Doctor, Now)]);
        Then(ConsultationDecisions.Join(Given(Started, new ParticipantJoined(Id, Patient, ParticipantRole.Patient, Now)), Patient, Now)).ShouldBeEmpty();
    }

    [Fact]
    public void Nobody_else_may_join() => Refused(ConsultationDecisions.Join(Given(Started), Stranger, Now), "NotParticipant");

    [Fact]
    public void Staff_the_doctor_invites_may_join()
    {
        Then(ConsultationDecisions.Invite(Given(Started), Doctor, Interpreter, Now)).ShouldBe([new StaffInvited(Id, Interpreter, Doctor, Now)]);
        Then(ConsultationDecisions.Join(Given(Started, new StaffInvited(Id, Interpreter, Doctor, Now)), Interpreter, Now))
            .ShouldBe([new ParticipantJoined(Id, Interpreter, ParticipantRole.Staff, Now)]);
    }

    [Fact]
    public void Only_the_consulting_doctor_invites() => Refused(ConsultationDecisions.Invite(Given(Started), Patient, Interpreter, Now), "NotTheDoctor");

    [Fact]
    public void A_finished_consultation_cannot_be_joined() =>
        Refused(ConsultationDecisions.Join(Given(Started, new ConsultationCompleted(Id, Doctor, Now)), Patient, Now), "ConsultationEnded");

    [Fact]
    public void Leaving_is_recorded_for_someone_present_only()
    {
        var joined = Given(Started, new ParticipantJoined(Id, Patient, ParticipantRole.Patient, Now));
        Then(ConsultationDecisions.Leave(joined, Patient, "hung up", Now)).ShouldBe([new ParticipantLeft(Id, Patient, "hung up", Now)]);
        Then(ConsultationDecisions.Leave(Given(Started), Patient, "hung up", Now)).ShouldBeEmpty();
    }

    [Fact]
    public void The_call_is_recorded_connected_once_until_someone_leaves()
    {
        var joined = Given(Started, new ParticipantJoined(Id, Patient, ParticipantRole.Patient, Now), new ParticipantJoined(Id, Doctor, ParticipantRole.Doctor, Now));
        Then(ConsultationDecisions.ReportConnected(joined, Patient, Now)).ShouldBe([new CallConnected(Id, Patient, Now)]);
        var connected = Consultation.Evolve(joined, new CallConnected(Id, Patient, Now));
        Then(ConsultationDecisions.ReportConnected(connected, Doctor, Now)).ShouldBeEmpty();
        var dropped = Consultation.Evolve(connected, new ParticipantLeft(Id, Patient, "connection lost", Now));
        dropped.Connected.ShouldBeFalse();
    }

    [Fact]
    public void Switching_to_audio_only_is_recorded_and_switching_again_changes_nothing()
    {
        var joined = Given(Started, new ParticipantJoined(Id, Patient, ParticipantRole.Patient, Now));
        Then(ConsultationDecisions.ChangeMode(joined, Patient, CallMode.AudioOnly, Now)).ShouldBe([new CallModeChanged(Id, CallMode.AudioOnly, Patient, Now)]);
        Then(ConsultationDecisions.ChangeMode(Consultation.Evolve(joined, new CallModeChanged(Id, CallMode.AudioOnly, Patient, Now)), Patient, CallMode.AudioOnly, Now)).ShouldBeEmpty();
    }

    [Fact]
    public void Room_actions_need_the_caller_in_the_room() =>
        Refused(ConsultationDecisions.ChangeMode(Given(Started), Patient, CallMode.AudioOnly, Now), "NotInRoom");

    [Fact]
    public void Chat_is_recorded_once_per_message_id_and_trimmed()
    {
        var joined = Given(Started, new ParticipantJoined(Id, Patient, ParticipantRole.Patient, Now));
        var message = Guid.NewGuid();
        Then(ConsultationDecisions.PostChat(joined, Patient, message, "  I have a fever  ", Now)).ShouldBe([new ChatMessagePosted(Id, message, Patient, "I have a fever", Now)]);
        Then(ConsultationDecisions.PostChat(Consultation.Evolve(joined, new ChatMessagePosted(Id, message, Patient, "I have a fever", Now)), Patient, message, "I have a fever", Now)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bell\u0007")]
    public void Empty_or_control_character_chat_is_refused(string text) =>
        Refused(ConsultationDecisions.PostChat(Given(Started, new ParticipantJoined(Id, Patient, ParticipantRole.Patient, Now)), Patient, Guid.NewGuid(), text, Now), "InvalidChat");

    [Fact]
    public void Overlong_chat_is_refused() =>
        Refused(ConsultationDecisions.PostChat(Given(Started, new ParticipantJoined(Id, Patient, ParticipantRole.Patient, Now)), Patient, Guid.NewGuid(), new string('a', 2001), Now), "InvalidChat");

    [Fact]
    public void Read_receipts_are_for_known_messages()
    {
        var message = Guid.NewGuid();
        var chatted = Given(Started, new ParticipantJoined(Id, Patient, ParticipantRole.Patient, Now), new ParticipantJoined(Id, Doctor, ParticipantRole.Doctor, Now),
            new ChatMessagePosted(Id, message, Patient, "hello", Now));
        Then(ConsultationDecisions.MarkRead(chatted, Doctor, message, Now)).ShouldBe([new ChatMessageRead(Id, message, Doctor, Now)]);
        Refused(ConsultationDecisions.MarkRead(chatted, Doctor, Guid.NewGuid(), Now), "UnknownMessage");
    }

    [Fact]
    public void A_file_is_shared_by_someone_in_the_room_of_an_open_consultation()
    {
        var file = Guid.NewGuid();
        var joined = Given(Started, new ParticipantJoined(Id, Patient, ParticipantRole.Patient, Now));
        Then(ConsultationDecisions.ShareFile(joined, Patient, file, "report.pdf", "application/pdf", 1234, Now))
            .ShouldBe([new FileShared(Id, file, Patient, "report.pdf", "application/pdf", 1234, Now)]);
        Refused(ConsultationDecisions.ShareFile(joined, Doctor, file, "report.pdf", "application/pdf", 1234, Now), "NotInRoom");
        Refused(ConsultationDecisions.ShareFile(joined, Guid.NewGuid(), file, "report.pdf", "application/pdf", 1234, Now), "NotParticipant");
        Refused(ConsultationDecisions.ShareFile(Consultation.Evolve(joined, new ConsultationCompleted(Id, Doctor, Now)), Patient, file, "report.pdf", "application/pdf", 1234, Now),
            "ConsultationEnded");
    }

    [Fact]
    public void A_consultation_holds_a_bounded_number_of_shared_files()
    {
        var state = Given(Started, new ParticipantJoined(Id, Patient, ParticipantRole.Patient, Now));
        for (var i = 0; i < ConsultationDecisions.MaxSharedFiles; i++)
        {
            state = Consultation.Evolve(state, new FileShared(Id, Guid.NewGuid(), Patient, $"photo{i}.jpg", "image/jpeg", 10, Now));
        }
        state.SharedFiles.Count.ShouldBe(ConsultationDecisions.MaxSharedFiles);
        Refused(ConsultationDecisions.ShareFile(state, Patient, Guid.NewGuid(), "one more.jpg", "image/jpeg", 10, Now), "TooManyFiles");
    }
}
