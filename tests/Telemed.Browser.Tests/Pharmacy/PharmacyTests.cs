using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;
using Telemed.Server.Tests.Support;

namespace Telemed.Browser.Tests.Pharmacy;

/// <summary>A pharmacist photographs the QR code of a real prescription PDF, checks it in the page and dispenses it.</summary>
[Collection(OneAtATime.Name)]
public class PharmacyTests(ResendCodesAtOnce fixture) : IClassFixture<ResendCodesAtOnce>, IDisposable
{
    private const string PatientMobile = "+919812345678";
    private readonly string folder = Directory.CreateTempSubdirectory("telemed-pharmacy-").FullName;

    [Fact]
    public async Task A_pharmacist_scans_the_QR_code_of_a_prescription_PDF_verifies_it_and_dispenses()
    {
        var (prescriptionId, patientToken) = await Pages.IssuePrescription(fixture, PatientMobile);
        var pdf = await fixture.Send(HttpMethod.Get, $"/api/prescriptions/{prescriptionId}/pdf", patientToken);
        var pdfPath = Path.Combine(folder, "prescription.pdf");
        await File.WriteAllBytesAsync(pdfPath, await pdf.Content.ReadAsByteArrayAsync());
        // What a phone camera would capture: the printed page as an image, sharp enough for the code's 0.42 mm modules.
        await Tool.Text("pdftoppm", "-png", "-r", "200", "-singlefile", pdfPath, Path.Combine(folder, "photo"));

        var page = await fixture.NewPage();
        await Pages.SignInStaff(page, "meena.iyer@telemed.local");
        await Assertions.Expect(page.Locator("#pharmacy")).ToBeVisibleAsync();
        await page.SetInputFilesAsync("#rx-qr", Path.Combine(folder, "photo.png"));

        await page.WaitForFunctionAsync("() => document.getElementById('rx-verdict').dataset.verdict || document.getElementById('error').textContent");
        (await page.TextContentAsync("#error")).ShouldBeNullOrEmpty();
        await Assertions.Expect(page.Locator("#rx-verdict")).ToHaveAttributeAsync("data-verdict", "valid");
        await Assertions.Expect(page.Locator("#rx-id")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex($"/verify/{prescriptionId}#jws:[0-9]+$"));
        await Assertions.Expect(page.Locator("#rx-offline-verdict")).ToHaveAttributeAsync("data-verdict", "genuine");
        await Assertions.Expect(page.Locator("#rx-prescriber")).ToContainTextAsync("MMC-2009-04512");
        await Assertions.Expect(page.Locator("#rx-lines")).ToContainTextAsync("paracetamol 500 mg tablet");

        await page.FillAsync("#rx-lines tbody tr[data-line='0'] .qty", "4");
        await page.FillAsync("#rx-lines tbody tr[data-line='0'] .brand", "Crocin");
        await page.ClickAsync("#rx-dispense");
        await Assertions.Expect(page.Locator("#rx-result")).ToHaveTextAsync("Dispensing recorded.");
        await Assertions.Expect(page.Locator("#rx-lines tbody tr[data-line='0'] td").Nth(3)).ToHaveTextAsync("4");

        await page.FillAsync("#rx-lines tbody tr[data-line='0'] .qty", "5");
        await page.ClickAsync("#rx-dispense");
        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("only 2 of 6 remain");

        var recorded = await (await fixture.Send(HttpMethod.Get, $"/api/prescriptions/{prescriptionId}", patientToken)).Content.ReadFromJsonAsync<JsonElement>();
        recorded.GetProperty("dispensed")[0].GetInt32().ShouldBe(4);
        recorded.GetProperty("dispensations")[0].GetProperty("lines")[0].GetProperty("brand").GetString().ShouldBe("Crocin");
    }

