using Microsoft.Playwright;

using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Calls;

/// <summary>
/// An invited colleague in the call: a mesh of three peer connections (doctor↔patient, doctor↔colleague,
/// colleague↔patient) between three Chromium contexts, each with its own fake camera and microphone.
/// </summary>
[Collection(OneAtATime.Name)]
public class StaffCallTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Rahul = "rahul.nair@telemed.local";
    private const string RahulId = "0193a000-0000-7000-8000-000000000012";

    [Fact]
    public async Task An_invited_doctor_sees_and_hears_both_and_is_seen_by_both_and_leaving_keeps_the_doctor_and_patient_connected()
    {
        var (colleague, doctor, patient) = await ColleagueJoinsACall("9812345678");
        // The doctor large, the patient in a tile; both pictures move.
        await colleague.WaitForFunctionAsync("() => document.getElementById('remote').videoWidth > 0", null, new() { Timeout = 10_000 });
        await Assertions.Expect(colleague.Locator("#call-tiles video")).ToHaveAttributeAsync("aria-label", "The patient");
        await colleague.WaitForFunctionAsync("() => document.querySelector('#call-tiles video').videoWidth > 0", null, new() { Timeout = 10_000 });
        foreach (var peer in await colleague.EvaluateAsync<string[]>("() => [...window.telemed.call.connections().keys()]"))
        {
            await VideoCallTests.Rising(colleague, "framesDecoded", peer);
            await VideoCallTests.Rising(colleague, "audioPacketsReceived", peer);
        }
        foreach (var page in new[] { doctor, patient })
        {
            await page.WaitForFunctionAsync($"() => window.telemed.call.connections().get('{RahulId}')?.connectionState === 'connected'", null, new() { Timeout = 10_000 });
            var tile = page.Locator($"#call-tiles video[data-peer='{RahulId}']");
            await Assertions.Expect(tile).ToHaveAttributeAsync("aria-label", "The invited colleague");
            await page.WaitForFunctionAsync($"() => document.querySelector(\"#call-tiles video[data-peer='{RahulId}']\").videoWidth > 0", null, new() { Timeout = 10_000 });
            await VideoCallTests.Rising(page, "framesDecoded", RahulId);
            await VideoCallTests.Rising(page, "audioPacketsReceived", RahulId);
        }
        await Axe.ShouldHaveNoSeriousViolations(colleague, "three-way call, the colleague's page (en)");
        await Axe.ShouldHaveNoSeriousViolations(doctor, "three-way call, the doctor's page (en)");
        // The tile's label follows a change of language (and back, for what follows).
        await doctor.SelectOptionAsync("#language", "hi");
        await Assertions.Expect(doctor.Locator($"#call-tiles video[data-peer='{RahulId}']")).ToHaveAttributeAsync("aria-label", "आमंत्रित सहकर्मी", new() { Timeout = 10_000 });
        await Axe.ShouldHaveNoSeriousViolations(doctor, "three-way call, the doctor's page (hi)");
        await doctor.SelectOptionAsync("#language", "en");

        // The colleague turns the microphone off: the others' tiles say so, and stop saying it when it is back on.
        await colleague.ClickAsync("#call-mute");
        foreach (var page in new[] { doctor, patient })
        {
            await Assertions.Expect(page.Locator($"#call-tiles figure[data-peer='{RahulId}'] figcaption")).ToHaveTextAsync("The invited colleague · microphone off");
        }
        await colleague.ClickAsync("#call-mute");
        await Assertions.Expect(doctor.Locator($"#call-tiles figure[data-peer='{RahulId}'] figcaption")).ToHaveTextAsync("The invited colleague");

        // Hanging up on the call screen (not the room panel's Leave, DoctorPagesTests) tells the room panel too.
        await colleague.ClickAsync("#hangup");

        await Assertions.Expect(colleague.Locator("#staff-room-status")).ToHaveTextAsync("You left the room.");
        await Assertions.Expect(colleague.Locator("#staff-chat-send")).ToBeDisabledAsync();
        (await colleague.EvaluateAsync<bool>("() => [...window.telemed.call.connections().values()].every(pc => pc.connectionState === 'closed')")).ShouldBeTrue();
        foreach (var page in new[] { doctor, patient })
        {
            await page.WaitForFunctionAsync($"() => !window.telemed.call.connections().has('{RahulId}')", null, new() { Timeout = 10_000 });
            await Assertions.Expect(page.Locator("#call-tiles video")).ToHaveCountAsync(0);
            (await page.EvaluateAsync<string>("() => window.telemed.call.pc.connectionState")).ShouldBe("connected", "the colleague leaving does not end the call");
            await VideoCallTests.Rising(page, "framesDecoded");
        }
    }

    [Fact]
    public async Task An_invited_doctor_who_reloads_mid_call_joins_again_and_both_links_come_back()
    {
        var (colleague, doctor, patient) = await ColleagueJoinsACall("9876543210");

        await colleague.ReloadAsync();
        await JoinFromInvitation(colleague, doctor, patient);

        foreach (var page in new[] { doctor, patient })
        {
            await page.WaitForFunctionAsync($"() => window.telemed.call.connections().get('{RahulId}')?.connectionState === 'connected'", null, new() { Timeout = 15_000 });
            await VideoCallTests.Rising(page, "framesDecoded", RahulId);
            await VideoCallTests.Rising(page, "audioPacketsReceived", RahulId);
            (await page.EvaluateAsync<string>("() => window.telemed.call.pc.connectionState")).ShouldBe("connected", "the colleague's reload does not disturb the doctor–patient link");
        }
        foreach (var peer in await colleague.EvaluateAsync<string[]>("() => [...window.telemed.call.connections().keys()]"))
        {
            await VideoCallTests.Rising(colleague, "framesDecoded", peer);
        }
    }

    /// <summary>A doctor–patient call with video both ways, and Dr. Rahul Nair invited into it and connected to both.</summary>
    private async Task<(IPage Colleague, IPage Doctor, IPage Patient)> ColleagueJoinsACall(string patientPhone)
    {
        var colleague = await fixture.NewPage();
        await Pages.SignInStaff(colleague, Rahul);
        var (doctor, patient, _) = await Pages.PatientWaiting(fixture, patientPhone);
        await VideoCallTests.Connect(fixture, doctor, patient);
        await doctor.SelectOptionAsync("#invite-staff", new SelectOptionValue { Label = "Dr. Rahul Nair — Paediatrics" });
        await doctor.ClickAsync("#invite-send");
        await JoinFromInvitation(colleague, doctor, patient);
        return (colleague, doctor, patient);
    }

    private async Task JoinFromInvitation(IPage colleague, IPage doctor, IPage patient)
    {
        // This class's calls are all token 1 with Dr. Asha Verma: the button is picked by its consultation.
        var consultationId = await doctor.EvaluateAsync<string>("() => window.telemed.call.consultationId");
        var join = colleague.Locator($"#invitations button[data-consultation='{consultationId}']");
        await Assertions.Expect(join).ToHaveTextAsync("Join token 1 with Dr. Asha Verma");
        await join.ClickAsync();
        try
        {
            await colleague.WaitForFunctionAsync(
                "() => { const links = window.telemed.call?.connections(); return links?.size === 2 && [...links.values()].every(pc => pc.connectionState === 'connected'); }",
                null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException(await fixture.Diagnose(colleague, doctor, patient), timeout);
        }
    }
}
