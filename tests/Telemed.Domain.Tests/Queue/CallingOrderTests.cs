using Telemed.Domain.Queue;

namespace Telemed.Domain.Tests.Queue;

/// <summary>Slots are 10 minutes from 30 minutes before <c>Now</c>: slot 3 begins at <c>Now</c>.</summary>
public class CallingOrderTests : QueueSpec
{
    private static readonly Guid Patient4 = Guid.Parse("33333333-0000-0000-0000-000000000004");

    private static IQueueEvent[] BookedAndArrived(Guid bookingId, int slot, Guid patient, int token, DateTimeOffset arrived) =>
    [
        new SlotBooked(SessionId, bookingId, slot, patient, patient, null, Now.AddDays(-1)),
        new PatientCheckedIn(SessionId, token, patient, Summary, null, [], arrived, BookingId: bookingId),
    ];

    private static PatientCheckedIn WalkIn(int token, Guid patient, DateTimeOffset at) => new(SessionId, token, patient, Summary, null, [], at);

    private static int[] Order(OpdSession session) => [.. session.Line().Select(e => e.Token)];

    [Fact]
    public void Walk_ins_alone_are_called_by_token() =>
        Order(Given(Opened(), WalkIn(1, Patient1, Now), WalkIn(2, Patient2, Now), WalkIn(3, Patient3, Now))).ShouldBe([1, 2, 3]);

    [Fact]
    public void A_booked_patient_goes_ahead_of_walk_ins_who_came_after_their_slot_began()
    {
        var session = Given([Opened(),
            WalkIn(1, Patient1, Now.AddMinutes(-5)),
            .. BookedAndArrived(Guid.NewGuid(), 4, Patient2, 2, Now.AddMinutes(-20)),
            WalkIn(3, Patient3, Now.AddMinutes(8)),
            WalkIn(4, Patient4, Now.AddMinutes(12))]);

        // Slot 4 begins at Now+10: the walk-ins of Now-5 and Now+8 came before it, the one of Now+12 after it.
        Order(session).ShouldBe([1, 3, 2, 4]);
    }

    [Fact]
    public void A_booked_patient_who_arrives_late_keeps_the_place_of_their_slot()
    {
        var session = Given([Opened(),
            WalkIn(1, Patient1, Now.AddMinutes(1)),
            WalkIn(2, Patient2, Now.AddMinutes(4)),
            .. BookedAndArrived(Guid.NewGuid(), 3, Patient3, 3, Now.AddMinutes(9))]);

        // Slot 3 began at Now: the walk-ins of Now+1 and Now+4 came after it.
        Order(session).ShouldBe([3, 1, 2]);
    }

    [Fact]
    public void Booked_patients_go_by_slot_not_by_arrival() =>
        Order(Given([Opened(),
            .. BookedAndArrived(Guid.NewGuid(), 8, Patient1, 1, Now.AddMinutes(-10)),
            .. BookedAndArrived(Guid.NewGuid(), 5, Patient2, 2, Now.AddMinutes(-5))])).ShouldBe([2, 1]);

    [Fact]
    public void An_early_booked_patient_is_called_when_nobody_who_came_before_waits() =>
        Order(Given([Opened(), .. BookedAndArrived(Guid.NewGuid(), 15, Patient1, 1, Now)])).ShouldBe([1]);

    [Fact]
    public void Priority_still_comes_before_bookings()
    {
        var session = Given([Opened(),
            .. BookedAndArrived(Guid.NewGuid(), 3, Patient1, 1, Now),
            WalkIn(2, Patient2, Now.AddMinutes(5)),
            new TokenPrioritised(SessionId, 2, Priority.Emergency, DoctorA, Now.AddMinutes(5))]);

        Order(session).ShouldBe([2, 1]);
    }

    [Fact]
    public void The_doctors_queue_row_of_a_booked_token_shows_its_slot()
    {
        var rows = QueueViews.Queue(Given([Opened(), WalkIn(1, Patient1, Now), .. BookedAndArrived(Guid.NewGuid(), 5, Patient2, 2, Now)]), Online).Rows;

        rows[0].SlotStartsAt.ShouldBeNull();
        rows[1].SlotStartsAt.ShouldBe(Now.AddMinutes(20));
    }

    [Fact]
    public void Calling_next_follows_the_interleaved_order() =>
        Then(QueueDecisions.CallNext(Given([Opened(), WalkIn(1, Patient1, Now.AddMinutes(1)), .. BookedAndArrived(Guid.NewGuid(), 3, Patient2, 2, Now.AddMinutes(2))]),
                DoctorA, Online, Now.AddMinutes(3)),
            new TokenCalled(SessionId, 2, DoctorA, false, Now.AddMinutes(3)));
}
