using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Calls;

/// <summary>A family member or an interpreter the patient lets into the call with a one-time link, from a browser of their own.</summary>
[Collection(OneAtATime.Name)]
public class GuestCallTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_patient_sends_an_interpreter_a_link_who_joins_the_call_once_and_leaves()
    {
        var (doctor, patient, _) = await Pages.PatientWaiting(fixture, "9812345678");
        await VideoCallTests.Connect(fixture, doctor, patient);
        await Assertions.Expect(doctor.Locator("#call-guests")).ToBeHiddenAsync();

        await patient.FillAsync("#guest-name", "Sunita Devi");
        await patient.SelectOptionAsync("#guest-relation", "interpreter");
        await patient.ClickAsync("#guest-create");
        await Assertions.Expect(patient.Locator("#guest-ready")).ToContainTextAsync("Send this link to Sunita Devi.");
        var link = await patient.InputValueAsync("#guest-link");
        link.ShouldContain("/#guest=");
        await Axe.ShouldHaveNoSeriousViolations(patient, "the call with a guest link made");

        var guest = await fixture.NewPage();
        await guest.GotoAsync(link);
        await Assertions.Expect(guest.Locator("#call")).ToBeVisibleAsync();
        new Uri(guest.Url).Fragment.ShouldBeEmpty("the link's secret leaves the address bar");
        await Assertions.Expect(guest.Locator("#signin")).ToBeHiddenAsync();
        await Assertions.Expect(guest.Locator("#call-files")).ToBeHiddenAsync();
        await Assertions.Expect(guest.Locator("#call-guests")).ToBeHiddenAsync();
        // The guest sees the doctor large and the patient in a tile; the doctor and the patient see the guest in a tile.
        await guest.WaitForFunctionAsync("() => document.getElementById('remote').videoWidth > 0", null, new() { Timeout = 15_000 });
        await Assertions.Expect(guest.Locator("#call-tiles video")).ToHaveAttributeAsync("aria-label", "The patient", new() { Timeout = 15_000 });
        foreach (var page in new[] { doctor, patient })
        {
            var tile = page.Locator("#call-tiles video");
            await Assertions.Expect(tile).ToHaveAttributeAsync("aria-label", "The guest", new() { Timeout = 15_000 });
            await page.WaitForFunctionAsync("() => document.querySelector('#call-tiles video').videoWidth > 0", null, new() { Timeout = 15_000 });
        }
        await guest.FillAsync("#chat-text", "Namaste doctor, I will translate.");
        await guest.ClickAsync("#chat-send");
        await Assertions.Expect(doctor.Locator("#chat-log")).ToContainTextAsync("Guest: Namaste doctor, I will translate.");
        await Axe.ShouldHaveNoSeriousViolations(guest, "the guest's call screen");

        // The link admitted its guest: opened again, it lets no one in and says why.
        var again = await fixture.NewPage();
        await again.GotoAsync(link);
        await Assertions.Expect(again.Locator("#error")).ToHaveTextAsync("This guest link has been used already; ask the patient for a new one.");

        await guest.ClickAsync("#hangup");
        foreach (var page in new[] { doctor, patient })
        {
            await Assertions.Expect(page.Locator("#call-tiles video")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
            (await page.EvaluateAsync<string>("() => window.telemed.call.pc.connectionState")).ShouldBe("connected", "the guest leaving does not end the call");
        }
    }
}
