using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Bookings;
using Telemed.Server.Identity;
using Telemed.Server.Messages;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Bookings;

public class BookingTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    /// <summary>A free session of the demo doctors starting <paramref name="startsIn"/> from now (a day unless told), with <paramref name="slots"/> 10-minute slots.</summary>
    private async Task<Guid> OpenAhead(int slots = 12, TimeSpan? startsIn = null, int capacity = 100, Guid[]? doctorIds = null)
    {
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);
        var startsAt = server.Time.GetUtcNow() + (startsIn ?? TimeSpan.FromDays(1));
        var response = await admin.PostAsJsonAsync("/api/sessions", new
        {
            facilityId = Sessions.Facility,
            doctorIds = doctorIds ?? [DemoSeeder.DoctorAshaId, DemoSeeder.DoctorRahulId],
            startsAt,
            endsAt = startsAt.AddMinutes(10 * slots),
            capacity,
            slotMinutes = 10,
        });
        await response.ShouldHave(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> Book(HttpClient patient, Guid sessionId, int slot, Guid? followUpOf = null) =>
        patient.PostAsJsonAsync($"/api/sessions/{sessionId}/bookings", new { slot, followUpOf });

    private static async Task<JsonElement> Booked(HttpClient patient, Guid sessionId, int slot, Guid? followUpOf = null)
    {
        var response = await Book(patient, sessionId, slot, followUpOf);
        await response.ShouldHave(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement[]> Slots(Guid sessionId, HttpClient caller) =>
        [.. (await caller.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}/slots")).GetProperty("slots").EnumerateArray()];

    private static async Task<JsonElement> MyBooking(HttpClient patient, Guid bookingId) =>
        (await patient.GetFromJsonAsync<JsonElement[]>("/api/me/bookings"))!.Single(b => b.GetProperty("id").GetGuid() == bookingId);

    private async Task<BookingRecord> Record(Guid bookingId)
    {
        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await query.LoadAsync<BookingRecord>(bookingId))!;
    }

    private async Task<IReadOnlyList<OutgoingMessage>> Messages(IEnumerable<Guid> ids)
    {
        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await query.LoadManyAsync<OutgoingMessage>(ids);
    }

    /// <summary>
    /// Half the patients book through a second server node sharing the database, so nothing in one process can serialise
    /// them: only the session stream's row lock and version keep two bookings of one slot apart.
    /// </summary>
    [Fact]
    public async Task Fifty_concurrent_bookings_of_ten_slots_give_exactly_ten_bookings_and_forty_conflicts()
    {
        var sessionId = await OpenAhead(slots: 10);
        var patients = await Host.CreatePatients(50);
        var otherNode = server.Start();

        var responses = await Task.WhenAll(patients.Select((p, i) => Book((i % 2 == 0 ? Host : otherNode).As(p.AccessToken), sessionId, i % 10)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(10);
        var conflicts = responses.Where(r => r.StatusCode != HttpStatusCode.Created).ToList();
        conflicts.Count.ShouldBe(40);
        foreach (var conflict in conflicts)
        {
            (await conflict.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("SlotTaken");
        }
        var booked = await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        booked.Select(b => b.GetProperty("slot").GetInt32()).Order().ShouldBe(Enumerable.Range(0, 10));
        (await Slots(sessionId, Host.As(patients[0].AccessToken))).ShouldAllBe(s => !s.GetProperty("free").GetBoolean());
    }

    [Fact]
    public async Task A_patient_books_a_free_slot_moves_it_and_cancels_it()
    {
        var sessionId = await OpenAhead();
        var patient = Host.As((await Host.CreatePatients(1))[0].AccessToken);

        var booking = await Booked(patient, sessionId, 3);
        var bookingId = booking.GetProperty("id").GetGuid();
        booking.GetProperty("state").GetString().ShouldBe("booked");
        (await Slots(sessionId, patient))[3].GetProperty("free").GetBoolean().ShouldBeFalse();

        var moved = await patient.PutAsJsonAsync($"/api/sessions/{sessionId}/bookings/{bookingId}", new { slot = 5 });
        await moved.ShouldHave(HttpStatusCode.OK);
        var slots = await Slots(sessionId, patient);
        slots[3].GetProperty("free").GetBoolean().ShouldBeTrue();
        slots[5].GetProperty("free").GetBoolean().ShouldBeFalse();
        (await MyBooking(patient, bookingId)).GetProperty("slot").GetInt32().ShouldBe(5);

        await (await patient.PostAsync($"/api/sessions/{sessionId}/bookings/{bookingId}/cancel", null)).ShouldHave(HttpStatusCode.OK);
        (await Slots(sessionId, patient))[5].GetProperty("free").GetBoolean().ShouldBeTrue();
        (await MyBooking(patient, bookingId)).GetProperty("state").GetString().ShouldBe("cancelled");
        (await (await patient.PostAsync($"/api/sessions/{sessionId}/bookings/{bookingId}/cancel", null)).ShouldBeProblem(HttpStatusCode.Conflict))
            .GetProperty("code").GetString().ShouldBe("WrongBookingState");
    }

    [Fact]
    public async Task Two_patients_moving_their_bookings_to_one_slot_of_another_session_get_it_once_and_the_other_keeps_theirs()
    {
        var first = await OpenAhead();
        var second = await OpenAhead(startsIn: TimeSpan.FromDays(2));
        var patients = await Host.CreatePatients(2);
        var clients = patients.Select(p => Host.As(p.AccessToken)).ToList();
        var bookings = new List<Guid>();
        for (var i = 0; i < clients.Count; i++)
        {
            bookings.Add((await Booked(clients[i], first, i + 1)).GetProperty("id").GetGuid());
        }

        var answers = await Task.WhenAll(clients.Select((client, i) =>
            client.PostAsJsonAsync($"/api/sessions/{first}/bookings/{bookings[i]}/move", new { sessionId = second, slot = 4 })));

        var winner = answers.Select((a, i) => (a, i)).Single(x => x.a.StatusCode == HttpStatusCode.Created).i;
        var loser = 1 - winner;
        (await answers[loser].ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("SlotTaken");
        var moved = await answers[winner].Content.ReadFromJsonAsync<JsonElement>();
        (moved.GetProperty("sessionId").GetGuid(), moved.GetProperty("slot").GetInt32(), moved.GetProperty("state").GetString()).ShouldBe((second, 4, "booked"));
        answers[winner].Headers.Location!.ToString().ShouldBe($"/api/sessions/{second}/bookings/{moved.GetProperty("id").GetGuid()}");
        (await MyBooking(clients[winner], bookings[winner])).GetProperty("state").GetString().ShouldBe("cancelled");
        (await MyBooking(clients[loser], bookings[loser])).GetProperty("state").GetString().ShouldBe("booked");
        (await Slots(first, clients[0]))[winner + 1].GetProperty("free").GetBoolean().ShouldBeTrue();
        (await Slots(first, clients[0]))[loser + 1].GetProperty("free").GetBoolean().ShouldBeFalse();
        (await Slots(second, clients[0]))[4].GetProperty("free").GetBoolean().ShouldBeFalse();
        await using (var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            (await query.Events.FetchStreamAsync(first)).Select(e => e.Data).OfType<Telemed.Domain.Queue.BookingCancelled>().Single()
                .MovedTo.ShouldBe(moved.GetProperty("id").GetGuid());
        }

        var strangerPatient = (await Host.CreatePatients(1))[0];
        var stranger = Host.As(strangerPatient.AccessToken);
        await (await stranger.PostAsJsonAsync($"/api/sessions/{first}/bookings/{bookings[loser]}/move", new { sessionId = second, slot = 6 }))
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        await using (var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var refused = (await query.Events.FetchStreamAsync(strangerPatient.Id)).Select(e => e.Data).OfType<AccessRefused>().ShouldHaveSingleItem();
            refused.Action.ShouldBe("move booking to another session");
            refused.Resource.ShouldBe($"opd-session/{first}/booking/{bookings[loser]}");
        }
        (await (await clients[winner].PostAsJsonAsync($"/api/sessions/{first}/bookings/{bookings[winner]}/move", new { sessionId = second, slot = 7 }))
            .ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("WrongBookingState");
        (await (await clients[loser].PostAsJsonAsync($"/api/sessions/{first}/bookings/{bookings[loser]}/move", new { slot = 6 }))
            .ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("sessionId", out _).ShouldBeTrue();
        var slots = await Slots(second, clients[0]);
        new[] { 6, 7 }.ShouldAllBe(slot => slots[slot].GetProperty("free").GetBoolean(), "refused moves leave no booking behind");
    }

    [Fact]
    public async Task Bad_bookings_are_refused_with_problem_details_naming_what_was_wrong()
    {
        var sessionId = await OpenAhead(slots: 4);
        var patient = Host.As((await Host.CreatePatients(1))[0].AccessToken);

        (await (await patient.PostAsJsonAsync($"/api/sessions/{sessionId}/bookings", new { })).ShouldBeProblem(HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("slot", out _).ShouldBeTrue();
        (await (await Book(patient, sessionId, 4)).ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("SlotNotFound");
        (await (await Book(patient, Guid.NewGuid(), 1)).ShouldBeProblem(HttpStatusCode.NotFound)).ShouldNotBe(default);
        await Booked(patient, sessionId, 1);
        (await (await Book(patient, sessionId, 2)).ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("AlreadyBooked");
    }

    [Fact]
    public async Task Only_the_patient_touches_their_booking()
    {
        var sessionId = await OpenAhead();
        var owner = Host.As((await Host.CreatePatients(1))[0].AccessToken);
        var stranger = Host.As((await Host.CreatePatients(1))[0].AccessToken);
        var doctor = await Sessions.Doctor(Host);
        var bookingId = (await Booked(owner, sessionId, 2)).GetProperty("id").GetGuid();

        await (await stranger.PutAsJsonAsync($"/api/sessions/{sessionId}/bookings/{bookingId}", new { slot = 4 })).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await stranger.PostAsync($"/api/sessions/{sessionId}/bookings/{bookingId}/cancel", null)).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/bookings/{bookingId}/cancel", null)).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await Book(doctor, sessionId, 6)).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await doctor.GetAsync("/api/me/bookings")).ShouldBeProblem(HttpStatusCode.Forbidden);
        (await stranger.GetFromJsonAsync<JsonElement[]>("/api/me/bookings"))!.ShouldBeEmpty();
        (await MyBooking(owner, bookingId)).GetProperty("state").GetString().ShouldBe("booked");
    }

    [Fact]
    public async Task A_guardian_books_for_a_family_member_who_then_holds_the_booking()
    {
        var sessionId = await OpenAhead();
        var guardian = (await Host.CreatePatients(1))[0];
        var child = await Host.AddDependant(guardian);

        var bookingId = (await Booked(Host.As(child.AccessToken), sessionId, 2)).GetProperty("id").GetGuid();

        (await Record(bookingId)).PatientId.ShouldBe(child.Id);
        (await Host.As(guardian.AccessToken).GetFromJsonAsync<JsonElement[]>("/api/me/bookings"))!.ShouldBeEmpty("the booking is the child's, not the guardian's");
    }

    [Fact]
    public async Task A_booked_patient_who_checks_in_is_called_at_their_slot_ahead_of_later_walk_ins()
    {
        var sessionId = await OpenAhead(startsIn: TimeSpan.FromMinutes(30));
        var booked = (await Host.CreatePatients(1))[0];
        var bookingId = (await Booked(Host.As(booked.AccessToken), sessionId, 0)).GetProperty("id").GetGuid();
        var early = (await Host.CreatePatients(1))[0];
        await Sessions.CheckIn(Host, sessionId, early);
        server.Time.Advance(TimeSpan.FromMinutes(31));
        booked = await Host.SignInAgain(booked);
        var late = (await Host.CreatePatients(1))[0];
        await Sessions.CheckIn(Host, sessionId, late);

        var arrived = await Sessions.CheckIn(Host, sessionId, booked);

        arrived.GetProperty("token").GetInt32().ShouldBe(3);
        arrived.GetProperty("position").GetInt32().ShouldBe(2, "behind the walk-in who came before the slot, ahead of the one who came after");
        (await MyBooking(Host.As(booked.AccessToken), bookingId)).GetProperty("token").GetInt32().ShouldBe(3);
        async Task<int> CallNext(string email) =>
            (await (await (await Sessions.Doctor(Host, email)).PostAsync($"/api/sessions/{sessionId}/call-next", null)).Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("token").GetInt32();
        (await CallNext(Api.DoctorEmail)).ShouldBe(1);
        (await CallNext("rahul.nair@telemed.local")).ShouldBe(3);
    }

    [Fact]
    public async Task A_booking_not_checked_in_by_the_grace_time_is_recorded_as_a_no_show()
    {
        var sessionId = await OpenAhead(startsIn: TimeSpan.FromMinutes(30));
        var patient = (await Host.CreatePatients(1))[0];
        var client = Host.As(patient.AccessToken);
        var bookingId = (await Booked(client, sessionId, 1)).GetProperty("id").GetGuid();
        var sweeper = Host.Services.GetRequiredService<BookingSweeper>();

        server.Time.Advance(TimeSpan.FromMinutes(40) + Domain.Queue.BookingRules.NoShowGrace - TimeSpan.FromMinutes(1));
        await sweeper.Sweep(CancellationToken.None);
        client = Host.As((await Host.SignInAgain(patient)).AccessToken);
        (await MyBooking(client, bookingId)).GetProperty("state").GetString().ShouldBe("booked");

        server.Time.Advance(TimeSpan.FromMinutes(1));
        await sweeper.Sweep(CancellationToken.None);
        (await MyBooking(client, bookingId)).GetProperty("state").GetString().ShouldBe("missed");
        var session = await Host.Services.GetRequiredService<Telemed.Server.Queue.QueueService>().Replay(sessionId, CancellationToken.None);
        session!.Booking(bookingId)!.State.ShouldBe(Domain.Queue.BookingState.Missed);
        session.PlacesTaken.ShouldBe(0);
    }

    [Fact]
    public async Task A_booking_is_reminded_the_evening_before_and_a_cancelled_one_is_not()
    {
        var sessionId = await OpenAhead(startsIn: TimeSpan.FromDays(2));
        var patient = Host.As((await Host.CreatePatients(1))[0].AccessToken);
        var kept = (await Booked(patient, sessionId, 2)).GetProperty("id").GetGuid();
        var other = Host.As((await Host.CreatePatients(1))[0].AccessToken);
        var cancelled = (await Booked(other, sessionId, 3)).GetProperty("id").GetGuid();

        await (await other.PostAsync($"/api/sessions/{sessionId}/bookings/{cancelled}/cancel", null)).ShouldHave(HttpStatusCode.OK);

        var record = await Record(kept);
        var reminder = (await Messages(record.ReminderIds)).ShouldHaveSingleItem();
        reminder.Template.ShouldBe("BookingReminder");
        reminder.State.ShouldBe(Domain.Messages.DeliveryState.Pending);
        reminder.DueAt.ShouldBe(Domain.Messages.Delivery.BookingReminderAt(record.StartsAt, server.Time.GetUtcNow())!.Value);
        reminder.ExpiresAt.ShouldBe(record.StartsAt);
        (await Record(cancelled)).ReminderIds.ShouldBeEmpty();
        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var withdrawn = await query.Query<OutgoingMessage>()
            .Where(m => m.Template == "BookingReminder" && m.State == Domain.Messages.DeliveryState.Lapsed && m.CreatedAt >= record.StartsAt.AddDays(-3)).ToListAsync();
        withdrawn.ShouldNotBeEmpty("the cancelled booking's reminder lapses unsent");
    }

    [Fact]
    public async Task Closing_a_session_cancels_its_bookings_and_tells_their_patients()
    {
        var sessionId = await OpenAhead(startsIn: TimeSpan.FromDays(2));
        var patient = (await Host.CreatePatients(1))[0];
        var bookingId = (await Booked(Host.As(patient.AccessToken), sessionId, 2)).GetProperty("id").GetGuid();
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);

        await (await admin.PostAsync($"/api/sessions/{sessionId}/close", null)).ShouldHave(HttpStatusCode.OK);

        (await MyBooking(Host.As(patient.AccessToken), bookingId)).GetProperty("state").GetString().ShouldBe("cancelled");
        var record = await Record(bookingId);
        record.ReminderIds.ShouldBeEmpty();
        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var mobile = (await query.LoadAsync<PatientAccount>(patient.Id))!.Mobile;
        var told = (await query.Query<OutgoingMessage>().Where(m => m.To == mobile && m.Template == "BookingCancelled").ToListAsync()).ShouldHaveSingleItem();
        told.ExpiresAt.ShouldBe(record.StartsAt);
    }

    [Fact]
    public async Task A_patient_who_opted_out_gets_no_booking_reminder()
    {
        var sessionId = await OpenAhead(startsIn: TimeSpan.FromDays(2));
        var patient = Host.As((await Host.CreatePatients(1))[0].AccessToken);
        await (await patient.PutAsJsonAsync("/api/me/message-preferences", new { optOut = true })).ShouldHave(HttpStatusCode.OK);

        var bookingId = (await Booked(patient, sessionId, 2)).GetProperty("id").GetGuid();

        (await Messages((await Record(bookingId)).ReminderIds)).ShouldAllBe(m => m.State == Domain.Messages.DeliveryState.Suppressed);
    }

    [Fact]
    public async Task A_follow_up_booked_from_a_prescription_counts_as_a_follow_up_with_its_doctor()
    {
        var patient = (await Host.CreatePatients(1))[0];
        var client = Host.As(patient.AccessToken);
        var followUpOn = Domain.IndianTime.Day(server.Time.GetUtcNow()).AddDays(7);
        var room = await Clinical.OnVideo(Host, patient);
        var doctor = Host.As(room.DoctorToken);
        await Clinical.Write(doctor, room,
            ("notes", new { chiefComplaints = "High blood pressure", followUpOn }),
            ("diagnosis", new { text = "Essential hypertension", codeSystem = "icd10", code = "I10" }),
            ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol } }));
        var prescriptionId = await Clinical.Complete(doctor, room);
        var stranger = Host.As((await Host.CreatePatients(1))[0].AccessToken);
        var sessionId = await OpenAhead(startsIn: TimeSpan.FromMinutes(20), doctorIds: [Room.DoctorId]);
        var otherDoctorsSession = await OpenAhead(startsIn: TimeSpan.FromMinutes(20), doctorIds: [DemoSeeder.DoctorRahulId]);

        await (await Book(stranger, sessionId, 0, prescriptionId)).ShouldBeProblem(HttpStatusCode.NotFound);
        (await (await Book(client, otherDoctorsSession, 0, prescriptionId)).ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("code").GetString()
            .ShouldBe("NotFollowUpDoctor");
        var booking = await Booked(client, sessionId, 0, prescriptionId);
        booking.GetProperty("followUpOf").GetGuid().ShouldBe(prescriptionId);

        server.Time.Advance(TimeSpan.FromMinutes(20));
        patient = await Host.SignInAgain(patient);
        doctor = await Sessions.Doctor(Host);
        await Sessions.CheckIn(Host, sessionId, patient);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
        var started = await doctor.PostAsync($"/api/sessions/{sessionId}/tokens/1/start", null);
        var consultationId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consultationId").GetGuid();
        var followUp = new Room(sessionId, consultationId, patient, "");

        var record = await doctor.GetAsync($"/api/consultations/{consultationId}/record");
        (await record.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kind").GetString().ShouldBe("followUp");
        var diagnosed = await Clinical.Put(doctor, followUp, "diagnosis", new { text = "Essential hypertension", codeSystem = "icd10", code = "I10" }, record.Headers.ETag!.Tag);
        var amlodipine = new { generic = "amlodipine", strength = "5 mg", form = "tablet", dose = new { morning = 1, unit = "tablet" }, route = "oral", durationDays = 30, quantity = 30, purpose = "addOn" };
        var prescribed = await Clinical.Put(doctor, followUp, "prescription", new { medicines = new[] { amlodipine } }, diagnosed.Headers.ETag!.Tag);
        await prescribed.ShouldHave(HttpStatusCode.OK);
        (await prescribed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kind").GetString().ShouldBe("followUp", "List B is added only on a follow-up");
    }

    [Fact]
    public async Task A_walk_in_visit_still_has_to_say_what_kind_of_consult_it_is()
    {
        var room = await Clinical.OnVideo(Host);
        var doctor = Host.As(room.DoctorToken);
        var record = await doctor.GetAsync($"/api/consultations/{room.ConsultationId}/record");

        var refused = await Clinical.Put(doctor, room, "prescription", new { medicines = new[] { Clinical.Paracetamol } }, record.Headers.ETag!.Tag);

        (await refused.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("code").GetString().ShouldBe("KindRequired");
    }
}
