using Telemed.Domain.Queue;

namespace Telemed.Domain.Tests.Queue;

/// <summary>The session opens 30 minutes before <c>Now</c> with 10-minute slots: slot 3 begins at <c>Now</c>, slot 4 ten minutes later.</summary>
public class BookingTests : QueueSpec
{
    private static readonly Guid Booking1 = Guid.Parse("44444444-0000-0000-0000-000000000001");
    private static readonly Guid Booking2 = Guid.Parse("44444444-0000-0000-0000-000000000002");
    private static readonly Guid Prescription = Guid.Parse("66666666-0000-0000-0000-000000000001");

    private static SlotBooked Booked(Guid bookingId, int slot, Guid patient, FollowUpOf? followUp = null) =>
        new(SessionId, bookingId, slot, patient, patient, followUp, Now.AddHours(-20));

    [Fact]
    public void Slots_follow_the_session_window_and_slot_length()
    {
        var slots = BookingRules.Slots(Given(Opened(slotMinutes: 15)), Now);

        slots.Count.ShouldBe(14);
        slots[0].StartsAt.ShouldBe(Now.AddMinutes(-30));
        slots[13].EndsAt.ShouldBe(Now.AddHours(3));
        slots.Where(s => s.Free).Select(s => s.Slot).ShouldBe(Enumerable.Range(3, 11), "slots that have begun cannot be booked");
    }

    [Fact]
    public void A_free_future_slot_can_be_booked() =>
        Then(BookingDecisions.Book(Given(Opened()), Booking1, 4, Patient1, Patient1, null, Now),
            new SlotBooked(SessionId, Booking1, 4, Patient1, Patient1, null, Now));

    [Fact]
    public void A_booked_slot_is_not_free_and_cannot_be_booked_again()
    {
        var session = Given(Opened(), Booked(Booking1, 4, Patient1));

        BookingRules.Slots(session, Now)[4].Free.ShouldBeFalse();
        Refused(BookingDecisions.Book(session, Booking2, 4, Patient2, Patient2, null, Now), QueueErrorCode.SlotTaken);
    }

    [Fact]
    public void A_slot_that_has_begun_cannot_be_booked() =>
        Refused(BookingDecisions.Book(Given(Opened()), Booking1, 3, Patient1, Patient1, null, Now), QueueErrorCode.SlotStarted);

    [Fact]
    public void A_slot_outside_the_session_cannot_be_booked()
    {
        Refused(BookingDecisions.Book(Given(Opened()), Booking1, 21, Patient1, Patient1, null, Now), QueueErrorCode.SlotNotFound);
        Refused(BookingDecisions.Book(Given(Opened()), Booking1, -1, Patient1, Patient1, null, Now), QueueErrorCode.SlotNotFound);
    }

    [Fact]
    public void A_patient_holds_one_place_per_session()
    {
        Refused(BookingDecisions.Book(Given(Opened(), Booked(Booking1, 4, Patient1)), Booking2, 5, Patient1, Patient1, null, Now), QueueErrorCode.AlreadyBooked);
        Refused(BookingDecisions.Book(Given(Opened(), CheckedIn(1, Patient1)), Booking2, 5, Patient1, Patient1, null, Now), QueueErrorCode.AlreadyBooked);
    }

    [Fact]
    public void Bookings_take_places_from_the_capacity()
    {
        var session = Given(Opened(capacity: 2), Booked(Booking1, 4, Patient1), CheckedIn(1, Patient2));

        session.PlacesTaken.ShouldBe(2);
        Refused(BookingDecisions.Book(session, Booking2, 5, Patient3, Patient3, null, Now), QueueErrorCode.SessionFull);
        Refused(QueueDecisions.CheckIn(session, Patient3, Summary, null, [], Now), QueueErrorCode.SessionFull);
        BookingRules.Slots(session, Now).ShouldAllBe(s => !s.Free);
    }

