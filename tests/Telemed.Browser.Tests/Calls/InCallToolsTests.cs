using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Calls;

/// <summary>What the two sides do in a connected call besides talking: share files and photos, and the doctor's screen.</summary>
[Collection(OneAtATime.Name)]
public class InCallToolsTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    // An 8×4 PNG, as a phone's photo would arrive (the server decodes and re-encodes it, so it must be a real picture).
    private static readonly byte[] Photo = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAECAIAAAA8r+mnAAAAEUlEQVR4nGM4GxODFTFQTwIAjkswob7RkKsAAAAASUVORK5CYII=");
    private static readonly byte[] Plan = "%PDF-1.4\n% a diet plan\n"u8.ToArray();

    [Fact]
    public async Task A_photo_and_a_report_are_shared_both_ways_and_each_side_opens_what_the_other_sent()
    {
        var (doctor, patient, _) = await Pages.PatientWaiting(fixture, "7012345678");
        await VideoCallTests.Connect(fixture, doctor, patient);

        await patient.SetInputFilesAsync("#call-file", new FilePayload { Name = "rash.png", MimeType = "image/png", Buffer = Photo });
        await Assertions.Expect(patient.Locator("#call-file-status")).ToHaveTextAsync("rash.png is shared.");
        var fromPatient = doctor.Locator("#call-file-list button", new() { HasText = "rash.png" });
        await Assertions.Expect(fromPatient).ToHaveTextAsync("rash.png (1 KB) · The patient");
        var photo = await doctor.RunAndWaitForDownloadAsync(() => fromPatient.ClickAsync());
        photo.SuggestedFilename.ShouldBe("rash.png");
        (await File.ReadAllBytesAsync((await photo.PathAsync())!))[..8].ShouldBe(Photo[..8]);

        await doctor.SetInputFilesAsync("#call-file", new FilePayload { Name = "diet plan.pdf", MimeType = "application/pdf", Buffer = Plan });
        var fromDoctor = patient.Locator("#call-file-list button", new() { HasText = "diet plan.pdf" });
        await Assertions.Expect(fromDoctor).ToHaveTextAsync("diet plan.pdf (1 KB) · The doctor");
        var plan = await patient.RunAndWaitForDownloadAsync(() => fromDoctor.ClickAsync());
        (await File.ReadAllBytesAsync((await plan.PathAsync())!)).ShouldBe(Plan);
        await Assertions.Expect(patient.Locator("#call-file-list li")).ToHaveCountAsync(2);
        await Assertions.Expect(patient.Locator("#call-file-list button", new() { HasText = "rash.png" })).ToHaveTextAsync("rash.png (1 KB) · You");

        // A file that is not a picture or a PDF is refused in words and shared with no one.
        await patient.SetInputFilesAsync("#call-file", new FilePayload { Name = "photo.png", MimeType = "image/png", Buffer = "MZ\x90\0 a program"u8.ToArray() });
        await Assertions.Expect(patient.Locator("#error")).ToContainTextAsync("not a JPEG, PNG, WebP image or a PDF");
        await Assertions.Expect(doctor.Locator("#call-file-list li")).ToHaveCountAsync(2);

        // What was shared is still there after a reload.
        await patient.ReloadAsync();
        await VideoCallTests.ConnectedWithVideo(patient);
        await Assertions.Expect(patient.Locator("#call-file-list li")).ToHaveCountAsync(2);
        await Axe.ShouldHaveNoSeriousViolations(patient, "the call screen with shared files");
    }

    [Fact]
    public async Task The_doctor_shares_the_screen_the_patient_receives_it_in_place_of_the_camera_and_stopping_brings_the_camera_back()
    {
        var (doctor, patient, _) = await Pages.PatientWaiting(fixture, "9876543210");
        await VideoCallTests.Connect(fixture, doctor, patient);
        await Assertions.Expect(patient.Locator("#call-screen")).ToBeHiddenAsync();
        const string sentVideo = "() => window.telemed.call.pc.getTransceivers().find(t => t.receiver.track.kind === 'video').sender.track";

        await doctor.ClickAsync("#call-screen");

        await Assertions.Expect(doctor.Locator("#call-screen")).ToHaveAttributeAsync("aria-pressed", "true");
        (await doctor.EvaluateAsync<string>($"() => ({sentVideo})().getSettings().displaySurface ?? ''")).ShouldNotBeEmpty("the doctor sends a screen capture");
        var screen = await doctor.EvaluateAsync<int[]>($"() => {{ const s = ({sentVideo})().getSettings(); return [s.width, s.height]; }}");
        var camera = await doctor.EvaluateAsync<int[]>("() => { const s = window.telemed.call.local.getVideoTracks()[0].getSettings(); return [s.width, s.height]; }");
        screen.ShouldNotBe(camera, "the screen and the fake camera differ in size, so the patient's video tells which arrives");
        await patient.WaitForFunctionAsync($"() => document.getElementById('remote').videoWidth === {screen[0]} && document.getElementById('remote').videoHeight === {screen[1]}",
            null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        await VideoCallTests.Rising(patient, "framesDecoded");

        await doctor.ClickAsync("#call-screen");

        await Assertions.Expect(doctor.Locator("#call-screen")).ToHaveAttributeAsync("aria-pressed", "false");
        (await doctor.EvaluateAsync<bool>($"() => ({sentVideo})() === window.telemed.call.local.getVideoTracks()[0]")).ShouldBeTrue();
        await patient.WaitForFunctionAsync($"() => document.getElementById('remote').videoWidth === {camera[0]} && document.getElementById('remote').videoHeight === {camera[1]}",
            null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        await VideoCallTests.Rising(patient, "framesDecoded");
    }
}
