using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Shouldly;
using Telemed.Browser.Tests.Support;
using Telemed.Domain;

namespace Telemed.Browser.Tests.Spokes;

/// <summary>
/// A health worker's bookings at a spoke: booked for tomorrow (a day whose hours are all ahead, whenever the test runs),
/// moved to another slot and cancelled on the page, each checked against the server's list of their bookings.
/// The hub–spoke link, the staff and the doctor's roster are set up through the API.
/// </summary>
[Collection(OneAtATime.Name)]
public class SpokeBookingsTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly Guid Hub = Guid.Parse("0193a000-0000-7000-8000-000000000001");
    private const string Password = "a-long-enough-password";

    private async Task<Guid> Created(string path, string token, object body) =>
        (await (await fixture.Send(HttpMethod.Post, path, token, body)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

    private async Task<JsonElement> OnlyBooking(IPage worker)
    {
        var bookings = await (await fixture.Send(HttpMethod.Get, "/api/spoke/bookings", fixture.AccessToken(worker))).Content.ReadFromJsonAsync<JsonElement>();
        bookings.GetArrayLength().ShouldBe(1);
        return bookings[0];
    }

    [Fact]
    public async Task A_health_worker_books_a_patient_for_tomorrow_moves_the_booking_to_another_slot_and_cancels_it()
    {
        var admin = await fixture.SignIn("admin@telemed.local");
        var spoke = await Created("/api/admin/facilities", admin, new
        {
            hfrId = "IN0910000777", name = "HWC Sitapur", district = "Sitapur", state = "Uttar Pradesh", proceedUnverified = true, unverifiedReason = "test",
        });
        await fixture.Send(HttpMethod.Post, "/api/admin/hub-spokes", admin, new { hubId = Hub, spokeId = spoke });
        await fixture.Send(HttpMethod.Post, "/api/admin/health-workers", admin, new { name = "Sunita Devi", email = "sunita.devi@hwc.example.in", password = Password, cadre = "anm", facilityId = spoke });
        var doctor = await fixture.SignIn("asha.verma@telemed.local");
        await fixture.Send(HttpMethod.Post, "/api/rosters", doctor, new
        {
            hubId = Hub, specialty = "General Medicine", days = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" },
            from = "09:00", to = "13:00", capacity = 20, slotMinutes = 10,
        });
        var tomorrow = IndianTime.Day(DateTimeOffset.UtcNow).AddDays(1);
        var tomorrowInput = tomorrow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var worker = await fixture.NewPage();
        await Pages.SignInStaff(worker, "sunita.devi@hwc.example.in", password: Password);
        await Assertions.Expect(worker.Locator("#hw-spoke")).ToContainTextAsync("HWC Sitapur");
        await Assertions.Expect(worker.Locator("#hw-bookings")).ToHaveTextAsync("No bookings made here.");
        await worker.FillAsync("#hw-reg-name", "Kamla Devi");
        await worker.FillAsync("#hw-reg-year", "1959");
        await worker.SelectOptionAsync("#hw-reg-sex", "female");
        await worker.FillAsync("#hw-reg-mobile", "9123456781");
        var asked = DateTimeOffset.UtcNow;
        await worker.ClickAsync("#hw-reg-send-code");
        await Assertions.Expect(worker.Locator("#hw-reg-status")).Not.ToBeEmptyAsync();
        await worker.FillAsync("#hw-reg-code", await fixture.LatestCode("+919123456781", asked));
        await worker.ClickAsync("#hw-register-submit");
        await Assertions.Expect(worker.Locator("#hw-patient option:checked")).ToContainTextAsync("Kamla Devi");

        await worker.FillAsync("#hw-specialty", "general");
        await worker.ClickAsync("#hw-search-submit");
        await worker.ClickAsync("#hw-rosters button[data-roster]");
        await Assertions.Expect(worker.Locator("#hw-book-submit")).ToHaveTextAsync("Book and check in");
        await worker.FillAsync("#hw-day", tomorrowInput);
        await Assertions.Expect(worker.Locator("#hw-book-submit")).ToHaveTextAsync("Book");
        await Assertions.Expect(worker.Locator("#hw-check-in-fields")).ToBeHiddenAsync();
        // Tomorrow's 24 slots (09:00 to 13:00 India time, 10 minutes each) are all ahead and free.
        await Assertions.Expect(worker.Locator("#hw-slot option")).ToHaveCountAsync(24);
        await worker.SelectOptionAsync("#hw-slot", "2");
        await worker.ClickAsync("#hw-book-submit");
        var listed = worker.Locator("#hw-bookings li[data-state='booked']");
        await Assertions.Expect(listed).ToContainTextAsync("Kamla Devi — General Medicine");
        await Assertions.Expect(worker.Locator("#hw-bookings-status")).ToContainTextAsync("Kamla Devi is booked for");
        var booked = await OnlyBooking(worker);
        booked.GetProperty("slot").GetInt32().ShouldBe(2);
        booked.GetProperty("state").GetString().ShouldBe("booked");
        IndianTime.Day(booked.GetProperty("startsAt").GetDateTimeOffset()).ShouldBe(tomorrow);
        var bookingId = booked.GetProperty("id").GetString();
        await Assertions.Expect(listed).ToHaveAttributeAsync("data-booking", bookingId!);

        // A second booking in the same session is the server's to refuse; its problem detail reaches the page as it is.
        await worker.ClickAsync("#hw-rosters button[data-roster]");
        await worker.FillAsync("#hw-day", tomorrowInput);
        await Assertions.Expect(worker.Locator("#hw-slot option")).ToHaveCountAsync(23);
        await worker.SelectOptionAsync("#hw-slot", "5");
        await worker.ClickAsync("#hw-book-submit");
        await Assertions.Expect(worker.Locator("#error")).ToHaveTextAsync("You already have a place in this session: reschedule or cancel it instead.");
        (await OnlyBooking(worker)).GetProperty("slot").GetInt32().ShouldBe(2);

        await listed.Locator("button[data-action='move']").ClickAsync();
        await Assertions.Expect(worker.Locator("#hw-move-heading")).ToContainTextAsync("Move the booking of Kamla Devi at");
        await Assertions.Expect(worker.Locator("#hw-move-slot option")).ToHaveCountAsync(23);
        await Axe.ShouldHaveNoSeriousViolations(worker, "the health worker's bookings with a booking being moved");
        await worker.SelectOptionAsync("#hw-move-slot", "7");
        await worker.FillAsync("#hw-move-reason", "The doctor asked to see her later in the morning");
        await worker.ClickAsync("#hw-move-submit");
        await Assertions.Expect(worker.Locator("#hw-bookings-status")).ToContainTextAsync("The booking of Kamla Devi is moved to");
        await Assertions.Expect(worker.Locator("#hw-move")).ToBeHiddenAsync();
        var moved = await OnlyBooking(worker);
        moved.GetProperty("id").GetString().ShouldBe(bookingId);
        moved.GetProperty("slot").GetInt32().ShouldBe(7);
        moved.GetProperty("state").GetString().ShouldBe("booked");

        // Cancelling asks first: keeping the booking leaves it as it is.
        await listed.Locator("button[data-action='cancel']").ClickAsync();
        var dialog = worker.Locator("#hw-cancel");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(worker.Locator("#hw-cancel-text")).ToContainTextAsync("Kamla Devi");
        await Axe.ShouldHaveNoSeriousViolations(worker, "the health worker's cancel dialog");
        await worker.ClickAsync("#hw-cancel-no");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        (await OnlyBooking(worker)).GetProperty("state").GetString().ShouldBe("booked");

        await listed.Locator("button[data-action='cancel']").ClickAsync();
        await worker.FillAsync("#hw-cancel-reason", "The family is travelling tomorrow");
        await worker.ClickAsync("#hw-cancel-yes");
        await Assertions.Expect(worker.Locator("#hw-bookings li[data-state='cancelled']")).ToContainTextAsync("Kamla Devi — General Medicine");
        await Assertions.Expect(worker.Locator("#hw-bookings li[data-state='cancelled'] button")).ToHaveCountAsync(0);
        await Assertions.Expect(worker.Locator("#hw-bookings-status")).ToContainTextAsync("is cancelled");
        (await OnlyBooking(worker)).GetProperty("state").GetString().ShouldBe("cancelled");
    }
}
