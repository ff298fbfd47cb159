using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Patient;

/// <summary>Booking ahead in the patient's page against the real server: the free times of an OPD, My bookings, a move and a cancellation.</summary>
[Collection(OneAtATime.Name)]
public class BookingPageTests(ResendCodesAtOnce fixture) : IClassFixture<ResendCodesAtOnce>
{
    [Fact]
    public async Task A_patient_books_a_time_moves_it_and_cancels_it()
    {
        var doctor = await fixture.SignIn("asha.verma@telemed.local");
        var startsAt = DateTimeOffset.UtcNow.AddDays(1);
        var opened = await fixture.Send(HttpMethod.Post, "/api/sessions", doctor, new
        {
            facilityId = Guid.Parse("0193a000-0000-7000-8000-000000000001"),
            startsAt,
            endsAt = startsAt.AddHours(1),
            capacity = 20,
            slotMinutes = 15,
            specialty = "General Medicine",
        });
        var sessionId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        async Task<bool[]> Free() =>
            [.. (await (await fixture.Send(HttpMethod.Get, $"/api/sessions/{sessionId}/slots", doctor)).Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("free").GetBoolean())];
        var patient = await fixture.NewPage();
        await Pages.SignInPatient(patient, fixture, "9876543210");

        await patient.ClickAsync($"#sessions li:has(button[data-session='{sessionId}']) button[data-action='book']");
        await Assertions.Expect(patient.Locator("#booking-heading")).ToBeFocusedAsync();
        await Assertions.Expect(patient.Locator("#booking-slots button")).ToHaveCountAsync(4);
        await patient.ClickAsync("#booking-slots button[data-slot='0']");

        await Assertions.Expect(patient.Locator("#bookings-status")).ToContainTextAsync("Booked for");
        var booking = patient.Locator("#bookings-list li[data-state='booked']");
        await Assertions.Expect(booking).ToHaveCountAsync(1);
        (await Free()).ShouldBe([false, true, true, true]);

        await booking.Locator("button[data-action='move']").ClickAsync();
        await Assertions.Expect(patient.Locator("#booking-slots button")).ToHaveCountAsync(3);
        await patient.ClickAsync("#booking-slots button[data-slot='2']");
        await Assertions.Expect(patient.Locator("#bookings-status")).ToContainTextAsync("Your booking is moved to");
        (await Free()).ShouldBe([true, true, false, true]);

        await patient.Locator("#bookings-list li[data-state='booked'] button[data-action='cancel']").ClickAsync();
        await Assertions.Expect(patient.Locator("#bookings-status")).ToContainTextAsync("is cancelled");
        await Assertions.Expect(patient.Locator("#bookings-list li[data-state='cancelled']").First).ToBeVisibleAsync();
        (await Free()).ShouldAllBe(free => free);
    }
}
