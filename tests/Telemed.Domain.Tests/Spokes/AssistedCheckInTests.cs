using Telemed.Domain.Consultations;
using Telemed.Domain.Queue;
using Telemed.Domain.Spokes;
using Telemed.Domain.Tests.Queue;

namespace Telemed.Domain.Tests.Spokes;

public class AssistedCheckInTests : QueueSpec
{
    private static readonly AssistedBy Asha = new(Guid.Parse("77777777-0000-0000-0000-000000000001"), "Asha Kumari", Cadre.Anm,
        Guid.Parse("bbbbbbbb-0000-0000-0000-000000000001"), "HWC Rampur", new Vitals(128, 84, 76, null, 97, null));

    [Fact]
    public void A_patient_brought_in_at_a_spoke_joins_the_queue_with_the_health_worker_and_spoke_named()
    {
        var result = QueueDecisions.CheckIn(Given(Opened()), Patient1, Summary, "fever", [], Now, assistedBy: Asha);

        Then(result, new PatientCheckedIn(SessionId, 1, Patient1, Summary, "fever", [], Now, null, null, null, Asha));
        var row = QueueViews.Queue(Given([Opened(), .. result.Value]), Online).Rows.Single();
        row.AssistedBy.ShouldBe(Asha);
    }

    [Fact]
    public void A_booked_slot_checked_in_by_the_health_worker_is_the_booking_s_token()
    {
        var booking = Guid.Parse("44444444-0000-0000-0000-000000000001");
        var session = Given(Opened(), new SlotBooked(SessionId, booking, 4, Patient1, Asha.HealthWorkerId, null, Now.AddHours(-1)));

        var result = QueueDecisions.CheckIn(session, Patient1, Summary, null, [], Now, assistedBy: Asha);

        var checkedIn = result.Value.OfType<PatientCheckedIn>().Single();
        checkedIn.BookingId.ShouldBe(booking);
        checkedIn.AssistedBy.ShouldBe(Asha);
    }

    [Fact]
    public void The_health_worker_is_a_participant_of_the_consultation_they_brought_the_patient_to()
    {
        var started = new ConsultationStarted(Consultation, SessionId, 1, DoctorA, Patient1, Now, HealthWorkerId: Asha.HealthWorkerId);
        var consultation = Telemed.Domain.Consultations.Consultation.Evolve(null, started);

        consultation.RoleOf(Asha.HealthWorkerId).ShouldBe(ParticipantRole.HealthWorker);
        ConsultationDecisions.Join(consultation, Asha.HealthWorkerId, Now).Value.ShouldBe([new ParticipantJoined(Consultation, Asha.HealthWorkerId, ParticipantRole.HealthWorker, Now)]);
        ConsultationDecisions.Join(consultation, Stranger, Now).Error.ShouldBe(ConsultationError.NotParticipant);
    }
}
