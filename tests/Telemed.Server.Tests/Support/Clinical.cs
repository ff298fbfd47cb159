using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Telemed.Server.Tests.Consultations;

namespace Telemed.Server.Tests.Support;

/// <summary>A doctor writing and completing a consultation's record, in one line each.</summary>
public static class Clinical
{
    public static readonly object Paracetamol = new
    {
        generic = "Paracetamol", strength = "500 mg", form = "tablet", dose = new { morning = 1, night = 1, unit = "tablet" }, route = "oral",
        durationDays = 3, quantity = 6, instructions = "दिन में दो बार खाने के बाद",
    };

    /// <summary>Paracetamol for a school-age child: half a 500 mg tablet (250 mg, within 15 mg/kg a dose from 17 kg).</summary>
    public static readonly object ChildParacetamol = new
    {
        generic = "paracetamol", strength = "500 mg", form = "tablet", dose = new { morning = 0.5, night = 0.5, unit = "tablet" }, route = "oral",
        durationDays = 3, quantity = 3, instructions = "दिन में दो बार खाने के बाद",
    };

    public static readonly object Amoxicillin = new
    {
        generic = "amoxicillin", strength = "500 mg", form = "capsule", dose = new { morning = 1, afternoon = 1, night = 1, unit = "capsule" }, route = "oral", durationDays = 5, quantity = 15,
    };

    /// <summary>
    /// A started consultation in which the doctor saw the patient on video: both joined, the patient's camera on, the
    /// media flowing.
    /// </summary>
    public static async Task<Room> OnVideo(TelemedFactory host, TestPatient? patient = null)
    {
        var room = await Room.Start(host, patient);
        var (doctor, joined) = await room.JoinBoth(host);
        (await joined.Invoke("SetMediaState", room.ConsultationId, true, true)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await joined.Invoke("ReportConnected", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        await doctor.DisposeAsync();
        await joined.DisposeAsync();
        return room;
    }

    public static async Task<HttpResponseMessage> Put(HttpClient client, Room room, string part, object body, string? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/consultations/{room.ConsultationId}/record/{part}") { Content = JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        }
        return await client.SendAsync(request);
    }

    /// <summary>Writes a whole record, each change on the version the previous one returned; returns the last ETag.</summary>
    public static async Task<string> Write(HttpClient doctor, Room room, params (string Part, object Body)[] parts)
    {
        var current = await doctor.GetAsync($"/api/consultations/{room.ConsultationId}/record");
        await current.ShouldHave(HttpStatusCode.OK);
        var etag = current.Headers.ETag!.Tag;
        foreach (var (part, body) in parts)
        {
            var changed = await Put(doctor, room, part, body, etag);
            await changed.ShouldHave(HttpStatusCode.OK);
            etag = changed.Headers.ETag!.Tag;
        }
        return etag;
    }

    /// <summary>Completes the token; returns the prescription id (the record must have medicines).</summary>
    public static async Task<Guid> Complete(HttpClient doctor, Room room)
    {
        var completed = await doctor.PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null);
        await completed.ShouldHave(HttpStatusCode.OK);
        var record = await doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}/record");
        record.GetProperty("status").GetString().ShouldBe("completed");
        return record.GetProperty("prescriptionId").GetGuid();
    }

    /// <summary>
    /// A video consultation with a diagnosis and two medicines, completed: its prescription is signed. A child's
    /// prescription needs <paramref name="weightKg"/> in the vitals, and gets a child's dose of paracetamol.
    /// </summary>
    public static async Task<(Room Room, Guid PrescriptionId)> Prescribed(TelemedFactory host, TestPatient? patient = null, decimal? weightKg = null)
    {
        var room = await OnVideo(host, patient);
        var doctor = host.As(room.DoctorToken);
        await Write(doctor, room,
            ("vitals", new
            {
                systolic = new { value = 128, unit = "mmHg" }, diastolic = new { value = 82, unit = "mmHg" }, pulse = new { value = 88, unit = "/min" },
                weight = weightKg is { } kg ? new { value = kg, unit = "kg" } : null,
            }),
            ("notes", new { chiefComplaints = "Fever and sore throat for 2 days", advice = "Warm fluids, rest", investigationsAdvised = "CBC if fever persists" }),
            ("diagnosis", new { text = "Acute pharyngitis", codeSystem = "icd10", code = "J02.9" }),
            ("prescription", new { kind = "firstConsult", medicines = new[] { weightKg is null ? Paracetamol : ChildParacetamol, Amoxicillin } }));
        return (room, await Complete(doctor, room));
    }
}
