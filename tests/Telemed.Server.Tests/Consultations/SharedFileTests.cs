using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Audit;
using Telemed.Server.Consultations;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Consultations;

public class SharedFileTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    [Fact]
    public async Task A_file_shared_by_either_side_is_announced_to_the_other_and_readable_by_both_with_each_read_logged()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;

        var photo = await Share(room.Patient.AccessToken, room.ConsultationId, Picture(SkiaSharp.SKEncodedImageFormat.Png), "image/png", "rash.png");
        var report = await Share(room.DoctorToken, room.ConsultationId, "%PDF-1.4\n%a report\n"u8.ToArray(), "application/pdf", "../diet chart.pdf");

        var told = await doctor.Next("FileShared", f => f.GetProperty("id").GetGuid() == photo.GetProperty("id").GetGuid());
        told.GetProperty("fileName").GetString().ShouldBe("rash.png");
        told.GetProperty("role").GetString().ShouldBe("patient");
        told.GetProperty("sharedBy").GetGuid().ShouldBe(room.Patient.Id);
        (await patient.Next("FileShared", f => f.GetProperty("id").GetGuid() == report.GetProperty("id").GetGuid()))
            .GetProperty("fileName").GetString().ShouldBe("diet chart.pdf");
        foreach (var token in new[] { room.DoctorToken, room.Patient.AccessToken })
        {
            var listed = await Host.As(token).GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}/files");
            listed.EnumerateArray().Select(f => f.GetProperty("fileName").GetString()).ShouldBe(["rash.png", "diet chart.pdf"]);
            using var picture = SkiaSharp.SKBitmap.Decode(await Host.As(token).GetByteArrayAsync(FileUrl(room, photo)));
            (picture.Width, picture.Height).ShouldBe((8, 4));
            var pdf = await Host.As(token).GetAsync(FileUrl(room, report));
            await pdf.ShouldHave(HttpStatusCode.OK);
            pdf.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        }
        var log = await Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/records/access-log");
        log.EnumerateArray().ShouldContain(read => read.GetProperty("basis").GetString() == "Participant"
            && read.GetProperty("resource").GetString() == $"consultation/{room.ConsultationId}/file/{photo.GetProperty("id").GetGuid()}", "the doctor's read is on the patient's access log");
        var history = await Host.As(room.DoctorToken).GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}");
        history.GetProperty("history").EnumerateArray().Count(e => e.GetProperty("event").GetString() == "FileShared").ShouldBe(2);
    }

    [Fact]
    public async Task Someone_outside_the_consultation_can_neither_share_nor_list_nor_read_its_files_and_is_audited()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;
        var shared = await Share(room.Patient.AccessToken, room.ConsultationId, Picture(SkiaSharp.SKEncodedImageFormat.Jpeg), "image/jpeg", "rash.jpg");
        var outsiders = new[]
        {
            (await Host.CreatePatients(1))[0],
            new TestPatient(DemoSeeder.DoctorRahulId, (await Host.SignInStaff("rahul.nair@telemed.local")).AccessToken),
        };

        foreach (var outsider in outsiders)
        {
            var client = Host.As(outsider.AccessToken);
            using var form = Form(Picture(SkiaSharp.SKEncodedImageFormat.Png), "image/png", "mine.png");
            await (await client.PostAsync($"/api/consultations/{room.ConsultationId}/files", form)).ShouldBeProblem(HttpStatusCode.Forbidden);
            await (await client.GetAsync($"/api/consultations/{room.ConsultationId}/files")).ShouldBeProblem(HttpStatusCode.Forbidden);
            await (await client.GetAsync(FileUrl(room, shared))).ShouldBeProblem(HttpStatusCode.Forbidden);

            await using var store = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var refused = (await store.Events.FetchStreamAsync(outsider.Id)).Select(e => e.Data).OfType<AccessRefused>().Select(a => a.Action).ToList();
            refused.ShouldContain("share file");
            refused.ShouldContain("list shared files");
            refused.ShouldContain("read shared file");
        }
        doctor.Received("FileShared").ShouldBeTrue();
        (await Host.As(room.DoctorToken).GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}/files")).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task A_file_that_is_not_an_image_or_pdf_or_too_big_is_refused_and_nothing_is_kept()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;
        var patientClient = Host.As(room.Patient.AccessToken);
        var big = new byte[6 * 1024 * 1024];
        big[0] = 0xFF; big[1] = 0xD8; big[2] = 0xFF;

        using (var form = Form("MZ\x90\0 an executable"u8.ToArray(), "image/png", "photo.png"))
        {
            (await (await patientClient.PostAsync($"/api/consultations/{room.ConsultationId}/files", form)).ShouldBeProblem(HttpStatusCode.BadRequest))
                .GetProperty("errors").GetProperty("file")[0].GetString().ShouldContain("not a JPEG, PNG, WebP image or a PDF");
        }
        using (var form = Form([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], "image/jpeg", "rash.jpg"))
        {
            (await (await patientClient.PostAsync($"/api/consultations/{room.ConsultationId}/files", form)).ShouldBeProblem(HttpStatusCode.BadRequest))
                .GetProperty("errors").GetProperty("file")[0].GetString().ShouldContain("does not open as an image");
        }
        using (var form = Form(big, "image/jpeg", "scan.jpg"))
        {
            var response = await patientClient.PostAsync($"/api/consultations/{room.ConsultationId}/files", form);
            ((int)response.StatusCode).ShouldBeOneOf(400, 413);
        }
        using (var form = new MultipartFormDataContent { { new StringContent("no file"), "note" } })
        {
            (await (await patientClient.PostAsync($"/api/consultations/{room.ConsultationId}/files", form)).ShouldBeProblem(HttpStatusCode.BadRequest))
                .GetProperty("errors").GetProperty("file")[0].GetString().ShouldContain("exactly one file");
        }

        (await patientClient.GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}/files")).GetArrayLength().ShouldBe(0);
        doctor.Received("FileShared").ShouldBeFalse();
    }

    [Fact]
    public async Task A_shared_photo_keeps_no_metadata()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;
        var marker = "GPSLatitude 12.9716N GPSLongitude 77.5946E Pixel 7"u8.ToArray();
        var jpeg = Picture(SkiaSharp.SKEncodedImageFormat.Jpeg);
        byte[] exif = [0xFF, 0xE1, (byte)((marker.Length + 8) >> 8), (byte)(marker.Length + 8), .. "Exif\0\0"u8, .. marker];
        byte[] photo = [.. jpeg[..2], .. exif, .. jpeg[2..]];

        var shared = await Share(room.Patient.AccessToken, room.ConsultationId, photo, "image/jpeg", "rash.jpg");

        var stored = await Host.As(room.DoctorToken).GetByteArrayAsync(FileUrl(room, shared));
        System.Text.Encoding.ASCII.GetString(photo).ShouldContain("GPSLatitude", customMessage: "the upload carries the metadata");
        System.Text.Encoding.ASCII.GetString(stored).ShouldNotContain("GPSLatitude");
        shared.GetProperty("size").GetInt64().ShouldBe(stored.Length);
    }

    [Fact]
    public async Task Files_are_shared_from_inside_the_room_of_an_open_consultation_only()
    {
        var room = await Room.Start(Host);
        using (var form = Form(Picture(SkiaSharp.SKEncodedImageFormat.Png), "image/png", "rash.png"))
        {
            (await (await Host.As(room.Patient.AccessToken).PostAsync($"/api/consultations/{room.ConsultationId}/files", form)).ShouldBeProblem(HttpStatusCode.Conflict))
                .GetProperty("title").GetString().ShouldBe("NotInRoom");
        }
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;
        await (await Host.As(room.DoctorToken).PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null)).ShouldHave(HttpStatusCode.OK);

        using (var form = Form(Picture(SkiaSharp.SKEncodedImageFormat.Png), "image/png", "rash.png"))
        {
            (await (await Host.As(room.Patient.AccessToken).PostAsync($"/api/consultations/{room.ConsultationId}/files", form)).ShouldBeProblem(HttpStatusCode.Conflict))
                .GetProperty("title").GetString().ShouldBe("ConsultationEnded");
        }
    }

    [Fact]
    public async Task The_speed_sample_is_a_fixed_size_download_no_one_caches_for_signed_in_users_only()
    {
        var patient = (await Host.CreatePatients(1))[0];

        var response = await Host.As(patient.AccessToken).GetAsync("/api/precall/speed-sample");

        await response.ShouldHave(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).Length.ShouldBe(PreCallEndpoints.SpeedSampleBytes);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        await (await Host.CreateClient().GetAsync("/api/precall/speed-sample")).ShouldHave(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_speed_sample_is_rate_limited_per_account()
    {
        var patient = (await Host.CreatePatients(1))[0];
        var client = Host.As(patient.AccessToken);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            statuses.Add((await client.GetAsync("/api/precall/speed-sample")).StatusCode);
        }
        statuses.Take(6).ShouldAllBe(s => s == HttpStatusCode.OK);
        statuses[6].ShouldBe(HttpStatusCode.TooManyRequests);
        await (await Host.As((await Host.CreatePatients(1))[0].AccessToken).GetAsync("/api/precall/speed-sample")).ShouldHave(HttpStatusCode.OK);
    }

    private static string FileUrl(Room room, JsonElement file) => $"/api/consultations/{room.ConsultationId}/files/{file.GetProperty("id").GetGuid()}";

    private async Task<JsonElement> Share(string token, Guid consultationId, byte[] bytes, string type, string name)
    {
        using var form = Form(bytes, type, name);
        var response = await Host.As(token).PostAsync($"/api/consultations/{consultationId}/files", form);
        await response.ShouldHave(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static MultipartFormDataContent Form(byte[] bytes, string type, string name)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        return new MultipartFormDataContent { { content, "file", name } };
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
}
