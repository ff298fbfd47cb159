using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Calls;

[Collection(OneAtATime.Name)]
public class PreCallCheckTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_patient_sees_the_camera_and_the_microphone_level_and_is_told_in_words_that_they_are_ready()
    {
        var patient = await fixture.NewPage();
        await Pages.SignInPatient(patient, fixture, "9812345678");

        await patient.ClickAsync("#precheck-run");

        // The preview shows the (fake) camera's picture, moving; the meter follows the (fake) microphone's beeps.
        await Assertions.Expect(patient.Locator("#precheck-devices")).ToBeVisibleAsync();
        await patient.WaitForFunctionAsync("() => document.getElementById('precheck-preview').videoWidth > 0");
        var frames = await patient.EvaluateAsync<double>("() => document.getElementById('precheck-preview').getVideoPlaybackQuality().totalVideoFrames");
        await patient.WaitForFunctionAsync($"() => document.getElementById('precheck-preview').getVideoPlaybackQuality().totalVideoFrames > {frames}");
        var levels = await patient.EvaluateAsync<double[]>("""
            async () => {
              const meter = document.getElementById('precheck-level'), seen = [];
              for (let i = 0; i < 30; i++) { seen.push(meter.value); await new Promise(r => setTimeout(r, 100)); }
              return seen;
            }
            """);
        levels.Max().ShouldBeGreaterThan(0.05);
        levels.Distinct().Count().ShouldBeGreaterThan(2);

        var verdict = patient.Locator("#precheck-verdict");
        await Assertions.Expect(verdict).ToHaveAttributeAsync("data-verdict", "ready", new() { Timeout = 15_000 });
        await Assertions.Expect(verdict).ToContainTextAsync("You are ready: Camera and microphone work");
        // Loopback is fast: the timed download says so in words.
        await Assertions.Expect(patient.Locator("#precheck-speed")).ToHaveAttributeAsync("data-level", "good");
        await Assertions.Expect(patient.Locator("#precheck-speed")).ToHaveTextAsync(
            new System.Text.RegularExpressions.Regex(@"^Your internet speed is about \d+(\.\d)? Mbit/s: good for a video call\.$"));

        await patient.ClickAsync("#precheck-stop");
        await Assertions.Expect(patient.Locator("#precheck-devices")).ToBeHiddenAsync();
        (await patient.EvaluateAsync<bool>("() => document.getElementById('precheck-preview').srcObject === null")).ShouldBeTrue();
    }

    [Fact]
    public async Task On_a_slow_connection_the_speed_estimate_says_video_may_suffer()
    {
        var patient = await fixture.NewPage();
        await Pages.SignInPatient(patient, fixture, "9876543210");
        // About 100 KB/s (0.8 Mbit/s) downstream, as the browser's own network emulation throttles it.
        var devtools = await patient.Context.NewCDPSessionAsync(patient);
        await devtools.SendAsync("Network.enable");
        await devtools.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 20, ["downloadThroughput"] = 100_000, ["uploadThroughput"] = 100_000,
        });

        await patient.ClickAsync("#precheck-run");

        var speed = patient.Locator("#precheck-speed");
        await Assertions.Expect(speed).ToHaveAttributeAsync("data-level", "fair", new() { Timeout = 30_000 });
        await Assertions.Expect(speed).ToContainTextAsync("enough for video, though the picture may be blurred at times");
    }

    [Fact]
    public async Task The_speaker_test_plays_a_tone_and_asks_whether_it_was_heard()
    {
        var patient = await fixture.NewPage();
        // Every tone the page starts, with its pitch: what went to the speakers.
        await patient.AddInitScriptAsync("""
            window.tones = [];
            const start = OscillatorNode.prototype.start;
            OscillatorNode.prototype.start = function (...args) { window.tones.push(this.frequency.value); return start.apply(this, args); };
            """);
        await Pages.SignInPatient(patient, fixture, "7012345678");

        await patient.ClickAsync("#precheck-tone");

        await Assertions.Expect(patient.Locator("#precheck-heard")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        (await patient.EvaluateAsync<double[]>("() => window.tones")).ShouldBe([440]);
        await Assertions.Expect(patient.Locator("#precheck-heard legend")).ToHaveTextAsync("Did you hear the sound?");
        await patient.ClickAsync("#precheck-heard-no");
        await Assertions.Expect(patient.Locator("#precheck-speaker-result")).ToContainTextAsync("Turn the volume up");
        await Assertions.Expect(patient.Locator("#precheck-heard")).ToBeHiddenAsync();

        await patient.ClickAsync("#precheck-tone");
        await patient.ClickAsync("#precheck-heard-yes");
        await Assertions.Expect(patient.Locator("#precheck-speaker-result")).ToHaveTextAsync("Your speaker works: you will hear the doctor.");
        (await patient.EvaluateAsync<double[]>("() => window.tones")).Length.ShouldBe(2);
        await Axe.ShouldHaveNoSeriousViolations(patient, "the pre-call test");
    }
}
