using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain;
using Telemed.Domain.Identity;
using Telemed.Domain.Queue;
using Telemed.Server.Bookings;
using Telemed.Server.Identity;
using Telemed.Server.Messages;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Spokes;

/// <summary>A health worker moves and cancels the bookings they made for patients they brought in, giving a reason; the patient is told.</summary>
public class SpokeBookingTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private DateOnly Today => IndianTime.Day(server.Time.GetUtcNow());

    private static async Task<int[]> FreeSlots(SpokeWorld world, DateOnly day) =>
        [.. (await world.HealthWorker.GetFromJsonAsync<JsonElement>($"/api/spoke/rosters/{world.RosterId}/slots?date={day:yyyy-MM-dd}"))
            .GetProperty("slots").EnumerateArray().Where(s => s.GetProperty("free").GetBoolean()).Select(s => s.GetProperty("slot").GetInt32())];

    private static async Task<JsonElement> BookFor(HttpClient healthWorker, SpokeWorld world, Guid patientId, DateOnly day, int slot)
    {
        var booked = await healthWorker.PostAsJsonAsync($"/api/spoke/rosters/{world.RosterId}/bookings", new { patientId, date = day, slot });
        await booked.ShouldHave(HttpStatusCode.Created);
        return await booked.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<string> MobileOf(Guid patientId)
    {
        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await query.LoadAsync<PatientAccount>(patientId))!.Mobile;
    }

    private async Task<List<OutgoingMessage>> Told(string mobile, string template)
    {
        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. await query.Query<OutgoingMessage>().Where(m => m.To == mobile && m.Template == template).ToListAsync()];
    }

    private async Task<IReadOnlyList<object>> Events(Guid streamId)
    {
        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. (await query.Events.FetchStreamAsync(streamId)).Select(e => e.Data)];
    }

    [Fact]
    public async Task A_health_worker_moves_a_booking_they_made_within_its_day_and_to_another_day_and_cancels_it_and_the_patient_is_told_each_time()
    {
        var world = await SpokeWorld.Create(Host);
        var patientId = await world.Register(Host);
        var mobile = await MobileOf(patientId);
        var tomorrow = Today.AddDays(1);
        var free = await FreeSlots(world, tomorrow);
        var booking = await BookFor(world.HealthWorker, world, patientId, tomorrow, free[0]);
        var bookingId = booking.GetProperty("id").GetGuid();
        var firstSession = booking.GetProperty("sessionId").GetGuid();

        var listed = (await world.HealthWorker.GetFromJsonAsync<JsonElement[]>("/api/spoke/bookings"))!.ShouldHaveSingleItem();
        (listed.GetProperty("id").GetGuid(), listed.GetProperty("patientName").GetString(), listed.GetProperty("state").GetString())
            .ShouldBe((bookingId, "Ramesh Yadav", "booked"));
        listed.GetProperty("rosterId").GetGuid().ShouldBe(world.RosterId, "the roster whose other days the booking can move to");

        var moved = await world.HealthWorker.PostAsJsonAsync($"/api/spoke/bookings/{bookingId}/reschedule", new { slot = free[3], reason = "Doctor called to an emergency" });
        await moved.ShouldHave(HttpStatusCode.OK);
        var movedView = await moved.Content.ReadFromJsonAsync<JsonElement>();
        (movedView.GetProperty("slot").GetInt32(), movedView.GetProperty("rosterId").GetGuid()).ShouldBe((free[3], world.RosterId));
        (await FreeSlots(world, tomorrow)).ShouldContain(free[0]);
        var rescheduled = (await Events(firstSession)).OfType<BookingRescheduled>().ShouldHaveSingleItem();
        (rescheduled.By, rescheduled.Reason).ShouldBe((world.HealthWorkerId, "Doctor called to an emergency"));
        var movedWithin = (await Told(mobile, "BookingMoved")).ShouldHaveSingleItem();
        movedWithin.Variables["time"].ShouldNotBe(movedWithin.Variables["from"]);

        var dayAfter = Today.AddDays(2);
        var later = (await FreeSlots(world, dayAfter))[1];
        var movedOn = await world.HealthWorker.PostAsJsonAsync($"/api/spoke/bookings/{bookingId}/reschedule",
            new { rosterId = world.RosterId, date = dayAfter, slot = later, reason = "Patient travels that day" });
        await movedOn.ShouldHave(HttpStatusCode.Created);
        var replacement = await movedOn.Content.ReadFromJsonAsync<JsonElement>();
        var replacementId = replacement.GetProperty("id").GetGuid();
        var secondSession = replacement.GetProperty("sessionId").GetGuid();
        secondSession.ShouldNotBe(firstSession);
        (replacement.GetProperty("slot").GetInt32(), replacement.GetProperty("state").GetString()).ShouldBe((later, "booked"));
        replacement.GetProperty("rosterId").GetGuid().ShouldBe(world.RosterId);
        (await world.HealthWorker.GetFromJsonAsync<JsonElement[]>("/api/spoke/bookings"))!.Select(b => (b.GetProperty("sessionId").GetGuid(), b.GetProperty("rosterId").GetGuid()))
            .ShouldBe([(firstSession, world.RosterId), (secondSession, world.RosterId)], ignoreOrder: true);
        var gaveUp = (await Events(firstSession)).OfType<BookingCancelled>().ShouldHaveSingleItem();
        (gaveUp.MovedTo, gaveUp.By, gaveUp.Reason).ShouldBe((replacementId, world.HealthWorkerId, "Patient travels that day"));
        (await Events(secondSession)).OfType<SlotBooked>().Single(b => b.BookingId == replacementId).MovedFrom.ShouldBe(bookingId);
        (await Told(mobile, "BookingMoved")).Count.ShouldBe(2);
        (await Told(mobile, "BookingCancelled")).ShouldBeEmpty("a moved booking is told as moved, not cancelled");
        (await FreeSlots(world, tomorrow)).ShouldContain(free[3]);

        await (await world.HealthWorker.PostAsJsonAsync($"/api/spoke/bookings/{bookingId}/cancel", new { reason = "Moved already" }))
            .ShouldBeProblem(HttpStatusCode.Conflict);
        var cancelled = await world.HealthWorker.PostAsJsonAsync($"/api/spoke/bookings/{replacementId}/cancel", new { reason = "Patient recovered" });
        await cancelled.ShouldHave(HttpStatusCode.OK);
        (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString().ShouldBe("cancelled");
        (await Events(secondSession)).OfType<BookingCancelled>().Single(c => c.BookingId == replacementId).Reason.ShouldBe("Patient recovered");
        (await Told(mobile, "BookingCancelled")).ShouldHaveSingleItem();
        (await FreeSlots(world, dayAfter)).ShouldContain(later);
    }

    [Fact]
    public async Task A_move_to_a_taken_slot_of_another_day_changes_nothing()
    {
        var world = await SpokeWorld.Create(Host);
        var patientId = await world.Register(Host);
        var otherPatient = await world.Register(Host, "Sita Verma");
        var tomorrow = Today.AddDays(1);
        var dayAfter = Today.AddDays(2);
        var booking = await BookFor(world.HealthWorker, world, patientId, tomorrow, (await FreeSlots(world, tomorrow))[0]);
        var taken = (await FreeSlots(world, dayAfter))[0];
        await BookFor(world.HealthWorker, world, otherPatient, dayAfter, taken);

        var refused = await world.HealthWorker.PostAsJsonAsync($"/api/spoke/bookings/{booking.GetProperty("id").GetGuid()}/reschedule",
            new { rosterId = world.RosterId, date = dayAfter, slot = taken, reason = "Doctor on leave" });

        (await refused.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("SlotTaken");
        (await Events(booking.GetProperty("sessionId").GetGuid())).OfType<BookingCancelled>().ShouldBeEmpty("the old booking is given up only with the new one booked");
        (await world.HealthWorker.GetFromJsonAsync<JsonElement[]>("/api/spoke/bookings"))!.Select(b => b.GetProperty("state").GetString()).ShouldBe(["booked", "booked"]);
    }

    [Fact]
    public async Task Changes_without_a_reason_or_slot_are_refused_naming_the_field()
    {
        var world = await SpokeWorld.Create(Host);
        var patientId = await world.Register(Host);
        var tomorrow = Today.AddDays(1);
        var bookingId = (await BookFor(world.HealthWorker, world, patientId, tomorrow, (await FreeSlots(world, tomorrow))[0])).GetProperty("id").GetGuid();

        var errors = (await (await world.HealthWorker.PostAsJsonAsync($"/api/spoke/bookings/{bookingId}/reschedule", new { reason = " " }))
            .ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.TryGetProperty("slot", out _).ShouldBeTrue();
        errors.TryGetProperty("reason", out _).ShouldBeTrue();
        (await (await world.HealthWorker.PostAsJsonAsync($"/api/spoke/bookings/{bookingId}/cancel", new { }))
            .ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();
        (await (await world.HealthWorker.PostAsJsonAsync($"/api/spoke/bookings/{bookingId}/cancel", new { reason = new string('a', 201) }))
            .ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();
        await (await world.HealthWorker.PostAsJsonAsync($"/api/spoke/bookings/{Guid.NewGuid()}/cancel", new { reason = "Doctor on leave" }))
            .ShouldBeProblem(HttpStatusCode.NotFound);
        (await (await world.HealthWorker.PostAsJsonAsync($"/api/spoke/bookings/{bookingId}/reschedule", new { slot = 10_000, reason = "Doctor on leave" }))
            .ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("SlotNotFound");
    }

    /// <summary>
    /// A colleague at the same spoke who brought the same family in, a health worker of another spoke and the patient
    /// themselves: none changes the health worker's booking, and the health worker changes none of theirs.
    /// </summary>
    [Fact]
    public async Task A_health_worker_changes_only_the_bookings_they_made_and_a_refused_attempt_is_audited()
    {
        var world = await SpokeWorld.Create(Host);
        var admin = await SpokeWorld.Admin(Host);
        var registered = await Host.RegisterPatient(Api.NewMobile());
        var patient = registered.Patient;
        var (colleagueId, colleagueToken) = await SpokeWorld.HealthWorkerAt(Host, admin, world.SpokeId, "Sunita Devi", "communityHealthOfficer");
        var colleague = Host.As(colleagueToken);
        foreach (var worker in new[] { world.HealthWorker, colleague })
        {
            await (await worker.PostAsJsonAsync("/api/spoke/patients/find", new { mobile = patient.Mobile, code = await Host.SendCodeAndRead(patient.Mobile) }))
                .ShouldHave(HttpStatusCode.OK);
        }
        var otherSpoke = await SpokeWorld.Facility(admin, "HWC Elsewhere");
        await SpokeWorld.Link(admin, Sessions.Facility, otherSpoke);
        var (strangerId, strangerToken) = await SpokeWorld.HealthWorkerAt(Host, admin, otherSpoke, "Pooja Singh");
        var tomorrow = Today.AddDays(1);
        var dayAfter = Today.AddDays(2);
        var free = await FreeSlots(world, tomorrow);
        var theirs = await BookFor(world.HealthWorker, world, patient.Id, tomorrow, free[0]);
        var theirsId = theirs.GetProperty("id").GetGuid();
        var byColleague = await BookFor(colleague, world, patient.Id, dayAfter, (await FreeSlots(world, dayAfter))[0]);
        var byColleagueId = byColleague.GetProperty("id").GetGuid();

        foreach (var (callerId, caller) in new[] { (colleagueId, colleague), (strangerId, Host.As(strangerToken)) })
        {
            await (await caller.PostAsJsonAsync($"/api/spoke/bookings/{theirsId}/reschedule", new { slot = free[2], reason = "Doctor on leave" }))
                .ShouldBeProblem(HttpStatusCode.NotFound);
            await (await caller.PostAsJsonAsync($"/api/spoke/bookings/{theirsId}/cancel", new { reason = "Doctor on leave" }))
                .ShouldBeProblem(HttpStatusCode.NotFound);
            var refused = (await Events(callerId)).OfType<AccessRefused>().Where(r => r.Resource == $"opd-session/{theirs.GetProperty("sessionId").GetGuid()}/booking/{theirsId}")
                .Select(r => r.Action).ToList();
            refused.ShouldBe(["reschedule booking for patient", "cancel booking for patient"]);
        }
        await (await world.HealthWorker.PostAsJsonAsync($"/api/spoke/bookings/{byColleagueId}/cancel", new { reason = "Doctor on leave" }))
            .ShouldBeProblem(HttpStatusCode.NotFound);
        (await Events(world.HealthWorkerId)).OfType<AccessRefused>().ShouldContain(r => r.Action == "cancel booking for patient" && r.Resource.EndsWith(byColleagueId.ToString(), StringComparison.Ordinal));
        (await (await Host.As(registered.Tokens.AccessToken).PostAsJsonAsync($"/api/spoke/bookings/{theirsId}/cancel", new { reason = "Doctor on leave" })).Problem())
            .GetProperty("status").GetInt32().ShouldBe(403);
        (await world.HealthWorker.GetFromJsonAsync<JsonElement[]>("/api/spoke/bookings"))!.Select(b => b.GetProperty("id").GetGuid()).ShouldBe([theirsId]);

        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await query.LoadManyAsync<BookingRecord>(theirsId, byColleagueId)).ShouldAllBe(b => b.State == BookingState.Booked);
    }
}