    [Fact]
    public void A_closed_session_takes_no_bookings() =>
        Refused(BookingDecisions.Book(Given(Opened(), new SessionClosed(SessionId, DoctorA, Now)), Booking1, 4, Patient1, Patient1, null, Now), QueueErrorCode.SessionClosed);

    [Fact]
    public void Booking_again_with_the_same_id_changes_nothing() =>
        Then(BookingDecisions.Book(Given(Opened(), Booked(Booking1, 4, Patient1)), Booking1, 4, Patient1, Patient1, null, Now));

    [Fact]
    public void A_follow_up_is_booked_only_in_a_session_of_the_doctor_who_asked_for_it()
    {
        Then(BookingDecisions.Book(Given(Opened()), Booking1, 4, Patient1, Patient1, new FollowUpOf(Prescription, DoctorB), Now),
            new SlotBooked(SessionId, Booking1, 4, Patient1, Patient1, new FollowUpOf(Prescription, DoctorB), Now));
        Refused(BookingDecisions.Book(Given(Opened()), Booking1, 4, Patient1, Patient1, new FollowUpOf(Prescription, Stranger), Now), QueueErrorCode.NotFollowUpDoctor);
    }

    [Fact]
    public void Rescheduling_moves_the_booking_and_frees_its_old_slot()
    {
        var session = Given(Opened(), Booked(Booking1, 4, Patient1));
        Then(BookingDecisions.Reschedule(session, Booking1, 6, Patient1, Now), new BookingRescheduled(SessionId, Booking1, 6, Patient1, Now));

        var moved = OpdSession.Evolve(session, new BookingRescheduled(SessionId, Booking1, 6, Patient1, Now));
        BookingRules.Slots(moved, Now)[4].Free.ShouldBeTrue();
        BookingRules.Slots(moved, Now)[6].Free.ShouldBeFalse();
    }

    [Fact]
    public void Rescheduling_into_a_taken_slot_is_refused() =>
        Refused(BookingDecisions.Reschedule(Given(Opened(), Booked(Booking1, 4, Patient1), Booked(Booking2, 6, Patient2)), Booking1, 6, Patient1, Now),
            QueueErrorCode.SlotTaken);

    [Fact]
    public void Only_its_patient_reschedules_or_cancels_a_booking()
    {
        var session = Given(Opened(), Booked(Booking1, 4, Patient1));

        Refused(BookingDecisions.Reschedule(session, Booking1, 6, Patient2, Now), QueueErrorCode.NotYourBooking);
        Refused(BookingDecisions.Cancel(session, Booking1, Patient2, Now), QueueErrorCode.NotYourBooking);
        Refused(BookingDecisions.Cancel(session, Booking2, Patient1, Now), QueueErrorCode.BookingNotFound);
    }

    [Fact]
    public void Cancelling_frees_the_slot_and_the_place()
    {
        var session = Given(Opened(), Booked(Booking1, 4, Patient1));
        Then(BookingDecisions.Cancel(session, Booking1, Patient1, Now), new BookingCancelled(SessionId, Booking1, Patient1, Now));

        var cancelled = OpdSession.Evolve(session, new BookingCancelled(SessionId, Booking1, Patient1, Now));
        cancelled.PlacesTaken.ShouldBe(0);
        BookingRules.Slots(cancelled, Now)[4].Free.ShouldBeTrue();
        Refused(BookingDecisions.Cancel(cancelled, Booking1, Patient1, Now), QueueErrorCode.WrongBookingState);
    }

