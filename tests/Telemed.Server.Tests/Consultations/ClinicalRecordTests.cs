using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Consultations;

public class ClinicalRecordTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    [Fact]
    public async Task Completing_while_the_patient_joins_the_room_signs_once_and_never_fails()
    {
        // Each round races the patient's ParticipantJoined against the completion's write to the consultation stream.
        for (var round = 0; round < 8; round++)
        {
            var room = await Room.Start(server.Host);
            var doctor = server.Host.As(room.DoctorToken);
            await Clinical.Write(doctor, room, ("diagnosis", new { text = "Viral fever" }),
                ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol } }));
            await using var patient = await HubClient.Connect(server.Host, "/hubs/consultation", room.Patient.AccessToken, Room.Pushes);

            var joining = patient.Invoke("JoinRoom", room.ConsultationId);
            var completing = doctor.PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null);
            await Task.WhenAll(joining, completing);

            await (await completing).ShouldHave(HttpStatusCode.OK);
            var record = await doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}/record");
            record.GetProperty("status").GetString().ShouldBe("completed");
            await using var query = server.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var events = await query.Events.FetchStreamAsync(room.ConsultationId);
            events.Count(e => e.Data is Telemed.Domain.Consultations.PrescriptionIssued).ShouldBe(1, $"round {round}");
        }
    }

    [Fact]
    public async Task Completing_a_consultation_signs_its_prescription_verifiably_against_the_published_keys()
    {
        var room = await Clinical.OnVideo(Host);
        var doctor = Host.As(room.DoctorToken);
        await Clinical.Write(doctor, room,
            ("vitals", new { systolic = new { value = 128, unit = "mmHg" }, diastolic = new { value = 82, unit = "mmHg" }, temperature = new { value = 100.4, unit = "[degF]" } }),
            ("notes", new { chiefComplaints = "Fever and sore throat for 2 days", advice = "Warm fluids, rest", investigationsAdvised = "CBC if fever persists" }),
            ("diagnosis", new { text = "Acute pharyngitis", codeSystem = "icd10", code = "J02.9" }),
            ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol, Clinical.Amoxicillin } }));

        var prescriptionId = await Clinical.Complete(doctor, room);

        var patient = Host.As(room.Patient.AccessToken);
        var prescription = await patient.GetFromJsonAsync<JsonElement>($"/api/prescriptions/{prescriptionId}");
        prescription.GetProperty("status").GetString().ShouldBe("valid");
        var content = prescription.GetProperty("content");
        content.GetProperty("doctor").GetProperty("hprId").GetString().ShouldStartWith("71-");
        content.GetProperty("diagnosis").GetProperty("code").GetProperty("code").GetString().ShouldBe("J02.9");
        content.GetProperty("medicines").GetArrayLength().ShouldBe(2);
        content.GetProperty("medium").GetString().ShouldBe("video");
        prescription.GetProperty("verificationUrl").GetString().ShouldEndWith($"/verify/{prescriptionId}");

        var jwks = JsonNode.Parse(await Host.CreateClient().GetStringAsync("/.well-known/jwks.json"))!["keys"]!.AsArray();
        var verified = PrescriptionSignature.Verify(prescription.GetProperty("jws").GetString(),
            kid => Jwk.ToPublicKey(jwks.FirstOrDefault(k => k!["kid"]!.GetValue<string>() == kid)));
        verified.IsSuccess.ShouldBeTrue(verified.IsSuccess ? null : verified.Error.ToString());
        verified.Value.Content.PrescriptionId.ShouldBe(prescriptionId);
        verified.Value.Content.Medicines[0].Instructions.ShouldBe("दिन में दो बार खाने के बाद");
    }

    [Fact]
    public async Task Only_its_patient_and_its_doctor_read_a_prescription()
    {
        var room = await Clinical.OnVideo(Host);
        var doctor = Host.As(room.DoctorToken);
        await Clinical.Write(doctor, room, ("diagnosis", new { text = "Fever" }), ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol } }));
        var prescriptionId = await Clinical.Complete(doctor, room);
        var stranger = (await Host.CreatePatients(1))[0];

        await (await Host.As(stranger.AccessToken).GetAsync($"/api/prescriptions/{prescriptionId}")).ShouldHave(HttpStatusCode.Forbidden);
        await (await Host.As(stranger.AccessToken).GetAsync($"/api/consultations/{room.ConsultationId}/record")).ShouldHave(HttpStatusCode.Forbidden);
        var otherDoctor = await Sessions.Doctor(Host, "rahul.nair@telemed.local");
        await (await otherDoctor.GetAsync($"/api/prescriptions/{prescriptionId}")).ShouldHave(HttpStatusCode.Forbidden);
        await (await doctor.GetAsync($"/api/prescriptions/{prescriptionId}")).ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TPG_lists_are_enforced_with_a_reason_per_line()
    {
        var room = await Room.Start(Host); // joined by nobody: no call, so this is a chat consultation
        var doctor = Host.As(room.DoctorToken);
        var etag = await Clinical.Write(doctor, room);

        var refused = await Clinical.Put(doctor, room, "prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol, Clinical.Amoxicillin } }, etag);

        await refused.ShouldHave(HttpStatusCode.UnprocessableEntity);
        var problem = await refused.Problem();
        problem.GetProperty("code").GetString().ShouldBe("NotAllowedByTpg");
        problem.GetProperty("detail").GetString()!.ShouldContain("Line 2: amoxicillin is on List A");

        var prohibited = await Clinical.Put(doctor, room, "prescription", new
        {
            kind = "firstConsult",
            medicines = new[] { new { generic = "alprazolam", strength = "0.25 mg", form = "tablet", dose = new { night = 1, unit = "tablet" }, route = "oral", durationDays = 7, quantity = 7 } },
        }, etag);
        (await prohibited.Problem()).GetProperty("detail").GetString()!.ShouldContain("never");
    }

    [Fact]
    public async Task A_follow_up_and_a_refill_are_proved_from_the_history_and_video_from_the_patients_camera()
    {
        var patient = (await Host.CreatePatients(1))[0];
        await Clinical.Prescribed(Host, patient); // acute pharyngitis (J02.9), seen on video: paracetamol and amoxicillin
        var room = await Room.Start(Host, patient);
        var doctor = Host.As(room.DoctorToken);
        var etag = await Clinical.Write(doctor, room, ("diagnosis", new { text = "Acute pharyngitis", codeSystem = "icd10", code = "J02.9" }));
        var amoxicillinRefill = new
        {
            generic = "amoxicillin", strength = "500 mg", form = "capsule", dose = new { morning = 1, afternoon = 1, night = 1, unit = "capsule" }, route = "oral", durationDays = 5, quantity = 15,
            purpose = "refill",
        };
        object FollowUp(object line) => new { kind = "followUp", medicines = new[] { line } };

        var notSeen = await Clinical.Put(doctor, room, "prescription", FollowUp(amoxicillinRefill), etag);
        await notSeen.ShouldHave(HttpStatusCode.UnprocessableEntity);
        (await notSeen.Problem()).GetProperty("detail").GetString()!.ShouldContain("continuing it needs the patient seen on video");

        var (doctorHub, patientHub) = await room.JoinBoth(Host);
        await using var _ = doctorHub;
        await using var __ = patientHub;
        (await patientHub.Invoke("ReportConnected", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        var cameraNeverOn = await Clinical.Put(doctor, room, "prescription", FollowUp(amoxicillinRefill), etag);
        await cameraNeverOn.ShouldHave(HttpStatusCode.UnprocessableEntity);
        // The doctor's camera is no evidence of having seen the patient; the patient's is.
        (await doctorHub.Invoke("SetMediaState", room.ConsultationId, true, true)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        await (await Clinical.Put(doctor, room, "prescription", FollowUp(amoxicillinRefill), etag)).ShouldHave(HttpStatusCode.UnprocessableEntity);
        (await patientHub.Invoke("SetMediaState", room.ConsultationId, true, true)).GetProperty("ok").GetBoolean().ShouldBeTrue();

        var seen = await Clinical.Put(doctor, room, "prescription", FollowUp(amoxicillinRefill), etag);
        await seen.ShouldHave(HttpStatusCode.OK);
        (await seen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("medium").GetString().ShouldBe("video");
        etag = seen.Headers.ETag!.Tag;

        var neverPrescribed = await Clinical.Put(doctor, room, "prescription", FollowUp(new
        {
            generic = "cefixime", strength = "200 mg", form = "tablet", dose = new { morning = 1, night = 1, unit = "tablet" }, route = "oral", durationDays = 5, quantity = 10, purpose = "refill",
        }), etag);
        (await neverPrescribed.Problem()).GetProperty("detail").GetString()!.ShouldContain("no earlier prescription for this patient holds it");

        var rediagnosed = await Clinical.Put(doctor, room, "diagnosis", new { text = "Migraine" }, etag);
        await rediagnosed.ShouldHave(HttpStatusCode.OK);
        var notAFollowUp = await Clinical.Put(doctor, room, "prescription", FollowUp(amoxicillinRefill), rediagnosed.Headers.ETag!.Tag);
        await notAFollowUp.ShouldHave(HttpStatusCode.UnprocessableEntity);
        (await notAFollowUp.Problem()).GetProperty("code").GetString().ShouldBe("FollowUpNotProved");

        // The prescription written before the diagnosis changed is checked again at signing, and refused.
        var completed = await doctor.PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null);
        await completed.ShouldHave(HttpStatusCode.Conflict);
        (await completed.Problem()).GetProperty("detail").GetString()!.ShouldContain("not a follow-up");
    }

    [Fact]
    public async Task Bad_input_is_refused_field_by_field_and_stale_or_missing_versions_are_refused()
    {
        var room = await Room.Start(Host);
        var doctor = Host.As(room.DoctorToken);
        var etag = await Clinical.Write(doctor, room);

        var invalid = await Clinical.Put(doctor, room, "vitals", new { spO2 = new { value = 140, unit = "%" }, weight = new { value = 70, unit = "stone" } }, etag);
        await invalid.ShouldHave(HttpStatusCode.BadRequest);
        var errors = (await invalid.Problem()).GetProperty("errors");
        errors.GetProperty("vitals.spO2").EnumerateArray().ShouldNotBeEmpty();
        errors.GetProperty("vitals.weight").EnumerateArray().ShouldNotBeEmpty();

        var unknown = await Clinical.Put(doctor, room, "prescription", new { kind = "firstConsult", medicines = new[] { new { generic = "Crocin", strength = "500 mg" } } }, etag);
        (await unknown.Problem()).GetProperty("errors").GetProperty("medicines[0].generic")[0].GetString()!.ShouldContain("generic name");

        await (await Clinical.Put(doctor, room, "notes", new { chiefComplaints = "Cough" }, null)).ShouldHave(HttpStatusCode.PreconditionRequired);
        await (await Clinical.Put(doctor, room, "notes", new { chiefComplaints = "Cough" }, etag)).ShouldHave(HttpStatusCode.OK);
        await (await Clinical.Put(doctor, room, "notes", new { chiefComplaints = "Cough and cold" }, etag)).ShouldHave(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task The_call_joining_and_chatting_does_not_make_the_doctors_record_stale()
    {
        var room = await Room.Start(Host);
        var doctor = Host.As(room.DoctorToken);
        var etag = await Clinical.Write(doctor, room);
        var (doctorHub, patientHub) = await room.JoinBoth(Host);
        await using var _ = doctorHub;
        await using var __ = patientHub;
        (await patientHub.Invoke("SendChat", room.ConsultationId, Guid.NewGuid(), "Hello doctor")).GetProperty("ok").GetBoolean().ShouldBeTrue();

        await (await Clinical.Put(doctor, room, "notes", new { chiefComplaints = "Cough" }, etag)).ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Only_the_consulting_doctor_writes_the_record()
    {
        var room = await Room.Start(Host);
        var etag = await Clinical.Write(Host.As(room.DoctorToken), room);
        await (await Clinical.Put(Host.As(room.Patient.AccessToken), room, "notes", new { chiefComplaints = "I feel fine" }, etag)).ShouldHave(HttpStatusCode.Forbidden);
        var otherDoctor = await Sessions.Doctor(Host, "rahul.nair@telemed.local");
        await (await Clinical.Put(otherDoctor, room, "notes", new { chiefComplaints = "x" }, etag)).ShouldHave(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_completed_record_is_locked_and_corrected_by_addenda_once_each()
    {
        var room = await Room.Start(Host);
        var doctor = Host.As(room.DoctorToken);
        var etag = await Clinical.Write(doctor, room, ("notes", new { chiefComplaints = "Cough for 3 days" }));
        await (await doctor.PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null)).ShouldHave(HttpStatusCode.OK);

        var locked = await Clinical.Put(doctor, room, "notes", new { chiefComplaints = "Cough for 5 days" }, (await doctor.GetAsync($"/api/consultations/{room.ConsultationId}/record")).Headers.ETag!.Tag);
        await locked.ShouldHave(HttpStatusCode.Conflict);
        (await locked.Problem()).GetProperty("code").GetString().ShouldBe("RecordLocked");

        var addendum = new { addendumId = Guid.NewGuid(), text = "Cough since 5 days, not 3." };
        await (await doctor.PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/record/addenda", addendum)).ShouldHave(HttpStatusCode.OK);
        var retried = await doctor.PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/record/addenda", addendum);
        await retried.ShouldHave(HttpStatusCode.OK);
        var record = await retried.Content.ReadFromJsonAsync<JsonElement>();
        record.GetProperty("addenda").GetArrayLength().ShouldBe(1);
        record.GetProperty("notes").GetProperty("chiefComplaints").GetString().ShouldBe("Cough for 3 days");
        record.GetProperty("prescriptionId").ValueKind.ShouldBe(JsonValueKind.Null, "no medicines, no prescription");
        etag.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_prescription_without_a_diagnosis_keeps_the_token_open_with_the_reason()
    {
        var room = await Room.Start(Host);
        var doctor = Host.As(room.DoctorToken);
        await Clinical.Write(doctor, room, ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol } }));

        var refused = await doctor.PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null);

        await refused.ShouldHave(HttpStatusCode.Conflict);
        (await refused.Problem()).GetProperty("detail").GetString()!.ShouldContain("diagnosis");
        var record = await doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}/record");
        record.GetProperty("status").GetString().ShouldBe("open");
    }

    [Fact]
    public async Task Its_doctor_revokes_a_prescription_with_a_reason_and_the_keys_rotate_without_breaking_old_ones()
    {
        var room = await Clinical.OnVideo(Host);
        var doctor = Host.As(room.DoctorToken);
        await Clinical.Write(doctor, room, ("diagnosis", new { text = "Fever" }), ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol } }));
        var prescriptionId = await Clinical.Complete(doctor, room);
        var before = await doctor.GetFromJsonAsync<JsonElement>($"/api/prescriptions/{prescriptionId}");

        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);
        var rotated = await admin.PostAsync("/api/admin/prescription-keys", null);
        await rotated.ShouldHave(HttpStatusCode.OK);
        var newKey = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keyId").GetString();
        newKey.ShouldNotBe(before.GetProperty("keyId").GetString());
        var kids = JsonNode.Parse(await Host.CreateClient().GetStringAsync("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).ToList();
        kids.ShouldContain(newKey);
        kids.ShouldContain(before.GetProperty("keyId").GetString());

        await (await Host.As(room.Patient.AccessToken).PostAsJsonAsync($"/api/prescriptions/{prescriptionId}/revoke", new { reason = "wrong" })).ShouldHave(HttpStatusCode.Forbidden);
        await (await doctor.PostAsJsonAsync($"/api/prescriptions/{prescriptionId}/revoke", new { reason = "" })).ShouldHave(HttpStatusCode.BadRequest);
        var revoked = await doctor.PostAsJsonAsync($"/api/prescriptions/{prescriptionId}/revoke", new { reason = "Dose was wrong; new prescription issued" });
        await revoked.ShouldHave(HttpStatusCode.OK);
        var after = await revoked.Content.ReadFromJsonAsync<JsonElement>();
        after.GetProperty("status").GetString().ShouldBe("revoked");
        after.GetProperty("revocationReason").GetString().ShouldBe("Dose was wrong; new prescription issued");
    }

    [Fact]
    public async Task Doctors_search_the_medicine_catalogue()
    {
        var doctor = await Sessions.Doctor(Host);
        var found = await doctor.GetFromJsonAsync<JsonElement>("/api/medicines?search=amox");
        found.EnumerateArray().First().GetProperty("generic").GetString().ShouldStartWith("amox");
        await (await doctor.GetAsync("/api/medicines?search=a")).ShouldHave(HttpStatusCode.BadRequest);
        var patient = (await Host.CreatePatients(1))[0];
        await (await Host.As(patient.AccessToken).GetAsync("/api/medicines?search=amox")).ShouldHave(HttpStatusCode.Forbidden);
    }
}
