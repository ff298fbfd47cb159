using Microsoft.Playwright;

using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Calls;

/// <summary>The doctor writes the record and the prescription in the consultation screen, signs it; the patient downloads the PDF.</summary>
[Collection(OneAtATime.Name)]
public class ConsultationRecordTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string PatientMobile = "7012345678";

    [Fact]
    public async Task A_doctor_writes_notes_and_a_prescription_signs_it_and_the_patient_downloads_the_PDF()
    {
        var (doctor, patient, _) = await Pages.PatientWaiting(fixture, PatientMobile);

        await doctor.ClickAsync("#call-next");
        await doctor.ClickAsync("#start");
        await Pages.WriteRecordWithParacetamol(doctor);
        var row = doctor.Locator("#medicines .medicine").First;
        await row.Locator(".quantity").FillAsync("0");
        await doctor.ClickAsync("#record-save");
        await Assertions.Expect(doctor.Locator("#error")).ToContainTextAsync("Quantity is 1 to 1000");
        await row.Locator(".quantity").FillAsync("6");
        await doctor.ClickAsync("#record-save");
        await Assertions.Expect(doctor.Locator("#record-status")).ToHaveTextAsync("Record saved.");

        await Pages.SignAndComplete(doctor);
        await Assertions.Expect(doctor.Locator("#completed")).ToContainTextAsync("signed");

        await patient.ClickAsync("#records-open");
        var pdfButton = patient.Locator("#records li button", new() { HasText = "Prescription PDF" });
        var download = await patient.RunAndWaitForDownloadAsync(() => pdfButton.ClickAsync());
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path!);
        bytes.Take(5).ShouldBe("%PDF-"u8.ToArray());
        download.SuggestedFilename.ShouldStartWith("prescription-");
    }
}