    [Fact]
    public void Moving_a_booking_out_gives_up_its_slot_and_names_the_booking_that_replaced_it()
    {
        var session = Given(Opened(), Booked(Booking1, 4, Patient1));
        var replacement = Guid.Parse("44444444-0000-0000-0000-0000000000ee");

        Then(BookingDecisions.MoveOut(session, Booking1, Patient1, replacement, Now), new BookingCancelled(SessionId, Booking1, Patient1, Now, replacement));
        BookingRules.Slots(OpdSession.Evolve(session, new BookingCancelled(SessionId, Booking1, Patient1, Now, replacement)), Now)[4].Free.ShouldBeTrue();
        Refused(BookingDecisions.MoveOut(session, Booking1, Patient2, replacement, Now), QueueErrorCode.NotYourBooking);
        Refused(BookingDecisions.MoveOut(Given(Opened(), Booked(Booking1, 4, Patient1), new BookingMissed(SessionId, Booking1, Now)), Booking1, Patient1, replacement, Now),
            QueueErrorCode.WrongBookingState);
    }

    private static readonly Guid HealthWorker = Guid.Parse("77777777-0000-0000-0000-000000000001");
    private static readonly Guid OtherHealthWorker = Guid.Parse("77777777-0000-0000-0000-000000000002");

    private static SlotBooked BookedBy(Guid bookingId, int slot, Guid patient, Guid by) => new(SessionId, bookingId, slot, patient, by, null, Now.AddHours(-20));

    [Fact]
    public void A_health_worker_moves_and_cancels_a_booking_they_made_with_the_reason_on_its_event()
    {
        var session = Given(Opened(), BookedBy(Booking1, 4, Patient1, HealthWorker));
        session.Booking(Booking1)!.BookedBy.ShouldBe(HealthWorker);

        Then(BookingDecisions.RescheduleFor(session, Booking1, 6, HealthWorker, "Doctor on leave", Now),
            new BookingRescheduled(SessionId, Booking1, 6, HealthWorker, Now, "Doctor on leave"));
        Then(BookingDecisions.CancelFor(session, Booking1, HealthWorker, "Patient admitted elsewhere", Now),
            new BookingCancelled(SessionId, Booking1, HealthWorker, Now, Reason: "Patient admitted elsewhere"));
        var replacement = Guid.Parse("44444444-0000-0000-0000-0000000000ee");
        Then(BookingDecisions.MoveOutFor(session, Booking1, HealthWorker, replacement, "Doctor on leave", Now),
            new BookingCancelled(SessionId, Booking1, HealthWorker, Now, replacement, "Doctor on leave"));
        Then(BookingDecisions.Book(Given(Opened()), Booking2, 5, Patient1, HealthWorker, null, Now, new BookingMove(Booking1, "Doctor on leave")),
            new SlotBooked(SessionId, Booking2, 5, Patient1, HealthWorker, null, Now, Booking1, "Doctor on leave"));
    }

