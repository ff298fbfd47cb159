using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Queue;

/// <summary>Who may touch which session and token, and what bad input gets back.</summary>
public class QueueAccessTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    [Fact]
    public async Task A_patient_cannot_cancel_another_patients_token_and_the_attempt_is_audited()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(2);
        await Sessions.CheckIn(Host, sessionId, patients[0]);
        await Sessions.CheckIn(Host, sessionId, patients[1]);

        var response = await Host.As(patients[1].AccessToken).PostAsync($"/api/sessions/{sessionId}/tokens/1/cancel", null);

        await response.ShouldHave(HttpStatusCode.Forbidden);
        (await response.Problem()).GetProperty("code").GetString().ShouldBe("NotYourToken");
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var audit = await session.Events.FetchStreamAsync(patients[1].Id);
        var refused = audit.Select(e => e.Data).OfType<AccessRefused>().ShouldHaveSingleItem();
        refused.Resource.ShouldBe($"opd-session/{sessionId}/token/1");
        refused.Action.ShouldBe("cancel");
    }

    [Fact]
    public async Task A_patient_cancels_their_own_token()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        await Sessions.CheckIn(Host, sessionId, patient);

        var response = await Host.As(patient.AccessToken).PostAsync($"/api/sessions/{sessionId}/tokens/1/cancel", null);

        await response.ShouldHave(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString().ShouldBe("cancelled");
    }

    [Fact]
    public async Task A_patient_cannot_call_tokens_or_read_the_queue()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        await Sessions.CheckIn(Host, sessionId, patient);
        var client = Host.As(patient.AccessToken);

        await (await client.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.Forbidden);
        await (await client.GetAsync($"/api/sessions/{sessionId}/queue")).ShouldHave(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_doctor_of_another_session_cannot_touch_this_one()
    {
        var sessionId = await Sessions.Open(Host, doctorIds: [DemoSeeder.DoctorRahulId]);
        await Sessions.CheckIn(Host, sessionId, (await Host.CreatePatients(1))[0]);
        var asha = await Sessions.Doctor(Host, Api.DoctorEmail);

        var call = await asha.PostAsync($"/api/sessions/{sessionId}/call-next", null);
        var pause = await asha.PostAsync($"/api/sessions/{sessionId}/pause", null);

        await call.ShouldHave(HttpStatusCode.Forbidden);
        await pause.ShouldHave(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_unknown_session_is_not_found()
    {
        var patient = (await Host.CreatePatients(1))[0];

        var response = await Host.As(patient.AccessToken).PostAsJsonAsync($"/api/sessions/{Guid.NewGuid()}/check-in", new { complaint = "x" });

        await response.ShouldHave(HttpStatusCode.NotFound);
        await response.Problem();
    }

    [Fact]
    public async Task A_closed_session_refuses_check_in_with_the_reason()
    {
        var sessionId = await Sessions.Open(Host);
        await (await Sessions.Doctor(Host)).PostAsync($"/api/sessions/{sessionId}/close", null);

        var response = await Host.As((await Host.CreatePatients(1))[0].AccessToken).PostAsJsonAsync($"/api/sessions/{sessionId}/check-in", new { });

        await response.ShouldHave(HttpStatusCode.Conflict);
        var problem = await response.Problem();
        problem.GetProperty("code").GetString().ShouldBe("SessionClosed");
        problem.GetProperty("detail").GetString().ShouldContain("closed");
    }

    [Fact]
    public async Task A_full_session_refuses_check_in_with_the_reason()
    {
        var sessionId = await Sessions.Open(Host, capacity: 1);
        var patients = await Host.CreatePatients(2);
        await Sessions.CheckIn(Host, sessionId, patients[0]);

        var response = await Host.As(patients[1].AccessToken).PostAsJsonAsync($"/api/sessions/{sessionId}/check-in", new { });

        await response.ShouldHave(HttpStatusCode.Conflict);
        (await response.Problem()).GetProperty("detail").GetString().ShouldContain("full");
    }

    [Fact]
    public async Task Checking_in_twice_returns_the_same_token()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        var client = Host.As(patient.AccessToken);

        var first = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/check-in", new { complaint = "headache" });
        var second = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/check-in", new { complaint = "headache" });

        await first.ShouldHave(HttpStatusCode.Created);
        await second.ShouldHave(HttpStatusCode.OK);
        (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetInt32().ShouldBe(1);
    }

    [Theory]
    [InlineData(-5, "capacity", "at least 1")]
    [InlineData(0, "capacity", "at least 1")]
    [InlineData(5001, "capacity", "at most")]
    public async Task Opening_a_session_with_a_bad_capacity_is_refused_naming_the_field(int capacity, string field, string reason)
    {
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);

        var response = await admin.PostAsJsonAsync("/api/sessions", new
        {
            facilityId = Sessions.Facility,
            doctorIds = new[] { DemoSeeder.DoctorAshaId },
            startsAt = DateTimeOffset.UtcNow,
            endsAt = DateTimeOffset.UtcNow.AddHours(2),
            capacity,
        });

        await response.ShouldHave(HttpStatusCode.BadRequest);
        (await response.Problem()).GetProperty("errors").GetProperty(field)[0].GetString().ShouldContain(reason);
    }

    [Fact]
    public async Task Opening_a_session_with_an_unknown_facility_or_a_non_doctor_is_refused()
    {
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);
        var request = new
        {
            facilityId = Guid.NewGuid(),
            doctorIds = new[] { DemoSeeder.PharmacistId },
            startsAt = DateTimeOffset.UtcNow,
            endsAt = DateTimeOffset.UtcNow.AddHours(2),
            capacity = 10,
        };

        var unknownFacility = await admin.PostAsJsonAsync("/api/sessions", request);
        var notADoctor = await admin.PostAsJsonAsync("/api/sessions", request with { facilityId = Sessions.Facility });

        await unknownFacility.ShouldHave(HttpStatusCode.BadRequest);
        (await unknownFacility.Problem()).GetProperty("errors").TryGetProperty("facilityId", out _).ShouldBeTrue();
        await notADoctor.ShouldHave(HttpStatusCode.BadRequest);
        (await notADoctor.Problem()).GetProperty("errors").TryGetProperty("doctorIds", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Paid_sessions_are_refused_until_payments_exist()
    {
        var doctor = await Sessions.Doctor(Host);

        var response = await doctor.PostAsJsonAsync("/api/sessions", new
        {
            facilityId = Sessions.Facility,
            startsAt = DateTimeOffset.UtcNow,
            endsAt = DateTimeOffset.UtcNow.AddHours(2),
            capacity = 10,
            feePaise = 50000,
        });

        await response.ShouldHave(HttpStatusCode.BadRequest);
        (await response.Problem()).GetProperty("errors").GetProperty("feePaise")[0].GetString().ShouldContain("payments");
    }

    [Fact]
    public async Task Attachments_are_type_checked_and_only_their_patient_and_the_doctors_can_read_them()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(2);
        var png = Picture(SkiaSharp.SKEncodedImageFormat.Png);
        var pdf = "%PDF-1.4\n%fake but well-formed header\n"u8.ToArray();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("rash on the arm"), "complaint" },
            { File(png, "image/png"), "attachments", "rash.png" },
            { File(pdf, "application/pdf"), "attachments", "../../etc/report.pdf" },
        };

        var response = await Host.As(patients[0].AccessToken).PostAsync($"/api/sessions/{sessionId}/check-in", form);

        await response.ShouldHave(HttpStatusCode.Created);
        var queue = await (await Sessions.Doctor(Host)).GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}/queue");
        var attachments = queue.GetProperty("rows")[0].GetProperty("attachments");
        attachments.GetArrayLength().ShouldBe(2);
        attachments[1].GetProperty("fileName").GetString().ShouldBe("report.pdf");
        var id = attachments[0].GetProperty("id").GetGuid();
        var download = await (await Sessions.Doctor(Host)).GetAsync($"/api/sessions/{sessionId}/attachments/{id}");
        await download.ShouldHave(HttpStatusCode.OK);
        using (var downloaded = SkiaSharp.SKBitmap.Decode(await download.Content.ReadAsByteArrayAsync()))
        {
            (downloaded.Width, downloaded.Height).ShouldBe((8, 4));
        }
        await (await Host.As(patients[0].AccessToken).GetAsync($"/api/sessions/{sessionId}/attachments/{id}")).ShouldHave(HttpStatusCode.OK);
        await (await Host.As(patients[1].AccessToken).GetAsync($"/api/sessions/{sessionId}/attachments/{id}")).ShouldHave(HttpStatusCode.Forbidden);
        var log = await Host.As(patients[0].AccessToken).GetFromJsonAsync<JsonElement>("/api/records/access-log");
        log.EnumerateArray().ShouldContain(read => read.GetProperty("basis").GetString() == "SessionStaff"
            && read.GetProperty("resource").GetString() == $"opd-session/{sessionId}/attachment/{id}", "the doctor's read is on the patient's access log");
    }

    [Fact]
    public async Task A_file_that_is_not_an_image_or_pdf_is_refused_and_nothing_is_checked_in()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        using var form = new MultipartFormDataContent
        {
            { File("MZ\x90\0 this is an executable"u8.ToArray(), "image/png"), "attachments", "photo.png" },
        };

        var response = await Host.As(patient.AccessToken).PostAsync($"/api/sessions/{sessionId}/check-in", form);

        await response.ShouldHave(HttpStatusCode.BadRequest);
        (await response.Problem()).GetProperty("errors").GetProperty("attachments")[0].GetString().ShouldContain("not a JPEG, PNG, WebP image or a PDF");
        await (await Host.As(patient.AccessToken).GetAsync($"/api/sessions/{sessionId}/my-token")).ShouldHave(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_oversize_attachment_is_refused()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        var big = new byte[6 * 1024 * 1024];
        big[0] = 0xFF; big[1] = 0xD8; big[2] = 0xFF;
        using var form = new MultipartFormDataContent { { File(big, "image/jpeg"), "attachments", "scan.jpg" } };

        var response = await Host.As(patient.AccessToken).PostAsync($"/api/sessions/{sessionId}/check-in", form);

        await response.ShouldHave(HttpStatusCode.BadRequest);
        (await response.Problem()).GetProperty("errors").GetProperty("attachments")[0].GetString().ShouldContain("at most 5 MB");
    }

    /// <summary>A phone photo's EXIF (here with its GPS position) is gone from the stored file; the picture is the same size.</summary>
    [Fact]
    public async Task A_photos_location_and_other_metadata_are_not_kept()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        var marker = "GPSLatitude 12.9716N GPSLongitude 77.5946E Pixel 7"u8.ToArray();
        var jpeg = Picture(SkiaSharp.SKEncodedImageFormat.Jpeg);
        byte[] exif = [0xFF, 0xE1, (byte)((marker.Length + 8) >> 8), (byte)(marker.Length + 8), .. "Exif\0\0"u8, .. marker];
        byte[] photo = [.. jpeg[..2], .. exif, .. jpeg[2..]];
        using var form = new MultipartFormDataContent { { new StringContent("rash"), "complaint" }, { File(photo, "image/jpeg"), "attachments", "rash.jpg" } };
        await (await Host.As(patient.AccessToken).PostAsync($"/api/sessions/{sessionId}/check-in", form)).ShouldHave(HttpStatusCode.Created);

        var doctor = await Sessions.Doctor(Host);
        var id = (await doctor.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}/queue")).GetProperty("rows")[0].GetProperty("attachments")[0].GetProperty("id").GetGuid();
        var stored = await doctor.GetByteArrayAsync($"/api/sessions/{sessionId}/attachments/{id}");

        System.Text.Encoding.ASCII.GetString(photo).ShouldContain("GPSLatitude", customMessage: "the upload carries the metadata");
        System.Text.Encoding.ASCII.GetString(stored).ShouldNotContain("GPSLatitude");
        System.Text.Encoding.ASCII.GetString(stored).ShouldNotContain("Exif");
        using var picture = SkiaSharp.SKBitmap.Decode(stored);
        (picture.Width, picture.Height).ShouldBe((8, 4));
    }

    /// <summary>A phone held sideways writes the turn into EXIF: the kept picture is turned upright, since the tag goes.</summary>
    [Fact]
    public async Task A_sideways_photo_is_kept_upright_without_its_orientation_tag()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        // Big-endian TIFF, one IFD entry: Orientation (0x0112), SHORT, 1 value: 6 (turn 90° clockwise to show).
        byte[] tiff = [.. "Exif\0\0"u8, .. "MM"u8, 0, 0x2A, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0];
        var jpeg = Picture(SkiaSharp.SKEncodedImageFormat.Jpeg);
        byte[] photo = [.. jpeg[..2], 0xFF, 0xE1, 0, (byte)(tiff.Length + 2), .. tiff, .. jpeg[2..]];
        using var form = new MultipartFormDataContent { { new StringContent("rash"), "complaint" }, { File(photo, "image/jpeg"), "attachments", "rash.jpg" } };
        await (await Host.As(patient.AccessToken).PostAsync($"/api/sessions/{sessionId}/check-in", form)).ShouldHave(HttpStatusCode.Created);

        var doctor = await Sessions.Doctor(Host);
        var id = (await doctor.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}/queue")).GetProperty("rows")[0].GetProperty("attachments")[0].GetProperty("id").GetGuid();
        using var codec = SkiaSharp.SKCodec.Create(new SkiaSharp.SKMemoryStream(await doctor.GetByteArrayAsync($"/api/sessions/{sessionId}/attachments/{id}")));

        using (var uploaded = SkiaSharp.SKCodec.Create(new SkiaSharp.SKMemoryStream(photo)))
        {
            uploaded.EncodedOrigin.ShouldBe(SkiaSharp.SKEncodedOrigin.RightTop, "the upload is tagged sideways");
        }
        codec.EncodedOrigin.ShouldBe(SkiaSharp.SKEncodedOrigin.TopLeft);
        (codec.Info.Width, codec.Info.Height).ShouldBe((4, 8));
    }

    [Fact]
    public async Task A_file_named_an_image_that_does_not_open_as_one_is_refused()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        using var form = new MultipartFormDataContent { { new StringContent("rash"), "complaint" }, { File([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], "image/jpeg"), "attachments", "rash.jpg" } };

        var response = await Host.As(patient.AccessToken).PostAsync($"/api/sessions/{sessionId}/check-in", form);

        (await response.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("attachments")[0].GetString()!.ShouldContain("does not open as an image");
    }

    /// <summary>An 8×4 picture in the given format.</summary>
    private static byte[] Picture(SkiaSharp.SKEncodedImageFormat format)
    {
        using var bitmap = new SkiaSharp.SKBitmap(8, 4);
        bitmap.Erase(SkiaSharp.SKColors.IndianRed);
        using var image = SkiaSharp.SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(format, 90);
        return encoded.ToArray();
    }

    [Fact]
    public async Task More_than_three_attachments_are_refused()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        using var form = new MultipartFormDataContent();
        for (var i = 0; i < 4; i++)
        {
            form.Add(File([0xFF, 0xD8, 0xFF, 0xE0], "image/jpeg"), "attachments", $"{i}.jpg");
        }

        var response = await Host.As(patient.AccessToken).PostAsync($"/api/sessions/{sessionId}/check-in", form);

        await response.ShouldHave(HttpStatusCode.BadRequest);
        (await response.Problem()).GetProperty("errors").GetProperty("attachments")[0].GetString().ShouldContain("At most 3");
    }

    private static ByteArrayContent File(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }
}
