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
        await patient.GotoAsync("/");
        await patient.FillAsync("#mobile", "9812345678");
        var asked = DateTimeOffset.UtcNow;
        await patient.ClickAsync("#send-code");
        await patient.FillAsync("#code", await fixture.LatestCode("+919812345678", asked));
        await patient.ClickAsync("#patient-signin");

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

        await patient.ClickAsync("#precheck-stop");
        await Assertions.Expect(patient.Locator("#precheck-devices")).ToBeHiddenAsync();
        (await patient.EvaluateAsync<bool>("() => document.getElementById('precheck-preview').srcObject === null")).ShouldBeTrue();
    }
}