    [Fact]
    public void A_health_worker_changes_no_booking_they_did_not_make()
    {
        var byColleague = Given(Opened(), BookedBy(Booking1, 4, Patient1, OtherHealthWorker));
        var byPatient = Given(Opened(), Booked(Booking1, 4, Patient1));

        foreach (var session in new[] { byColleague, byPatient })
        {
            Refused(BookingDecisions.RescheduleFor(session, Booking1, 6, HealthWorker, "Doctor on leave", Now), QueueErrorCode.NotYourBooking);
            Refused(BookingDecisions.CancelFor(session, Booking1, HealthWorker, "Doctor on leave", Now), QueueErrorCode.NotYourBooking);
            Refused(BookingDecisions.MoveOutFor(session, Booking1, HealthWorker, Booking2, "Doctor on leave", Now), QueueErrorCode.NotYourBooking);
        }
        Refused(BookingDecisions.Cancel(Given(Opened(), BookedBy(Booking1, 4, Patient1, HealthWorker)), Booking1, Patient2, Now), QueueErrorCode.NotYourBooking);
        Refused(BookingDecisions.RescheduleFor(Given(Opened(), BookedBy(Booking1, 4, Patient1, HealthWorker), new BookingMissed(SessionId, Booking1, Now)),
            Booking1, 6, HealthWorker, "Doctor on leave", Now), QueueErrorCode.WrongBookingState);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void A_change_for_the_patient_needs_a_reason(string? reason) =>
        BookingRules.ChangeReason(reason).IsSuccess.ShouldBeFalse();

    [Fact]
    public void A_reason_is_trimmed_and_at_most_200_characters()
    {
        BookingRules.ChangeReason("  Doctor on leave ").Value.ShouldBe("Doctor on leave");
        BookingRules.ChangeReason(new string('a', 200)).IsSuccess.ShouldBeTrue();
        BookingRules.ChangeReason(new string('a', 201)).IsSuccess.ShouldBeFalse();
    }

    [Fact]
    public void Closing_the_session_cancels_the_bookings_not_checked_in() =>
        Then(QueueDecisions.Close(Given(Opened(), Booked(Booking1, 4, Patient1), Booked(Booking2, 5, Patient2),
                new PatientCheckedIn(SessionId, 1, Patient2, Summary, null, [], Now, BookingId: Booking2)), DoctorA, Now),
            new SessionClosed(SessionId, DoctorA, Now),
            new BookingCancelled(SessionId, Booking1, DoctorA, Now));

    [Fact]
    public void Checking_in_on_a_booking_gives_a_token_that_keeps_the_slot_and_its_place()
    {
        var session = Given(Opened(capacity: 1), Booked(Booking1, 4, Patient1));

        Then(QueueDecisions.CheckIn(session, Patient1, Summary, null, [], Now),
            new PatientCheckedIn(SessionId, 1, Patient1, Summary, null, [], Now, BookingId: Booking1));
        var arrived = OpdSession.Evolve(session, new PatientCheckedIn(SessionId, 1, Patient1, Summary, null, [], Now, BookingId: Booking1));
        arrived.Entry(1)!.SlotStartsAt.ShouldBe(Now.AddMinutes(10));
        arrived.Booking(Booking1)!.State.ShouldBe(BookingState.CheckedIn);
        arrived.PlacesTaken.ShouldBe(1);
    }

    [Fact]
    public void A_booking_not_checked_in_by_the_grace_time_is_a_no_show()
    {
        var session = Given(Opened(), Booked(Booking1, 4, Patient1), Booked(Booking2, 5, Patient2));
        var graceEnds = Now.AddMinutes(10) + BookingRules.NoShowGrace;

        Then(BookingDecisions.RecordNoShows(session, graceEnds.AddTicks(-1)));
        Then(BookingDecisions.RecordNoShows(session, graceEnds), new BookingMissed(SessionId, Booking1, graceEnds));
    }

    [Fact]
    public void The_days_figures_count_bookings_still_to_come_and_those_missed()
    {
        var session = Given(Opened(), Booked(Booking1, 4, Patient1), Booked(Booking2, 5, Patient2), new BookingMissed(SessionId, Booking1, Now));

        var figures = QueueViews.Figures(session, Now);

        (figures.BookedAhead, figures.BookingsMissed, figures.PlacesTaken).ShouldBe((1, 1, 1));
    }

    [Fact]
    public void A_booked_patient_later_than_the_grace_time_misses_the_booking_and_checks_in_as_a_walk_in()
    {
        var late = Now.AddMinutes(10) + BookingRules.NoShowGrace;

        Then(QueueDecisions.CheckIn(Given(Opened(), Booked(Booking1, 4, Patient1)), Patient1, Summary, null, [], late),
            new BookingMissed(SessionId, Booking1, late),
            new PatientCheckedIn(SessionId, 1, Patient1, Summary, null, [], late));
    }

    [Fact]
    public void Rescheduling_or_cancelling_a_booking_already_checked_in_is_refused()
    {
        var session = Given(Opened(), Booked(Booking1, 4, Patient1), new PatientCheckedIn(SessionId, 1, Patient1, Summary, null, [], Now, BookingId: Booking1));

        Refused(BookingDecisions.Reschedule(session, Booking1, 6, Patient1, Now), QueueErrorCode.WrongBookingState);
        Refused(BookingDecisions.Cancel(session, Booking1, Patient1, Now), QueueErrorCode.WrongBookingState);
    }
}
