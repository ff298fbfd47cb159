using Microsoft.Playwright;
using Telemed.Browser.Tests.Calls;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Day;

/// <summary>
/// A day at the clinic, every step through the pages as people would take it: the admin registers a doctor, who opens
/// an OPD; two patients check in from their own browsers; the doctor calls the first, they have a real video call, the
/// doctor writes the record and a prescription and signs it; the patient downloads the PDF; a pharmacist verifies it and
/// dispenses; and the second patient saw their place go from 2 to 1 as it happened.
/// </summary>
[Collection(OneAtATime.Name)]
public class WholeDayTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task From_registering_a_doctor_to_dispensing_the_prescription()
    {
        var admin = await fixture.NewPage();
        await Pages.SignInAdmin(admin);
        var (doctor, doctorPassword) = await Pages.RegisteredDoctorSignsIn(fixture, admin, new Pages.NewDoctor(
            "Dr. Kavita Menon", "kavita.menon@example.in", "71-4455-6677-8899", "MBBS, MD (General Medicine)", "TCMC-45120",
            "Travancore-Cochin Medical Council", "General Medicine", "Telemed District Hospital"));

        await doctor.ClickAsync("#session-new summary");
        await doctor.FillAsync("#ns-specialty", "General Medicine morning OPD");
        await doctor.ClickAsync("#ns-open");
        await Assertions.Expect(doctor.Locator("#ns-status")).ToHaveTextAsync("Session opened.");
        var sessionId = Guid.Parse((await doctor.Locator("#doctor-sessions li", new() { HasText = "General Medicine morning OPD" })
            .GetAttributeAsync("data-session-id"))!);
        await doctor.ClickAsync($"#doctor-sessions button[data-session='{sessionId}']");

        var first = await fixture.NewPage();
        var second = await fixture.NewPage();
        await Pages.CheckIn(first, fixture, "9876543210", sessionId);
        await Assertions.Expect(first.Locator("#position")).ToHaveTextAsync("1");
        await Pages.CheckIn(second, fixture, "7012345678", sessionId);
        await Assertions.Expect(second.Locator("#position")).ToHaveTextAsync("2");
        await Assertions.Expect(doctor.Locator("#queue li[data-state='waiting']")).ToHaveCountAsync(2);

        await doctor.ClickAsync("#call-next");
        await Assertions.Expect(first.Locator("#token-state")).ToContainTextAsync("You are next");
        await Assertions.Expect(second.Locator("#position")).ToHaveTextAsync("1");
        await doctor.ClickAsync("#start");
        try
        {
            await VideoCallTests.ConnectedWithVideo(doctor);
            await VideoCallTests.ConnectedWithVideo(first);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException(await fixture.Diagnose(doctor, first), timeout);
        }

        await Pages.WriteRecordWithParacetamol(doctor);
        await Pages.SignAndComplete(doctor, doctorPassword);
        await Assertions.Expect(doctor.Locator("#completed")).ToContainTextAsync("signed");
        var prescriptionId = System.Text.RegularExpressions.Regex.Match((await doctor.TextContentAsync("#completed"))!, "[0-9a-f-]{36}").Value;

        await first.ClickAsync("#records-open");
        var download = await first.RunAndWaitForDownloadAsync(() => first.Locator("#records li button", new() { HasText = "Prescription PDF" }).ClickAsync());
        (await File.ReadAllBytesAsync((await download.PathAsync())!)).Take(5).ShouldBe("%PDF-"u8.ToArray());

        var pharmacist = await fixture.NewPage();
        await Pages.SignInStaff(pharmacist, "meena.iyer@telemed.local");
        await pharmacist.FillAsync("#rx-id", prescriptionId);
        await pharmacist.ClickAsync("#rx-check");
        await Assertions.Expect(pharmacist.Locator("#rx-verdict")).ToHaveAttributeAsync("data-verdict", "valid");
        await Assertions.Expect(pharmacist.Locator("#rx-prescriber")).ToContainTextAsync("Dr. Kavita Menon");
        await pharmacist.FillAsync("#rx-lines tbody tr[data-line='0'] .qty", "6");
        await pharmacist.ClickAsync("#rx-dispense");
        await Assertions.Expect(pharmacist.Locator("#rx-result")).ToHaveTextAsync("Dispensing recorded.");
        await Assertions.Expect(pharmacist.Locator("#rx-verdict")).ToHaveAttributeAsync("data-verdict", "fullyDispensed");
    }
}
