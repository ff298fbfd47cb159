using Microsoft.Playwright;

using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Calls;

/// <summary>A real WebRTC call between two Chromium contexts, set up the way people do it: sign in, queue, call, join.</summary>
[Collection(OneAtATime.Name)]
public class VideoCallTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string PatientMobile = "9876543210";

    [Fact]
    public async Task A_doctor_and_a_patient_have_a_video_call_that_survives_a_reload_carries_chat_and_drops_to_audio_only()
    {
        var (doctor, patient, _) = await Pages.PatientWaiting(fixture, PatientMobile);
        await Assertions.Expect(patient.Locator("#position")).ToHaveTextAsync("1");

        await Connect(fixture, doctor, patient);
        (await RelayedCandidates()).ShouldBeGreaterThan(0);

        await patient.ReloadAsync();
        await ConnectedWithVideo(patient);
        await ConnectedWithVideo(doctor);

        await patient.FillAsync("#chat-text", "The fever started on Sunday");
        await patient.ClickAsync("#chat-send");
        await Assertions.Expect(doctor.Locator("#chat-log")).ToContainTextAsync("Patient: The fever started on Sunday");
        await doctor.FillAsync("#chat-text", "Any cough?");
        await doctor.ClickAsync("#chat-send");
        await Assertions.Expect(patient.Locator("#chat-log")).ToContainTextAsync("Doctor: Any cough?");

        await patient.ClickAsync("#audio-only");
        foreach (var page in new[] { doctor, patient })
        {
            await page.WaitForFunctionAsync("() => window.telemed.call.mode === 'audioOnly' && window.telemed.call.local.getVideoTracks().every(t => t.readyState === 'ended')",
                null, new PageWaitForFunctionOptions { Timeout = 10_000 });
            (await page.EvaluateAsync<bool>("() => window.telemed.call.local.getAudioTracks().every(t => t.readyState === 'live')")).ShouldBeTrue();
            await Rising(page, "audioPacketsReceived");
        }
    }

    [Fact]
    public async Task Muting_and_the_camera_show_on_the_other_side_the_chat_tells_typing_and_reading_and_the_network_is_rated()
    {
        var (doctor, patient) = await InCall("9812345678");

        await patient.ClickAsync("#call-mute");
        await Assertions.Expect(doctor.Locator("#call-notice")).ToHaveTextAsync("The patient muted their microphone.");
        await Assertions.Expect(patient.Locator("#call-mute")).ToHaveAttributeAsync("aria-pressed", "true");
        (await OutgoingTracksEnabled(patient, "audio")).ShouldBe([false]);
        (await OutgoingTracksEnabled(patient, "video")).ShouldBe([true]);

        await patient.ClickAsync("#call-camera");
        await Assertions.Expect(doctor.Locator("#call-notice")).ToHaveTextAsync("The patient turned their camera off.");
        (await OutgoingTracksEnabled(patient, "video")).ShouldBe([false]);

        await patient.ClickAsync("#call-mute");
        await Assertions.Expect(doctor.Locator("#call-notice")).ToHaveTextAsync("The patient turned their microphone back on.");
        (await OutgoingTracksEnabled(patient, "audio")).ShouldBe([true]);
        await doctor.ClickAsync("#call-mute");
        await Assertions.Expect(patient.Locator("#call-notice")).ToHaveTextAsync("The doctor muted their microphone.");

        await doctor.Locator("#chat-text").PressSequentiallyAsync("Any");
        await Assertions.Expect(patient.Locator("#chat-typing")).ToHaveTextAsync("The doctor is typing…");
        await doctor.Locator("#chat-text").PressSequentiallyAsync(" cough?");
        await doctor.Locator("#chat-text").PressAsync("Enter");
        await Assertions.Expect(patient.Locator("#chat-log")).ToContainTextAsync("Doctor: Any cough?");
        await Assertions.Expect(patient.Locator("#chat-typing")).ToHaveTextAsync("");
        // The patient's page is in front of them, so the message is read at once; the doctor sees it.
        var sent = doctor.Locator("#chat-log li").Last;
        await Assertions.Expect(sent).ToHaveAttributeAsync("data-status", "read");
        await Assertions.Expect(sent).ToContainTextAsync("read");

        foreach (var page in new[] { doctor, patient })
        {
            await Assertions.Expect(page.Locator("#call-quality")).ToHaveAttributeAsync("data-level", new System.Text.RegularExpressions.Regex("^(good|fair|poor)$"));
            await Assertions.Expect(page.Locator("#call-quality")).ToContainTextAsync("Network: ");
        }
    }

    [Fact]
    public async Task The_banner_shows_while_the_hub_connection_is_down_goes_when_it_is_back_and_the_call_carries_on()
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var doctor = await fixture.NewPage();
        var patient = await fixture.NewPage();
        // The patient's consultation hub connection passes through the test, which can cut it; then the patient's browser is offline
        // for a while (no route: a new socket, the one stateful reconnect opens first, fails as a network would fail it).
        var hubOpen = true;
        IWebSocketRoute? toPage = null, toServer = null;
        await patient.RouteWebSocketAsync(url => hubOpen && url.Contains("/hubs/consultation", StringComparison.Ordinal), socket =>
        {
            toPage = socket;
            toServer = socket.ConnectToServer();
        });
        await Pages.OpenQueue(doctor, "asha.verma@telemed.local", sessionId);
        await Pages.CheckIn(patient, fixture, "7012345678", sessionId);
        await Assertions.Expect(patient.Locator("#token")).ToHaveTextAsync("1");
        await Connect(fixture, doctor, patient);
        await Assertions.Expect(patient.Locator("#connection-banner")).ToBeHiddenAsync();

        hubOpen = false;
        await patient.Context.SetOfflineAsync(true);
        // Both ends see the connection die: the page's client starts reconnecting, the server drops it from the room.
        await toPage!.CloseAsync(new() { Code = 1011, Reason = "network down" });
        await toServer!.CloseAsync(new() { Code = 1011, Reason = "network down" });

        var banner = patient.Locator("#connection-banner");
        var message = patient.Locator("#connection-text");
        await Assertions.Expect(banner).ToBeVisibleAsync();
        await Assertions.Expect(message).ToHaveTextAsync("Connection to the clinic lost — reconnecting…");
        await Assertions.Expect(banner).ToHaveAttributeAsync("role", "status");
        await Assertions.Expect(patient.Locator("#connection-reload")).ToBeHiddenAsync();
        await Task.Delay(3000);
        await Assertions.Expect(message).ToHaveTextAsync("Connection to the clinic lost — reconnecting…");

        await patient.Context.SetOfflineAsync(false);
        hubOpen = true;
        await Assertions.Expect(message).ToHaveTextAsync("Connected again.", new() { Timeout = 20_000 });
        await Assertions.Expect(banner).ToBeHiddenAsync(new() { Timeout = 10_000 });

        // Back in the room on the new connection: the call and its chat carry on.
        await ConnectedWithVideo(patient);
        await ConnectedWithVideo(doctor);
        await patient.FillAsync("#chat-text", "Can you hear me again?");
        await patient.ClickAsync("#chat-send");
        await Assertions.Expect(doctor.Locator("#chat-log")).ToContainTextAsync("Patient: Can you hear me again?");
    }

    /// <summary>A fresh session with the patient checked in, called and in a connected video call with the doctor.</summary>
    private async Task<(IPage Doctor, IPage Patient)> InCall(string mobile)
    {
        var (doctor, patient, _) = await Pages.PatientWaiting(fixture, mobile);
        await Connect(fixture, doctor, patient);
        return (doctor, patient);
    }

    /// <summary>The doctor calls the waiting patient and starts the consultation; both have video within 10 s.</summary>
    internal static async Task Connect(BrowserFixture fixture, IPage doctor, IPage patient)
    {
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
    }

    /// <summary>Whether each track of that kind the peer connection sends is enabled (a disabled one sends silence or black).</summary>
    private static async Task<bool[]> OutgoingTracksEnabled(IPage page, string kind) =>
        await page.EvaluateAsync<bool[]>("kind => window.telemed.call.pc.getSenders().filter(s => s.track && s.track.kind === kind).map(s => s.track.enabled)", kind);

    /// <summary>Candidates the server has relayed, from its Prometheus scrape.</summary>
    private async Task<double> RelayedCandidates()
    {
        var scrape = await fixture.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return scrape.Split('\n')
            .Where(line => line.StartsWith("telemed_signalling_messages_total{", StringComparison.Ordinal)
                && line.Contains("kind=\"candidate\"", StringComparison.Ordinal))
            .Sum(line => double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// connectionState 'connected', remote video with a size, and frames being decoded. ICE and the first frames take a
    /// few seconds when the machine is busy, hence 20 s each.
    /// </summary>
    internal static async Task ConnectedWithVideo(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.telemed?.call?.pc?.connectionState === 'connected'",
            null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        await page.WaitForFunctionAsync("() => document.getElementById('remote').videoWidth > 0", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        await Rising(page, "framesDecoded");
    }

    /// <summary>A counter of the call (framesDecoded, audioPacketsReceived) goes up within 10 s: the main peer's, or one participant's.</summary>
    internal static async Task Rising(IPage page, string counter, string? accountId = null)
    {
        var read = accountId is null ? $"window.telemed.call.{counter}()" : $"window.telemed.call.{counter}('{accountId}')";
        var before = await page.EvaluateAsync<double>($"() => {read}");
        await page.WaitForFunctionAsync($"async () => (await {read}) > {before}", null,
            new PageWaitForFunctionOptions { Timeout = 10_000, PollingInterval = 250 });
    }
}
