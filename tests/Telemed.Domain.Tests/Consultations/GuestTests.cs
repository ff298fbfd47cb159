using Telemed.Domain.Consultations;

namespace Telemed.Domain.Tests.Consultations;

public class GuestTests
{
    private static readonly Guid Id = Guid.Parse("55555555-0000-0000-0000-000000000001");
    private static readonly Guid Doctor = Guid.Parse("55555555-0000-0000-0000-00000000000d");
    private static readonly Guid Patient = Guid.Parse("55555555-0000-0000-0000-00000000000e");
    private static readonly Guid Guest = Guid.Parse("55555555-0000-0000-0000-00000000000f");
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 6, 0, 0, TimeSpan.Zero);
    private static readonly ConsultationStarted Started = new(Id, Guid.NewGuid(), 3, Doctor, Patient, Now);
    private static readonly GuestInvited Invited = new(Id, Guest, "Sunita Devi", GuestRelation.Interpreter, Patient, Now, Now + GuestDecisions.LinkLifetime);

    private static Consultation Given(params IConsultationEvent[] events) => events.Aggregate((Consultation?)null, Consultation.Evolve)!;

    [Fact]
    public void The_patient_names_a_guest_whose_link_lasts_fifteen_minutes()
    {
        var invited = GuestDecisions.Invite(Given(Started), Patient, Guest, "  Sunita Devi ", GuestRelation.Interpreter, Now);
        invited.Value.ShouldBe([Invited]);
        Given(Started, Invited).RoleOf(Guest).ShouldBeNull("a guest is no participant until their link is opened");
    }

    [Fact]
    public void The_doctor_or_anyone_else_may_not_and_a_guest_needs_a_name()
    {
        GuestDecisions.Invite(Given(Started), Doctor, Guest, "Sunita Devi", GuestRelation.Family, Now).Error.ShouldBe(GuestDecisions.NotPatientSide);
        GuestDecisions.Invite(Given(Started), Guid.NewGuid(), Guest, "Sunita Devi", GuestRelation.Family, Now).Error.ShouldBe(GuestDecisions.NotPatientSide);
        GuestDecisions.Invite(Given(Started), Patient, Guest, " ", GuestRelation.Family, Now).Error.Code.ShouldBe("InvalidGuestName");
        GuestDecisions.Invite(Given(Started), Patient, Guest, "Sunita\nDevi", GuestRelation.Family, Now).Error.Code.ShouldBe("InvalidGuestName");
        GuestDecisions.Invite(Given(Started), Patient, Guest, new string('a', 81), GuestRelation.Family, Now).Error.Code.ShouldBe("InvalidGuestName");
    }

    [Fact]
    public void A_consultation_has_at_most_three_guests()
    {
        var three = Enumerable.Range(0, 3).Select(i => (IConsultationEvent)(Invited with { GuestId = Guid.NewGuid() }));
        GuestDecisions.Invite(Given([Started, .. three]), Patient, Guest, "Fourth", GuestRelation.Family, Now).Error.ShouldBe(GuestDecisions.TooManyGuests);
    }

    [Fact]
    public void The_link_admits_its_guest_once_before_it_expires_and_the_guest_may_then_join()
    {
        var admitted = GuestDecisions.Admit(Given(Started, Invited), Guest, Now.AddMinutes(14));
        admitted.Value.ShouldBe([new GuestAdmitted(Id, Guest, Now.AddMinutes(14))]);
        var inside = Given(Started, Invited, new GuestAdmitted(Id, Guest, Now));
        inside.RoleOf(Guest).ShouldBe(ParticipantRole.Guest);
        ConsultationDecisions.Join(inside, Guest, Now).Value.ShouldBe([new ParticipantJoined(Id, Guest, ParticipantRole.Guest, Now)]);

        GuestDecisions.Admit(inside, Guest, Now).Error.ShouldBe(GuestDecisions.LinkUsed);
        GuestDecisions.Admit(Given(Started, Invited), Guest, Now + GuestDecisions.LinkLifetime).Error.ShouldBe(GuestDecisions.LinkExpired);
        GuestDecisions.Admit(Given(Started, Invited), Guid.NewGuid(), Now).Error.ShouldBe(GuestDecisions.UnknownGuest);
        GuestDecisions.Admit(Given(Started, Invited, new ConsultationCompleted(Id, Doctor, Now)), Guest, Now).Error.ShouldBe(ConsultationError.Ended);
    }
}
