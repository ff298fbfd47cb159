using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Shouldly;
using Telemed.Browser.Tests.Support;
using Telemed.Domain;

namespace Telemed.Browser.Tests.Spokes;

/// <summary>
/// What happens to a health worker's bookings on their day: a patient who booked ahead is checked in from the list when
/// they come and reaches the hub doctor's queue, and a booking of today is moved to tomorrow. The rosters cover the whole
/// day, India time, so today's slots are bookable whenever the test runs. The hub–spoke link, the staff, the patients and
/// the bookings of today (which the booking form would check in at once) are set up through the API.
/// </summary>
[Collection(OneAtATime.Name)]
public class SpokeBookingsOnTheDayTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly Guid Hub = Guid.Parse("0193a000-0000-7000-8000-000000000001");
    private const string Password = "a-long-enough-password";

    private static DateOnly Today => IndianTime.Day(DateTimeOffset.UtcNow);

    private static string Input(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<JsonElement> Json(HttpMethod method, string path, string? token, object? body = null) =>
        await (await fixture.Send(method, path, token, body)).Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>A spoke linked to the hub, with a health worker: their access token.</summary>
    private async Task<string> HealthWorkerAt(string spokeName, string hfrId, string name, string email)
    {
        var admin = await fixture.SignIn("admin@telemed.local");
        var spoke = (await Json(HttpMethod.Post, "/api/admin/facilities", admin, new
        {
            hfrId, name = spokeName, district = "Lucknow", state = "Uttar Pradesh", proceedUnverified = true, unverifiedReason = "test",
        })).GetProperty("id").GetGuid();
        await fixture.Send(HttpMethod.Post, "/api/admin/hub-spokes", admin, new { hubId = Hub, spokeId = spoke });
        await fixture.Send(HttpMethod.Post, "/api/admin/health-workers", admin, new { name, email, password = Password, cadre = "anm", facilityId = spoke });
        return (await Json(HttpMethod.Post, "/api/auth/sign-in", null, new { email, password = Password })).GetProperty("accessToken").GetString()!;
    }

    /// <summary>The doctor's roster at the hub, every day of the week: its id.</summary>
    private async Task<Guid> Roster(string doctorEmail, string specialty, string to, int slotMinutes)
    {
        var doctor = await fixture.SignIn(doctorEmail);
        return (await Json(HttpMethod.Post, "/api/rosters", doctor, new
        {
            hubId = Hub, specialty, days = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" },
            from = "00:00", to, capacity = 40, slotMinutes,
        })).GetProperty("id").GetGuid();
    }

    /// <summary>A new family's patient registered by the health worker, with the code sent to its number read out: their id.</summary>
    private async Task<Guid> Register(string worker, string name, int yearOfBirth, string sex, string mobile)
    {
        var asked = DateTimeOffset.UtcNow;
        await fixture.Send(HttpMethod.Post, "/api/auth/otp", null, new { mobile });
        var code = await fixture.LatestCode($"+91{mobile}", asked);
        return (await Json(HttpMethod.Post, "/api/spoke/patients", worker, new { name, yearOfBirth, sex, mobile, code })).GetProperty("id").GetGuid();
    }

    private async Task<int[]> FreeSlots(string worker, Guid rosterId, DateOnly day) =>
        [.. (await Json(HttpMethod.Get, $"/api/spoke/rosters/{rosterId}/slots?date={Input(day)}", worker))
            .GetProperty("slots").EnumerateArray().Where(s => s.GetProperty("free").GetBoolean()).Select(s => s.GetProperty("slot").GetInt32())];

    private async Task<JsonElement> Book(string worker, Guid rosterId, Guid patientId, DateOnly day, int slot) =>
        await Json(HttpMethod.Post, $"/api/spoke/rosters/{rosterId}/bookings", worker, new { patientId, date = Input(day), slot });

    private async Task<JsonElement> Booking(string worker, string id) =>
        (await Json(HttpMethod.Get, "/api/spoke/bookings", worker)).EnumerateArray().Single(b => b.GetProperty("id").GetString() == id);

    [Fact]
    public async Task A_patient_who_booked_ahead_is_checked_in_from_the_list_when_they_come_and_reaches_the_hub_doctor_s_queue()
    {
        var worker = await HealthWorkerAt("HWC Barabanki", "IN0910000888", "Meera Devi", "meera.devi@hwc.example.in");
        var rosterId = await Roster("asha.verma@telemed.local", "General Medicine", "23:55", 5);
        var adult = await Register(worker, "Ramesh Yadav", 1970, "male", "9123456782");
        var child = (await Json(HttpMethod.Post, "/api/spoke/patients", worker, new
        {
            name = "Guddu Yadav", yearOfBirth = Today.Year - 8, sex = "male", guardianId = adult, relation = "parent",
        })).GetProperty("id").GetGuid();
        // Not the first free slot: it may begin before a slow run books it.
        var free = await FreeSlots(worker, rosterId, Today);
        var adultToday = (await Book(worker, rosterId, adult, Today, free[1])).GetProperty("id").GetString()!;
        var childToday = (await Book(worker, rosterId, child, Today, free[2])).GetProperty("id").GetString()!;
        var adultTomorrow = (await Book(worker, rosterId, adult, Today.AddDays(1), 30)).GetProperty("id").GetString()!;

        var page = await fixture.NewPage();
        await Pages.SignInStaff(page, "meera.devi@hwc.example.in", password: Password);
        var today = page.Locator($"#hw-bookings li[data-booking='{adultToday}']");
        await Assertions.Expect(today).ToHaveAttributeAsync("data-state", "booked");
        var tomorrow = page.Locator($"#hw-bookings li[data-booking='{adultTomorrow}']");
        await Assertions.Expect(tomorrow.Locator("button[data-action='move']")).ToBeVisibleAsync();
        await Assertions.Expect(tomorrow.Locator("button[data-action='check-in']")).ToHaveCountAsync(0);

        await today.Locator("button[data-action='check-in']").ClickAsync();
        await Assertions.Expect(page.Locator("#hw-check-in-heading")).ToContainTextAsync("Check in Ramesh Yadav, booked for");
        await Assertions.Expect(page.Locator("#hw-check-in-heading")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#hw-check-in #hw-complaint")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#hw-book")).ToBeHiddenAsync();
        await Axe.ShouldHaveNoSeriousViolations(page, "the health worker's check-in of a booked patient");
        await page.FillAsync("#hw-complaint", "Fever and body ache for three days");
        await page.FillAsync("#hw-v-temperature", "38.4");
        await page.FillAsync("#hw-v-spo2", "97");
        await page.ClickAsync("#hw-check-in-submit");
        await Assertions.Expect(page.Locator("#hw-bookings-status")).ToHaveTextAsync("Ramesh Yadav is checked in: the hub doctor sees them in the queue.");
        await Assertions.Expect(page.Locator("#hw-check-in")).ToBeHiddenAsync();
        await Assertions.Expect(today).ToHaveAttributeAsync("data-state", "checkedIn");
        await Assertions.Expect(today.Locator("button")).ToHaveCountAsync(0);
        var request = page.Locator("#hw-requests li[data-state='waiting']");
        await Assertions.Expect(request).ToContainTextAsync("Ramesh Yadav with Dr. Asha Verma: token 1");
        (await Booking(worker, adultToday)).GetProperty("state").GetString().ShouldBe("checkedIn");
        (await Booking(worker, adultTomorrow)).GetProperty("state").GetString().ShouldBe("booked");

        // The server refuses a child without the adult who came along: its reason stays in the form, to put right there.
        var childItem = page.Locator($"#hw-bookings li[data-booking='{childToday}']");
        await childItem.Locator("button[data-action='check-in']").ClickAsync();
        await Assertions.Expect(page.Locator("#hw-complaint")).ToHaveValueAsync("");
        await page.FillAsync("#hw-complaint", "Cough for a week");
        await page.ClickAsync("#hw-check-in-submit");
        await Assertions.Expect(page.Locator("#hw-check-in-status")).ToContainTextAsync("consults only with an adult who comes with them");
        await Assertions.Expect(page.Locator("#hw-check-in")).ToBeVisibleAsync();
        (await Booking(worker, childToday)).GetProperty("state").GetString().ShouldBe("booked");
        await page.FillAsync("#hw-companion-name", "Sunita Yadav");
        await page.SelectOptionAsync("#hw-companion-relation", "parent");
        await page.ClickAsync("#hw-check-in-submit");
        await Assertions.Expect(childItem).ToHaveAttributeAsync("data-state", "checkedIn");
        await Assertions.Expect(page.Locator("#hw-requests li[data-state='waiting']")).ToHaveCountAsync(2);
        var sessionId = Guid.Parse((await request.First.GetAttributeAsync("data-session"))!);

        var doctor = await fixture.NewPage();
        await Pages.OpenQueue(doctor, "asha.verma@telemed.local", sessionId);
        var first = doctor.Locator("#queue li[data-token='1']");
        await Assertions.Expect(first).ToContainTextAsync("brought in by Meera Devi, ANM at HWC Barabanki");
        await Assertions.Expect(first).ToContainTextAsync("Fever and body ache for three days");
        await Assertions.Expect(doctor.Locator("#queue li[data-token='2']")).ToContainTextAsync("Cough for a week");
    }

    [Fact]
    public async Task A_booking_of_today_moved_to_tomorrow_shows_tomorrow_s_time_and_frees_today_s_slot()
    {
        var worker = await HealthWorkerAt("HWC Unnao", "IN0910000999", "Rekha Singh", "rekha.singh@hwc.example.in");
        // Half-hour slots: the whole of tomorrow's 47 fit the form's list.
        var rosterId = await Roster("rahul.nair@telemed.local", "Paediatrics", "23:30", 30);
        var patient = await Register(worker, "Shanti Devi", 1975, "female", "9123456783");
        var slot = (await FreeSlots(worker, rosterId, Today))[1];
        var bookingId = (await Book(worker, rosterId, patient, Today, slot)).GetProperty("id").GetString()!;
        var tomorrow = Today.AddDays(1);

        var page = await fixture.NewPage();
        await Pages.SignInStaff(page, "rekha.singh@hwc.example.in", password: Password);
        await page.Locator($"#hw-bookings li[data-booking='{bookingId}'] button[data-action='move']").ClickAsync();
        await Assertions.Expect(page.Locator("#hw-move-day")).ToHaveValueAsync(Input(Today));
        await Assertions.Expect(page.Locator($"#hw-move-slot option[value='{slot}']")).ToHaveCountAsync(0);
        await page.FillAsync("#hw-move-day", Input(tomorrow));
        await Assertions.Expect(page.Locator("#hw-move-slot option")).ToHaveCountAsync(47);
        // Slot 22 begins at 11:00 India time: the same date wherever the browser is.
        await page.SelectOptionAsync("#hw-move-slot", "22");
        await page.FillAsync("#hw-move-reason", "The doctor sees children in the morning tomorrow");
        await page.ClickAsync("#hw-move-submit");
        await Assertions.Expect(page.Locator("#hw-bookings-status")).ToContainTextAsync("The booking of Shanti Devi is moved to");
        await Assertions.Expect(page.Locator("#hw-move")).ToBeHiddenAsync();

        var bookings = (await Json(HttpMethod.Get, "/api/spoke/bookings", worker)).EnumerateArray().ToList();
        bookings.Single(b => b.GetProperty("id").GetString() == bookingId).GetProperty("state").GetString().ShouldBe("cancelled");
        var moved = bookings.Single(b => b.GetProperty("state").GetString() == "booked");
        moved.GetProperty("slot").GetInt32().ShouldBe(22);
        var startsAt = moved.GetProperty("startsAt").GetDateTimeOffset();
        IndianTime.Day(startsAt).ShouldBe(tomorrow);
        var shown = await page.EvaluateAsync<string>(
            "at => `${new Intl.DateTimeFormat('en-IN', { dateStyle: 'medium' }).format(new Date(at))} ${new Intl.DateTimeFormat('en-IN', { timeStyle: 'short' }).format(new Date(at))}`",
            startsAt.ToString("O", CultureInfo.InvariantCulture));
        var listed = page.Locator($"#hw-bookings li[data-booking='{moved.GetProperty("id").GetString()}']");
        await Assertions.Expect(listed).ToHaveAttributeAsync("data-state", "booked");
        await Assertions.Expect(listed).ToContainTextAsync($"Shanti Devi — Paediatrics, {shown}");
        await Assertions.Expect(page.Locator("#hw-bookings-status")).ToContainTextAsync(shown);
        (await FreeSlots(worker, rosterId, Today)).ShouldContain(slot);
    }
}