    [Fact]
    public async Task A_pharmacist_scans_the_QR_code_with_the_camera_and_finds_the_prescription_again_in_the_history()
    {
        var (prescriptionId, _) = await Pages.IssuePrescription(fixture, PatientMobile);
        var film = FakeCamera.FilmingQrCode(new Uri(fixture.Server.Address, $"/verify/{prescriptionId}").ToString(), folder);
        await using var browser = await fixture.LaunchBrowser($"--use-file-for-fake-video-capture={film}");
        var page = await fixture.NewPage(browser: browser);
        await Pages.SignInStaff(page, "meena.iyer@telemed.local");
        await Assertions.Expect(page.Locator("#pharmacy")).ToBeVisibleAsync();

        await page.ClickAsync("#rx-camera");

        await Assertions.Expect(page.Locator("#rx-verdict")).ToHaveAttributeAsync("data-verdict", "valid");
        await Assertions.Expect(page.Locator("#rx-scanner")).ToBeHiddenAsync();
        (await page.EvaluateAsync<int>("() => document.getElementById('rx-video').srcObject?.getTracks().filter(t => t.readyState === 'live').length ?? 0")).ShouldBe(0);
        var inHistory = page.Locator($"#rx-history li[data-prescription='{prescriptionId}']");
        await Assertions.Expect(inHistory).ToContainTextAsync("Dr. Asha Verma");
        await Assertions.Expect(inHistory).ToContainTextAsync("0 of 6 handed out");

        await page.ReloadAsync();
        await page.Locator($"#rx-history li[data-prescription='{prescriptionId}'] button").ClickAsync();
        await Assertions.Expect(page.Locator("#rx-lines")).ToContainTextAsync("paracetamol 500 mg tablet");
    }

    [Fact]
    public async Task Offline_the_pharmacist_s_page_verifies_a_scanned_printed_code_with_the_kept_keys_shows_the_revocation_list_s_age_and_refuses_an_altered_one()
    {
        var (prescriptionId, patientToken) = await Pages.IssuePrescription(fixture, PatientMobile);
        var pdf = await fixture.Send(HttpMethod.Get, $"/api/prescriptions/{prescriptionId}/pdf", patientToken);
        var pdfPath = Path.Combine(folder, "prescription.pdf");
        await File.WriteAllBytesAsync(pdfPath, await pdf.Content.ReadAsByteArrayAsync());
        // The code as printed at 300 dpi and read back, then held in front of the camera.
        await Tool.Text("pdftoppm", "-png", "-r", "300", "-f", "1", "-l", "1", "-singlefile", pdfPath, Path.Combine(folder, "printed"));
        var code = (await Tool.Text("zbarimg", "--raw", "-q", Path.Combine(folder, "printed.png"))).Trim();
        code.ShouldContain($"/verify/{prescriptionId}#jws:");
        var film = FakeCamera.FilmingQrCode(code, folder, QRCoder.QRCodeGenerator.ECCLevel.L);
        await using var browser = await fixture.LaunchBrowser($"--use-file-for-fake-video-capture={film}");
        var page = await fixture.NewPage(browser: browser);
        await Pages.SignInStaff(page, "meena.iyer@telemed.local");
        await Assertions.Expect(page.Locator("#pharmacy")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => JSON.parse(localStorage.getItem('telemed.pharmacy.verification') ?? '{}').revocations");
        await page.Context.SetOfflineAsync(true);

        await page.ClickAsync("#rx-camera");

        await Assertions.Expect(page.Locator("#rx-offline-verdict")).ToHaveAttributeAsync("data-verdict", "genuine");
        await Assertions.Expect(page.Locator("#rx-offline-verdict")).ToHaveTextAsync("Genuine: the signature checks out on this device, without the network.");
        await Assertions.Expect(page.Locator("#rx-offline-revocations")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Revocation list from (this minute|\d+ minutes? ago)\.$"));
        await Assertions.Expect(page.Locator("#rx-offline-prescriber")).ToContainTextAsync("MMC-2009-04512");
        await Assertions.Expect(page.Locator("#rx-offline-medicines")).ToContainTextAsync("paracetamol 500 mg tablet");
        await Assertions.Expect(page.Locator("#rx-offline-online")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#rx")).ToBeHiddenAsync();

        // One digit of the signed payload changed (past the link, the marker and the header), typed as the scanner would fill it.
        var at = code.Length - 300;
        await page.FillAsync("#rx-id", code[..at] + (code[at] == '1' ? '2' : '1') + code[(at + 1)..]);
        await page.ClickAsync("#rx-check");

        await Assertions.Expect(page.Locator("#rx-offline-verdict")).ToHaveAttributeAsync("data-verdict", "altered");
        await Assertions.Expect(page.Locator("#rx-offline-medicines")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_QR_link_opens_a_public_page_that_confirms_the_doctor_without_the_medicines()
    {
        var (prescriptionId, _) = await Pages.IssuePrescription(fixture, PatientMobile);
        var page = await fixture.NewPage();

        await page.GotoAsync($"/verify/{prescriptionId}");

        await Assertions.Expect(page.Locator("#verdict")).ToHaveTextAsync("Genuine prescription");
        await Assertions.Expect(page.Locator("#doctor")).ToContainTextAsync("Dr. Asha Verma");
        await Assertions.Expect(page.Locator("#patient")).ToContainTextAsync("R. K.");
        (await page.ContentAsync()).ShouldNotContain("paracetamol");
    }

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
