using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Consultations;
using Telemed.Domain.Prescriptions;
using Telemed.Domain.Records;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Prescriptions;

/// <summary>Safety checks end to end: allergies on the patient's record, warnings at prescribing, overrides recorded and checked again at signing.</summary>
public class SafetyCheckTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private static readonly object Penicillin = new { substance = "Penicillin", reaction = "urticaria and facial swelling", severity = "severe", verified = true };

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        await response.ShouldHave(status);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<HttpResponseMessage> PrescribeAmoxicillin(HttpClient doctor, Room room, string etag, object[]? overrides = null) =>
        Clinical.Put(doctor, room, "prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol, Clinical.Amoxicillin }, overrides }, etag);

    [Fact]
    public async Task An_allergy_recorded_by_the_doctor_refuses_the_prescription_until_overridden_with_a_reason_which_the_consultation_records()
    {
        var room = await Clinical.OnVideo(Host);
        var doctor = Host.As(room.DoctorToken);
        var recorded = await doctor.PostAsJsonAsync($"/api/patients/{room.Patient.Id}/allergies", Penicillin);
        await recorded.ShouldHave(HttpStatusCode.Created);
        var allergies = await Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>($"/api/patients/{room.Patient.Id}/allergies");
        var allergy = allergies.EnumerateArray().ShouldHaveSingleItem();
        allergy.GetProperty("substance").GetString().ShouldBe("penicillin");
        allergy.GetProperty("verified").GetBoolean().ShouldBeTrue();

        var etag = await Clinical.Write(doctor, room, ("diagnosis", new { text = "Acute pharyngitis", codeSystem = "icd10", code = "J02.9" }));
        var refused = await Problem(await PrescribeAmoxicillin(doctor, room, etag), HttpStatusCode.UnprocessableEntity);
        refused.GetProperty("code").GetString().ShouldBe("SafetyWarnings");
        var warning = refused.GetProperty("warnings").EnumerateArray().ShouldHaveSingleItem();
        warning.GetProperty("code").GetString().ShouldBe("Allergy");
        warning.GetProperty("line").GetInt32().ShouldBe(1);
        warning.GetProperty("message").GetString()!.ShouldContain("allergic to penicillin (severe urticaria and facial swelling, verified by a doctor)");

        var noReason = await Problem(await PrescribeAmoxicillin(doctor, room, etag, [new { code = "Allergy", line = 1, reason = "" }]), HttpStatusCode.BadRequest);
        noReason.GetProperty("errors").TryGetProperty("overrides[0].reason", out _).ShouldBeTrue();

        const string reason = "Skin test negative last month; no alternative in stock at the spoke.";
        var prescribed = await PrescribeAmoxicillin(doctor, room, etag, [new { code = "Allergy", line = 1, reason }]);
        await prescribed.ShouldHave(HttpStatusCode.OK);
        var record = await prescribed.Content.ReadFromJsonAsync<JsonElement>();
        record.GetProperty("overrides").EnumerateArray().ShouldHaveSingleItem().GetProperty("reason").GetString().ShouldBe(reason);

        await Clinical.Complete(doctor, room);
        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await query.Events.FetchStreamAsync(room.ConsultationId);
        var overridden = events.Select(e => e.Data).OfType<MedicinesPrescribed>().Last().Overrides!.ShouldHaveSingleItem();
        overridden.Reason.ShouldBe(reason);
        overridden.Warning.ShouldContain("penicillin");
        (await query.Events.FetchStreamAsync(room.Patient.Id)).Select(e => e.Data).OfType<AllergyRecorded>().ShouldHaveSingleItem()
            .Allergy.RecordedBy.ShouldNotBe(room.Patient.Id);
    }

    [Fact]
    public async Task An_allergy_reported_after_the_prescription_was_written_stops_its_signing_until_the_doctor_overrides_it()
    {
        var room = await Clinical.OnVideo(Host);
        var doctor = Host.As(room.DoctorToken);
        var etag = await Clinical.Write(doctor, room, ("diagnosis", new { text = "Acute pharyngitis" }),
            ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol, Clinical.Amoxicillin } }));

        var patient = Host.As(room.Patient.AccessToken);
        var reported = await patient.PostAsJsonAsync($"/api/patients/{room.Patient.Id}/allergies",
            new { substance = "amoxicillin", reaction = "rash", severity = "mild" });
        await reported.ShouldHave(HttpStatusCode.Created);
        (await reported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verified").GetBoolean().ShouldBeFalse();

        var completing = await doctor.PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null);
        (await Problem(completing, HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("amoxicillin (mild rash, reported, not verified)");

        await (await PrescribeAmoxicillin(doctor, room, etag, [new { code = "Allergy", line = 1, reason = "Rash was viral, seen by me then." }]))
            .ShouldHave(HttpStatusCode.OK);
        await Clinical.Complete(doctor, room);
    }

    [Fact]
    public async Task A_resolved_allergy_is_no_longer_checked()
    {
        var room = await Clinical.OnVideo(Host);
        var doctor = Host.As(room.DoctorToken);
        var recorded = await (await doctor.PostAsJsonAsync($"/api/patients/{room.Patient.Id}/allergies", Penicillin)).Content.ReadFromJsonAsync<JsonElement>();
        var resolved = await doctor.PostAsync($"/api/patients/{room.Patient.Id}/allergies/{recorded.GetProperty("id").GetGuid()}/resolve", null);
        await resolved.ShouldHave(HttpStatusCode.OK);
        (await resolved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("resolvedAt").ValueKind.ShouldBe(JsonValueKind.String);

        var etag = await Clinical.Write(doctor, room, ("diagnosis", new { text = "Acute pharyngitis" }));
        await (await PrescribeAmoxicillin(doctor, room, etag)).ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Allergies_are_read_and_written_only_by_the_patient_and_a_doctor_consulting_them()
    {
        var room = await Clinical.OnVideo(Host);
        var patient = Host.As(room.Patient.AccessToken);
        var stranger = Host.As((await Host.CreatePatients(1))[0].AccessToken);
        var allergies = $"/api/patients/{room.Patient.Id}/allergies";

        await (await stranger.GetAsync(allergies)).ShouldHave(HttpStatusCode.NotFound);
        await (await stranger.PostAsJsonAsync(allergies, Penicillin)).ShouldHave(HttpStatusCode.NotFound);
        var selfVerified = await Problem(await patient.PostAsJsonAsync(allergies, Penicillin), HttpStatusCode.BadRequest);
        selfVerified.GetProperty("errors").TryGetProperty("verified", out _).ShouldBeTrue();
        var missing = await Problem(await patient.PostAsJsonAsync(allergies, new { substance = "sulfa" }), HttpStatusCode.BadRequest);
        missing.GetProperty("errors").TryGetProperty("reaction", out _).ShouldBeTrue();
        missing.GetProperty("errors").TryGetProperty("severity", out _).ShouldBeTrue();
        var own = await (await patient.PostAsJsonAsync(allergies, new { substance = "sulfa", reaction = "rash", severity = "moderate" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        await (await patient.PostAsync($"{allergies}/{own.GetProperty("id").GetGuid()}/resolve", null)).ShouldHave(HttpStatusCode.NotFound);

        var doctor = Host.As(room.DoctorToken);
        await (await doctor.PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null)).ShouldHave(HttpStatusCode.OK);
        // The consultation over, the doctor reads the patient's records only with their consent.
        await (await doctor.GetAsync(allergies)).ShouldHave(HttpStatusCode.NotFound);
        await (await doctor.PostAsJsonAsync(allergies, Penicillin)).ShouldHave(HttpStatusCode.NotFound);
        (await patient.GetFromJsonAsync<JsonElement>(allergies)).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task The_pregnancy_status_is_part_of_the_record()
    {
        var room = await Clinical.OnVideo(Host);
        var doctor = Host.As(room.DoctorToken);
        var etag = await Clinical.Write(doctor, room);
        var invalid = await Problem(await Clinical.Put(doctor, room, "pregnancy", new { status = "maybe" }, etag), HttpStatusCode.BadRequest);
        invalid.GetProperty("errors").TryGetProperty("status", out _).ShouldBeTrue();
        var recorded = await Clinical.Put(doctor, room, "pregnancy", new { status = "breastfeeding" }, etag);
        await recorded.ShouldHave(HttpStatusCode.OK);
        (await recorded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pregnancy").GetString().ShouldBe("breastfeeding");
        await (await Clinical.Put(Host.As(room.Patient.AccessToken), room, "pregnancy", new { status = "pregnant" }, recorded.Headers.ETag!.Tag))
            .ShouldHave(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_childs_prescription_needs_a_weight_and_names_the_guardian_who_brought_them()
    {
        var guardian = await Host.RegisterNewPatient();
        var child = await Host.AddDependant(guardian, "Ishaan Rao");
        var room = await Clinical.OnVideo(Host, child);
        var doctor = Host.As(room.DoctorToken);
        var etag = await Clinical.Write(doctor, room, ("diagnosis", new { text = "Viral fever" }));
        var paracetamol = new { kind = "firstConsult", medicines = new[] { Clinical.ChildParacetamol } };
        var refused = await Problem(await Clinical.Put(doctor, room, "prescription", paracetamol, etag), HttpStatusCode.UnprocessableEntity);
        refused.GetProperty("warnings").EnumerateArray().ShouldHaveSingleItem().GetProperty("code").GetString().ShouldBe("WeightMissing");

        etag = await Clinical.Write(doctor, room, ("vitals", new { weight = new { value = 24.5, unit = "kg" } }));
        var adultDose = await Problem(await Clinical.Put(doctor, room, "prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol } }, etag),
            HttpStatusCode.UnprocessableEntity);
        adultDose.GetProperty("warnings").EnumerateArray().ShouldHaveSingleItem().GetProperty("message").GetString()
            .ShouldBe("paracetamol: 500 mg a dose is 20.4 mg/kg for this child of 24.5 kg, above the limit of 15 mg/kg a dose (367.5 mg).");
        etag = await Clinical.Write(doctor, room, ("prescription", paracetamol));
        var record = await doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}/record");
        record.GetProperty("accompaniedBy").GetProperty("name").GetString().ShouldBe("Kavita Rao");

        var prescriptionId = await Clinical.Complete(doctor, room);
        var prescription = await Host.As(child.AccessToken).GetFromJsonAsync<JsonElement>($"/api/prescriptions/{prescriptionId}");
        var adult = prescription.GetProperty("content").GetProperty("accompaniedBy");
        adult.GetProperty("name").GetString().ShouldBe("Kavita Rao");
        adult.GetProperty("relation").GetString().ShouldBe("parent");
    }

    [Fact]
    public async Task A_structured_dose_is_checked_against_its_quantity_warned_when_far_above_and_signed_with_its_words_and_structure()
    {
        var room = await Clinical.OnVideo(Host);
        var doctor = Host.As(room.DoctorToken);
        var etag = await Clinical.Write(doctor, room, ("diagnosis", new { text = "Viral fever" }));
        Task<HttpResponseMessage> Prescribe(object dose, int quantity, object[]? overrides = null) => Clinical.Put(doctor, room, "prescription", new
        {
            kind = "firstConsult",
            medicines = new[] { new { generic = "paracetamol", strength = "500 mg", form = "tablet", dose, route = "oral", durationDays = 3, quantity } },
            overrides,
        }, etag);
        var halfTwiceDaily = new { morning = 0.5, night = 0.5, unit = "tablet", regimen = "daily" };

        var wrongUnit = await Problem(await Prescribe(new { morning = 5, unit = "ml" }, 3), HttpStatusCode.BadRequest);
        wrongUnit.GetProperty("errors").GetProperty("medicines[0].dose.unit")[0].GetString().ShouldBe("A tablet is dosed in: tablet, mg.");
        var tooFew = await Problem(await Prescribe(new { morning = 1, afternoon = 1, night = 1, unit = "tablet" }, 6), HttpStatusCode.BadRequest);
        tooFew.GetProperty("errors").GetProperty("medicines[0].quantity")[0].GetString()!.ShouldStartWith("The course needs 9 tablets (1-1-1 for 3 days)");

        var tooMany = await Problem(await Prescribe(halfTwiceDaily, 30), HttpStatusCode.UnprocessableEntity);
        tooMany.GetProperty("warnings").EnumerateArray().ShouldHaveSingleItem().GetProperty("code").GetString().ShouldBe("QuantityExceedsCourse");
        const string reason = "Patient lives far from a pharmacy; a month's supply for recurrent fevers.";
        var prescribed = await Prescribe(halfTwiceDaily, 30, [new { code = "QuantityExceedsCourse", line = 0, reason }]);
        await prescribed.ShouldHave(HttpStatusCode.OK);

        var prescriptionId = await Clinical.Complete(doctor, room);
        var prescription = await Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>($"/api/prescriptions/{prescriptionId}");
        var payload = System.Text.Encoding.UTF8.GetString(Base64Url.Decode(prescription.GetProperty("jws").GetString()!.Split('.')[1])!);
        var line = JsonDocument.Parse(payload).RootElement.GetProperty("medicines")[0];
        line.GetProperty("dose").GetString().ShouldBe("½ tablet");
        line.GetProperty("frequency").GetString().ShouldBe("½-0-½");
        var schedule = line.GetProperty("schedule");
        schedule.GetProperty("morning").GetString().ShouldBe("0.5", "amounts are signed as strings: the canonical JSON carries whole numbers only");
        schedule.GetProperty("unit").GetString().ShouldBe("tablet");
        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await query.Events.FetchStreamAsync(room.ConsultationId);
        var written = events.Select(e => e.Data).OfType<MedicinesPrescribed>().Last();
        written.Medicines[0].Schedule!.Night.ShouldBe(new DoseAmount(0.5m));
        written.Overrides!.ShouldHaveSingleItem().Warning.ShouldContain("the quantity 30 is far above the 3 tablets the course needs");
    }
}
