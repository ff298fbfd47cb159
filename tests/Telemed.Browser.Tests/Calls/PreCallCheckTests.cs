namespace Telemed.Browser.Tests.Calls;

public class PreCallCheckTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_patient_tests_camera_microphone_and_network_before_the_call()
    {
        var patient = await fixture.NewPage();
        await patient.GotoAsync("/");
        await patient.FillAsync("#mobile", "9812345678");
        await patient.ClickAsync("#send-code");
        await Task.Delay(300);
        await patient.FillAsync("#code", await fixture.LatestCode("+919812345678"));
        await patient.ClickAsync("#patient-signin");

        await patient.ClickAsync("#precheck-run");

        await Microsoft.Playwright.Assertions.Expect(patient.Locator("#precheck-verdict")).ToContainTextAsync("ready:", new() { Timeout = 15_000 });
    }
}
