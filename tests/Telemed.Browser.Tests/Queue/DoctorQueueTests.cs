using Microsoft.Playwright;

using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Queue;

/// <summary>The doctor's live queue list: rows arrive and change as the queue does, and their buttons act on that token.</summary>
[Collection(OneAtATime.Name)]
public class DoctorQueueTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_doctor_calls_skips_and_recalls_a_patient_from_the_row_and_the_patient_sees_each_step()
    {
        var (doctor, patient, _) = await Pages.PatientWaiting(fixture, "9876543210");
        var row = doctor.Locator("#queue li[data-token='1']");

        await row.Locator("button[data-action='call']").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "called");
        await Assertions.Expect(patient.Locator("#token-state")).ToContainTextAsync("You are next");

        await row.Locator("button[data-action='skip']").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "skipped");
        await Assertions.Expect(patient.Locator("#token-state")).ToContainTextAsync("Skipped");

        await row.Locator("button[data-action='recall']").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "recalled");
        await Assertions.Expect(row).ToContainTextAsync("place 1");
    }
}
