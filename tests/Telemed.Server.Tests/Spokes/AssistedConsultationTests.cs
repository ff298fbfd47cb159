using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Serialization;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Consultations;
using Telemed.Server.Records;
using Telemed.Server.Spokes;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Spokes;

public class AssistedConsultationTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    [Fact]
    public async Task A_patient_brought_in_at_a_spoke_is_seen_by_a_hub_doctor_with_the_health_worker_in_the_room_and_dispensed_at_the_spoke()
    {
        var world = await SpokeWorld.Create(Host);
        var patientId = await world.Register(Host);

        var rosters = await world.HealthWorker.GetFromJsonAsync<JsonElement>("/api/spoke/rosters?specialty=paed");
        rosters.EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ShouldContain(world.RosterId);
        var (sessionId, token) = await world.BookAndCheckIn(Host, patientId);

        var queue = await world.Doctor.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}/queue");
        var row = queue.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("token").GetInt32() == token);
        var assisted = row.GetProperty("assistedBy");
        assisted.GetProperty("name").GetString().ShouldBe(world.HealthWorkerName);
        assisted.GetProperty("cadre").GetString().ShouldBe("anm");
        assisted.GetProperty("spokeName").GetString().ShouldBe(world.SpokeName);
        row.GetProperty("complaint").GetString().ShouldBe("Fever for three days");

        await (await world.Doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
        var started = await world.Doctor.PostAsync($"/api/sessions/{sessionId}/tokens/{token}/start", null);
        await started.ShouldHave(HttpStatusCode.OK);
        var consultationId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consultationId").GetGuid();

        var request = (await world.HealthWorker.GetFromJsonAsync<JsonElement>("/api/spoke/requests")).EnumerateArray().Single(r => r.GetProperty("sessionId").GetGuid() == sessionId);
        request.GetProperty("consultationId").GetGuid().ShouldBe(consultationId);
        request.GetProperty("state").GetString().ShouldBe("inConsultation");

        await using var healthWorkerHub = await HubClient.Connect(Host, "/hubs/consultation", world.HealthWorkerToken, Room.Pushes);
        await using var doctorHub = await HubClient.Connect(Host, "/hubs/consultation", world.DoctorToken, Room.Pushes);
        (await healthWorkerHub.Invoke("JoinRoom", consultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        var room = await doctorHub.Invoke("JoinRoom", consultationId);
        room.GetProperty("value").GetProperty("present").EnumerateArray()
            .ShouldContain(p => p.GetProperty("accountId").GetGuid() == world.HealthWorkerId && p.GetProperty("role").GetString() == "healthWorker");

        var record = await world.Doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{consultationId}/record");
        record.GetProperty("vitals").GetProperty("temperatureCelsius").GetDecimal().ShouldBe(38.4m);
        var doctorRoom = new Room(sessionId, consultationId, null!, world.DoctorToken);
        await Clinical.Write(world.Doctor, doctorRoom,
            ("notes", new { chiefComplaints = "Fever for three days", advice = "Fluids, rest" }),
            ("diagnosis", new { text = "Viral fever", codeSystem = "icd10", code = "B34.9" }),
            ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol } }));
        await (await world.Doctor.PostAsync($"/api/sessions/{sessionId}/tokens/{token}/complete", null)).ShouldHave(HttpStatusCode.OK);
        var prescriptionId = (await world.Doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{consultationId}/record")).GetProperty("prescriptionId").GetGuid();

        await using (var db = Host.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var events = (await db.Events.FetchStreamAsync(consultationId)).Select(e => e.Data).ToList();
            events.OfType<ConsultationStarted>().Single().HealthWorkerId.ShouldBe(world.HealthWorkerId);
            events.OfType<VitalsRecorded>().First().By.ShouldBe(world.HealthWorkerId);
            events.OfType<ParticipantJoined>().ShouldContain(j => j.AccountId == world.HealthWorkerId && j.Role == ParticipantRole.HealthWorker);
            var reads = (await db.Events.FetchStreamAsync(patientId)).Select(e => e.Data).OfType<RecordRead>().ToList();
            reads.ShouldContain(r => r.ReaderId == world.HealthWorkerId && r.Basis == "HealthWorker");
            (await db.Events.FetchStreamAsync(patientId)).Select(e => e.Data).OfType<PatientBroughtIn>().Single().SpokeId.ShouldBe(world.SpokeId);
            var linked = $"facility/{world.SpokeId}/hub/{Sessions.Facility}";
            (await db.Query<Telemed.Server.Audit.AuditEntry>().Where(a => a.Resource == linked).ToListAsync()).ShouldContain(a => a.Action == "link spoke to hub");
        }

        await (await world.Receive("paracetamol", "500 mg", "tablet", 20)).ShouldHave(HttpStatusCode.Created);
        var forSpoke = await world.Pharmacist.GetFromJsonAsync<JsonElement>("/api/pharmacy/spoke-prescriptions");
        forSpoke.EnumerateArray().ShouldContain(p => p.GetProperty("prescriptionId").GetGuid() == prescriptionId);
        var dispensed = await world.Pharmacist.PostAsJsonAsync($"/api/pharmacy/prescriptions/{prescriptionId}/dispensations",
            new { requestId = Guid.NewGuid(), lines = new[] { new { line = 0, quantity = 6 } } });
        await dispensed.ShouldHave(HttpStatusCode.OK);
        (await world.Pharmacist.GetFromJsonAsync<JsonElement>("/api/pharmacy/spoke-prescriptions")).EnumerateArray()
            .Single(p => p.GetProperty("prescriptionId").GetGuid() == prescriptionId).GetProperty("fullyDispensed").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task The_signed_prescription_of_an_assisted_consultation_names_the_health_worker_and_their_spoke()
    {
        var world = await SpokeWorld.Create(Host);

        var prescriptionId = await world.Prescribed(Host);

        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var prescription = (await Telemed.Server.Prescriptions.PrescriptionEndpoints.Load(query, prescriptionId, TestContext.Current.CancellationToken))!;
        var assisted = prescription.Content.AssistedBy.ShouldNotBeNull();
        (assisted.Id, assisted.Name, assisted.Spoke.Id, assisted.Spoke.Name).ShouldBe((world.HealthWorkerId, world.HealthWorkerName, world.SpokeId, world.SpokeName));
        Telemed.Domain.Prescriptions.PrescriptionSignature.Payload(prescription.Content).ShouldBe(
            Telemed.Domain.Prescriptions.Base64Url.Decode(prescription.Jws.Split('.')[1])!, "the health worker is part of what the doctor signed");
    }

    [Fact]
    public async Task The_record_of_an_assisted_consultation_names_the_health_worker_and_their_spoke()
    {
        var world = await SpokeWorld.Create(Host);
        var patientId = await world.Register(Host);
        var (sessionId, token) = await world.BookAndCheckIn(Host, patientId);
        await (await world.Doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
        var started = await world.Doctor.PostAsync($"/api/sessions/{sessionId}/tokens/{token}/start", null);
        await started.ShouldHave(HttpStatusCode.OK);
        var consultationId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consultationId").GetGuid();
        await (await world.Doctor.PostAsync($"/api/sessions/{sessionId}/tokens/{token}/complete", null)).ShouldHave(HttpStatusCode.OK);

        var record = await world.Doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{consultationId}/record");
        var assisted = record.GetProperty("assistedBy");
        assisted.GetProperty("healthWorkerId").GetGuid().ShouldBe(world.HealthWorkerId);
        assisted.GetProperty("name").GetString().ShouldBe(world.HealthWorkerName);
        assisted.GetProperty("cadre").GetString().ShouldBe("anm");
        assisted.GetProperty("spokeId").GetGuid().ShouldBe(world.SpokeId);
        assisted.GetProperty("spokeName").GetString().ShouldBe(world.SpokeName);
        record.GetProperty("vitalsBy").GetGuid().ShouldBe(world.HealthWorkerId);

        var json = await world.Doctor.GetStringAsync($"/api/consultations/{consultationId}/fhir");
        var bundle = new FhirJsonDeserializer(new DeserializerSettings()).Deserialize<Hl7.Fhir.Model.Bundle>(json);
        FhirDocuments.Problems(bundle).ShouldBeEmpty();
        var byUrl = bundle.Entry.ToDictionary(e => e.FullUrl!, e => e.Resource);
        var composition = bundle.Entry[0].Resource.ShouldBeOfType<Hl7.Fhir.Model.Composition>();
        var role = byUrl[composition.Author.Single(a => a.Type == "PractitionerRole").Reference].ShouldBeOfType<Hl7.Fhir.Model.PractitionerRole>();
        byUrl[role.Practitioner.Reference].ShouldBeOfType<Hl7.Fhir.Model.Practitioner>().Name.ShouldHaveSingleItem().Text.ShouldBe(world.HealthWorkerName);
        byUrl[role.Organization.Reference].ShouldBeOfType<Hl7.Fhir.Model.Organization>().Name.ShouldBe(world.SpokeName);
        var encounter = bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Encounter>().ShouldHaveSingleItem();
        encounter.Participant.ShouldContain(p => p.Individual.Reference == composition.Author[1].Reference && p.Type[0].Coding[0].Code == "SPRF");
        bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Observation>()
            .ShouldAllBe(o => o.Performer.Single().Reference == composition.Author[1].Reference, "the health worker took the vitals");
    }

    [Fact]
    public async Task A_family_found_by_its_number_with_the_code_read_out_is_brought_in_dependants_included()
    {
        var world = await SpokeWorld.Create(Host);
        var guardian = await Host.RegisterPatient(Api.NewMobile());
        var child = await Host.As(guardian.Tokens.AccessToken).PostAsJsonAsync("/api/dependants", new { name = "Chhotu Rao", yearOfBirth = 2018, sex = "male", relation = "parent" });
        await child.ShouldHave(HttpStatusCode.Created);

        var wrong = await world.HealthWorker.PostAsJsonAsync("/api/spoke/patients/find", new { mobile = guardian.Patient.Mobile, code = "000000" });
        (await wrong.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("code", out _).ShouldBeTrue();

        var code = await Host.SendCodeAndRead(guardian.Patient.Mobile);
        var found = await world.HealthWorker.PostAsJsonAsync("/api/spoke/patients/find", new { mobile = guardian.Patient.Mobile, code });
        await found.ShouldHave(HttpStatusCode.OK);
        var family = await found.Content.ReadFromJsonAsync<JsonElement>();
        family.GetArrayLength().ShouldBe(2);
        var mine = await world.HealthWorker.GetFromJsonAsync<JsonElement>("/api/spoke/patients");
        mine.EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldBe(["Chhotu Rao", "Kavita Rao"], ignoreOrder: true);

        var sibling = await world.HealthWorker.PostAsJsonAsync("/api/spoke/patients", new { name = "Munni Rao", yearOfBirth = 2020, sex = "female", guardianId = guardian.Patient.Id, relation = "parent" });
        await sibling.ShouldHave(HttpStatusCode.Created);
        (await sibling.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("guardianId").GetGuid().ShouldBe(guardian.Patient.Id);

        var minor = family.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Chhotu Rao").GetProperty("id").GetGuid();
        var (sessionId, slot) = await world.FreeSlot(Host);
        await (await world.HealthWorker.PostAsJsonAsync($"/api/spoke/rosters/{world.RosterId}/bookings", new { patientId = minor, slot })).ShouldHave(HttpStatusCode.Created);
        var alone = await world.HealthWorker.PostAsJsonAsync($"/api/spoke/sessions/{sessionId}/check-in", new { patientId = minor });
        (await alone.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("MinorUnaccompanied");
        var accompanied = await world.HealthWorker.PostAsJsonAsync($"/api/spoke/sessions/{sessionId}/check-in",
            new { patientId = minor, accompaniedBy = new { name = "Kavita Rao", relation = "parent" } });
        await accompanied.ShouldHave(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_new_family_is_registered_at_a_spoke_only_with_the_code_sent_to_its_number()
    {
        var world = await SpokeWorld.Create(Host);
        var mobile = Api.NewMobile();
        object Ramesh(string? code) => new { name = "Ramesh Yadav", yearOfBirth = 1970, sex = "male", mobile, code };

        var noCode = await world.HealthWorker.PostAsJsonAsync("/api/spoke/patients", Ramesh(null));
        (await noCode.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("code", out _).ShouldBeTrue();
        var notSent = await world.HealthWorker.PostAsJsonAsync("/api/spoke/patients", Ramesh("123456"));
        (await notSent.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("code")[0].GetString()!.ShouldContain("No code is waiting");
        var code = await Host.SendCodeAndRead(mobile);
        var wrong = await world.HealthWorker.PostAsJsonAsync("/api/spoke/patients", Ramesh(code == "000000" ? "111111" : "000000"));
        (await wrong.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("code")[0].GetString()!.ShouldContain("wrong");
        (await world.HealthWorker.GetFromJsonAsync<JsonElement>("/api/spoke/patients")).GetArrayLength().ShouldBe(0);

        var registered = await world.HealthWorker.PostAsJsonAsync("/api/spoke/patients", Ramesh(code));
        await registered.ShouldHave(HttpStatusCode.Created);
        var patientId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var child = await world.HealthWorker.PostAsJsonAsync("/api/spoke/patients", new { name = "Chhotu Yadav", yearOfBirth = 2019, sex = "male", guardianId = patientId, relation = "parent" });
        await child.ShouldHave(HttpStatusCode.Created);
        (await world.HealthWorker.GetFromJsonAsync<JsonElement>("/api/spoke/patients")).GetArrayLength().ShouldBe(2, "a family member joins on the family's number, already checked");
    }

    [Fact]
    public async Task A_health_worker_acts_only_for_patients_they_brought_in_at_their_own_spoke()
    {
        var world = await SpokeWorld.Create(Host);
        var patientId = await world.Register(Host);
        var (sessionId, token) = await world.BookAndCheckIn(Host, patientId);
        var admin = await SpokeWorld.Admin(Host);
        var (_, colleagueToken) = await SpokeWorld.HealthWorkerAt(Host, admin, world.SpokeId, "Sunita Devi", "communityHealthOfficer");
        var unlinked = await SpokeWorld.Facility(admin, "HWC Unlinked");
        var (_, strangerToken) = await SpokeWorld.HealthWorkerAt(Host, admin, unlinked, "Pooja Singh");

        foreach (var other in new[] { Host.As(colleagueToken), Host.As(strangerToken) })
        {
            var (_, slot) = await world.FreeSlot(Host);
            (await (await other.PostAsJsonAsync($"/api/spoke/rosters/{world.RosterId}/bookings", new { patientId, slot })).Problem()).GetProperty("status").GetInt32().ShouldBe(404);
            (await (await other.PostAsJsonAsync($"/api/spoke/sessions/{sessionId}/check-in", new { patientId })).Problem()).GetProperty("status").GetInt32().ShouldBe(404);
            (await other.GetFromJsonAsync<JsonElement>("/api/spoke/patients")).GetArrayLength().ShouldBe(0);
            (await other.GetFromJsonAsync<JsonElement>("/api/spoke/requests")).GetArrayLength().ShouldBe(0);
        }
        (await Host.As(strangerToken).GetFromJsonAsync<JsonElement>("/api/spoke/rosters")).GetArrayLength().ShouldBe(0, "an unlinked spoke sees no hub's rosters");

        await (await world.Doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
        var started = await world.Doctor.PostAsync($"/api/sessions/{sessionId}/tokens/{token}/start", null);
        var consultationId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consultationId").GetGuid();
        await using var colleague = await HubClient.Connect(Host, "/hubs/consultation", colleagueToken, Room.Pushes);
        var refused = await colleague.Invoke("JoinRoom", consultationId);
        refused.GetProperty("ok").GetBoolean().ShouldBeFalse();
        refused.GetProperty("error").GetProperty("code").GetString().ShouldBe("NotParticipant");
        (await Host.As(colleagueToken).GetAsync($"/api/consultations/{consultationId}")).IsSuccessStatusCode.ShouldBeFalse();
    }

    [Fact]
    public async Task Ten_health_workers_booking_one_slot_at_once_get_it_exactly_once()
    {
        var world = await SpokeWorld.Create(Host);
        var admin = await SpokeWorld.Admin(Host);
        var workers = new List<(HttpClient Client, Guid Patient)>();
        for (var i = 0; i < 10; i++)
        {
            var (_, hwToken) = await SpokeWorld.HealthWorkerAt(Host, admin, world.SpokeId, $"Worker {i}");
            var client = Host.As(hwToken);
            var mobile = Api.NewMobile();
            var created = await client.PostAsJsonAsync("/api/spoke/patients", new { name = $"Patient {i}", yearOfBirth = 1980, sex = "female", mobile, code = await Host.SendCodeAndRead(mobile) });
            workers.Add((client, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()));
        }
        var (sessionId, slot) = await world.FreeSlot(Host);

        var answers = await Task.WhenAll(workers.Select(w => w.Client.PostAsJsonAsync($"/api/spoke/rosters/{world.RosterId}/bookings", new { patientId = w.Patient, slot })));

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            (await refused.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("SlotTaken");
        }
        var slots = await world.HealthWorker.GetFromJsonAsync<JsonElement>($"/api/spoke/rosters/{world.RosterId}/slots");
        slots.GetProperty("sessionId").GetGuid().ShouldBe(sessionId);
        slots.GetProperty("slots").EnumerateArray().Single(s => s.GetProperty("slot").GetInt32() == slot).GetProperty("free").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Wrong_rosters_links_and_health_workers_are_refused_naming_what_was_wrong()
    {
        var world = await SpokeWorld.Create(Host);
        var admin = await SpokeWorld.Admin(Host);

        var overlapping = await world.Doctor.PostAsJsonAsync("/api/rosters", new { hubId = Sessions.Facility, specialty = "Paediatrics", days = new[] { "monday" }, from = "10:00", to = "11:00", capacity = 2 });
        (await overlapping.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("from")[0].GetString()!.ShouldContain("overlap");
        var notHub = await world.Doctor.PostAsJsonAsync("/api/rosters", new { hubId = world.SpokeId, specialty = "Paediatrics", days = new[] { "monday" }, from = "10:00", to = "11:00", capacity = 2 });
        (await notHub.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("hubId", out _).ShouldBeTrue();

        var spokeAsHub = await admin.PostAsJsonAsync("/api/admin/hub-spokes", new { hubId = world.SpokeId, spokeId = await SpokeWorld.Facility(admin, "HWC Other") });
        (await spokeAsHub.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("HubIsSpoke");
        var noCadre = await admin.PostAsJsonAsync("/api/admin/health-workers", new { name = "X Y", email = "x.y@spoke.example.in", cadre = "nurse", facilityId = world.SpokeId });
        (await noCadre.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("cadre", out _).ShouldBeTrue();

        var patientId = await world.Register(Host);
        var (sessionId, _) = await world.FreeSlot(Host);
        var badVitals = await world.HealthWorker.PostAsJsonAsync($"/api/spoke/sessions/{sessionId}/check-in",
            new { patientId, vitals = new { systolic = new { value = 80, unit = "mmHg" }, diastolic = new { value = 90, unit = "mmHg" } } });
        (await badVitals.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("vitals.diastolic", out _).ShouldBeTrue();

        await (await admin.PostAsJsonAsync("/api/admin/hub-spokes/unlink", new { hubId = Sessions.Facility, spokeId = world.SpokeId })).ShouldHave(HttpStatusCode.OK);
        (await (await world.HealthWorker.GetAsync($"/api/spoke/rosters/{world.RosterId}/slots")).Problem()).GetProperty("status").GetInt32().ShouldBe(404);
        var links = await admin.GetFromJsonAsync<JsonElement>("/api/admin/hub-spokes");
        links.EnumerateArray().ShouldNotContain(l => l.GetProperty("spokeId").GetGuid() == world.SpokeId);
    }
}
