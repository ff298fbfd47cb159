using Microsoft.Playwright;

using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Calls;

/// <summary>A real WebRTC call between two Chromium contexts, set up the way people do it: sign in, queue, call, join.</summary>
public class VideoCallTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string PatientMobile = "9876543210";

    [Fact]
    public async Task A_doctor_and_a_patient_have_a_video_call_that_survives_a_reload_carries_chat_and_drops_to_audio_only()
    {
        var (doctor, patient, _) = await Pages.PatientWaiting(fixture, PatientMobile);
        await Assertions.Expect(patient.Locator("#position")).ToHaveTextAsync("1");

        await doctor.ClickAsync("#call-next");
        await Assertions.Expect(patient.Locator("#token-state")).ToContainTextAsync("You are next");
        await Assertions.Expect(doctor.Locator("#queue li[data-token='1']")).ToHaveAttributeAsync("data-state", "called");
        await doctor.ClickAsync("#start");

        try
        {
            await ConnectedWithVideo(doctor);
            await ConnectedWithVideo(patient);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException(await fixture.Diagnose(doctor, patient), timeout);
        }

        await patient.ReloadAsync();
        await ConnectedWithVideo(patient);
        await ConnectedWithVideo(doctor);

        await patient.FillAsync("#chat-text", "The fever started on Sunday");
        await patient.ClickAsync("#chat-send");
        await Assertions.Expect(doctor.Locator("#chat-log")).ToContainTextAsync("Them: The fever started on Sunday");
        await doctor.FillAsync("#chat-text", "Any cough?");
        await doctor.ClickAsync("#chat-send");
        await Assertions.Expect(patient.Locator("#chat-log")).ToContainTextAsync("Them: Any cough?");

        await patient.ClickAsync("#audio-only");
        foreach (var page in new[] { doctor, patient })
        {
            await page.WaitForFunctionAsync("() => window.telemed.call.mode === 'audioOnly' && window.telemed.call.local.getVideoTracks().every(t => t.readyState === 'ended')",
                null, new PageWaitForFunctionOptions { Timeout = 10_000 });
            (await page.EvaluateAsync<bool>("() => window.telemed.call.local.getAudioTracks().every(t => t.readyState === 'live')")).ShouldBeTrue();
            await Rising(page, "audioPacketsReceived");
        }
    }

    /// <summary>connectionState 'connected', remote video with a size, and frames being decoded, within 10 s.</summary>
    internal static async Task ConnectedWithVideo(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.telemed.call && window.telemed.call.pc && window.telemed.call.pc.connectionState === 'connected'",
            null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        await page.WaitForFunctionAsync("() => document.getElementById('remote').videoWidth > 0", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        await Rising(page, "framesDecoded");
    }

    private static async Task Rising(IPage page, string counter)
    {
        var before = await page.EvaluateAsync<double>($"() => window.telemed.call.{counter}()");
        await page.WaitForFunctionAsync($"async () => (await window.telemed.call.{counter}()) > {before}", null,
            new PageWaitForFunctionOptions { Timeout = 10_000, PollingInterval = 250 });
    }
}
