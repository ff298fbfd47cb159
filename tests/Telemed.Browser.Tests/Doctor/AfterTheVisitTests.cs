using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Doctor;

/// <summary>
/// After the visit, against the real server: the patient rates it and the doctor reads the feedback without the
/// patient's name; the doctor adds an addendum to the signed record, revokes its prescription with a reason the
/// prescription check then shows, and marks a called patient's consultation as not held; the patient reads the history
/// of who they let read their records.
/// </summary>
[Collection(OneAtATime.Name)]
public class AfterTheVisitTests(ResendCodesAtOnce fixture) : IClassFixture<ResendCodesAtOnce>
{
    private const string Asha = "asha.verma@telemed.local";
    private const string RahulId = "0193a000-0000-7000-8000-000000000012";

    /// <summary>A completed visit of Dr. Asha Verma's with a signed paracetamol prescription, made through the API.</summary>
    private async Task<(Guid SessionId, Guid ConsultationId, Guid PrescriptionId)> CompletedVisit(string patientMobile)
    {
        var visit = await Pages.CompletedVisit(fixture, patientMobile);
        return (visit.SessionId, visit.ConsultationId, visit.PrescriptionId);
    }

    [Fact]
    public async Task The_patient_rates_a_completed_visit_once_and_the_doctor_reads_it_without_the_patients_name()
    {
        var (_, consultationId, _) = await CompletedVisit("+919876543210");
        var patient = await fixture.NewPage();
        await Pages.SignInPatient(patient, fixture, "9876543210");
        await patient.ClickAsync("#records-open");
        var visit = patient.Locator($"#records li[data-consultation='{consultationId}']");
        await visit.Locator("button[data-action='feedback']").ClickAsync();

        var form = patient.Locator($"#feedback[data-consultation='{consultationId}']");
        await Assertions.Expect(form).ToBeVisibleAsync();
        await Assertions.Expect(patient.Locator("#feedback-heading")).ToHaveTextAsync("How was your visit with Dr. Asha Verma?");
        await Assertions.Expect(patient.Locator("#feedback-heading")).ToBeFocusedAsync();
        await patient.ClickAsync("#feedback-send");
        await Assertions.Expect(patient.Locator("#feedback-status")).ToHaveTextAsync("Choose a rating from 1 to 5.");
        await Axe.ShouldHaveNoSeriousViolations(patient, "the feedback form (en)");
        await form.GetByLabel("4 – Good").CheckAsync();
        await patient.FillAsync("#feedback-comment", "Explained everything patiently");
        await patient.ClickAsync("#feedback-send");

        await Assertions.Expect(patient.Locator("#feedback-status")).ToHaveTextAsync("Thank you: your feedback was sent.");
        await Assertions.Expect(patient.Locator("#feedback-fields")).ToBeHiddenAsync();
        await Assertions.Expect(visit).ToContainTextAsync("You rated this visit 4 of 5.");
        await Assertions.Expect(visit.Locator("button[data-action='feedback']")).ToHaveCountAsync(0);

        var doctor = await fixture.NewPage();
        await Pages.SignInStaff(doctor, Asha);
        await doctor.ClickAsync("#feedback-mine summary");
        var list = doctor.Locator("#feedback-mine-list");
        await Assertions.Expect(list).ToContainTextAsync("4 of 5.");
        await Assertions.Expect(list).ToContainTextAsync("Explained everything patiently");
        await Assertions.Expect(doctor.Locator("#feedback-mine-summary")).ToContainTextAsync("on average");
        (await doctor.Locator("#feedback-mine").InnerTextAsync()).ShouldNotContain("Priya");
        await Axe.ShouldHaveNoSeriousViolations(doctor, "feedback on the doctor's visits (en)");
        await doctor.SelectOptionAsync("#language", "hi");
        await Assertions.Expect(list).ToContainTextAsync("5 में से 4");
        await Axe.ShouldHaveNoSeriousViolations(doctor, "feedback on the doctor's visits (hi)");
    }

    [Fact]
    public async Task The_doctor_adds_an_addendum_and_revokes_the_prescription_with_a_reason_the_prescription_check_shows()
    {
        var (sessionId, consultationId, prescriptionId) = await CompletedVisit("+919812345678");
        var doctor = await fixture.NewPage();
        await Pages.OpenQueue(doctor, Asha, sessionId);
        var row = doctor.Locator("#queue li[data-token='1']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "completed");
        await row.Locator("button[data-action='visit']").ClickAsync();

        var visit = doctor.Locator($"#visit-after[data-consultation='{consultationId}']");
        await Assertions.Expect(visit).ToBeVisibleAsync();
        await Assertions.Expect(doctor.Locator("#visit-after-heading")).ToBeFocusedAsync();
        await Assertions.Expect(doctor.Locator("#visit-addenda")).ToHaveTextAsync("No addenda yet.");
        await Assertions.Expect(doctor.Locator("#revoke-state")).ToHaveTextAsync("The prescription is valid.");
        await doctor.FillAsync("#addendum-text", "Blood test report seen: platelets normal.");
        await doctor.ClickAsync("#addendum-add");
        await Assertions.Expect(doctor.Locator("#addendum-status")).ToHaveTextAsync("The addendum was added to the record.");
        await Assertions.Expect(doctor.Locator("#visit-addenda li")).ToHaveCountAsync(1);
        await Assertions.Expect(doctor.Locator("#visit-addenda")).ToContainTextAsync("Blood test report seen: platelets normal.");
        await Axe.ShouldHaveNoSeriousViolations(doctor, "a completed visit (en)");

        await doctor.FillAsync("#revoke-reason", "Wrong strength: 650 mg intended");
        await doctor.ClickAsync("#revoke-submit");
        await Assertions.Expect(doctor.Locator("#revoke-state")).ToHaveTextAsync("The prescription is revoked: Wrong strength: 650 mg intended");
        await Assertions.Expect(doctor.Locator("#revoke-form")).ToBeHiddenAsync();

        var token = await fixture.SignIn(Asha);
        var record = await (await fixture.Send(HttpMethod.Get, $"/api/consultations/{consultationId}/record", token)).Content.ReadFromJsonAsync<JsonElement>();
        record.GetProperty("addenda").EnumerateArray().ShouldHaveSingleItem().GetProperty("text").GetString().ShouldBe("Blood test report seen: platelets normal.");
        var pharmacy = await fixture.NewPage();
        await Pages.SignInStaff(pharmacy, "meena.iyer@telemed.local");
        await pharmacy.FillAsync("#rx-id", prescriptionId.ToString());
        await pharmacy.ClickAsync("#rx-check");
        await Assertions.Expect(pharmacy.Locator("#rx-verdict")).ToHaveAttributeAsync("data-verdict", "revoked");
        await Assertions.Expect(pharmacy.Locator("#rx-verdict")).ToContainTextAsync("Wrong strength: 650 mg intended");
    }

    [Fact]
    public async Task The_doctor_marks_a_called_patient_not_held_with_a_reason_after_confirming()
    {
        var sessionId = await fixture.OpenSession(Asha);
        var patient = await fixture.PatientToken("+917012345678");
        await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", patient, new { });
        var doctor = await fixture.NewPage();
        await Pages.OpenQueue(doctor, Asha, sessionId);
        var row = doctor.Locator("#queue li[data-token='1']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "waiting");
        await Assertions.Expect(row.Locator("button[data-action='notHeld']")).ToHaveCountAsync(0);
        await row.Locator("button[data-action='call']").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "called");

        await row.Locator("button[data-action='notHeld']").ClickAsync();
        await Assertions.Expect(doctor.Locator("#not-held")).ToBeVisibleAsync();
        await Assertions.Expect(doctor.Locator("#not-held-title")).ToHaveTextAsync("Token 1: mark the consultation as not held?");
        await Axe.ShouldHaveNoSeriousViolations(doctor, "marking a consultation not held (en)");
        await doctor.ClickAsync("#not-held-no");
        await Assertions.Expect(doctor.Locator("#not-held")).ToBeHiddenAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "called");

        await row.Locator("button[data-action='notHeld']").ClickAsync();
        await doctor.FillAsync("#not-held-reason", "Patient's network failed twice");
        await doctor.ClickAsync("#not-held-yes");

        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "notHeld");
        await Assertions.Expect(doctor.Locator("#completed")).ToHaveTextAsync("Token 1 was marked as not held.");
        await Assertions.Expect(row.Locator("button[data-action='notHeld']")).ToHaveCountAsync(0);
        var mine = await (await fixture.Send(HttpMethod.Get, $"/api/sessions/{sessionId}/my-token", patient)).Content.ReadFromJsonAsync<JsonElement>();
        mine.GetProperty("state").GetString().ShouldBe("notHeld");
    }

    [Fact]
    public async Task The_patient_reads_the_history_of_who_they_let_read_their_records()
    {
        var patient = await fixture.NewPage();
        await Pages.SignInPatient(patient, fixture, "7012345678");
        await patient.ClickAsync("#records-open");
        await patient.ClickAsync("#consent-history-show");
        var history = patient.Locator("#consent-history");
        await Assertions.Expect(history).ToHaveTextAsync("You have not let any doctor read your records yet.");

        await patient.SelectOptionAsync("#consent-doctor", RahulId);
        await patient.FillAsync("#consent-days", "7");
        await patient.ClickAsync("#consent-grant");
        await Assertions.Expect(history.Locator("li[data-change='granted']")).ToHaveCountAsync(1);
        await Assertions.Expect(history.Locator("li").First).ToContainTextAsync("you let Dr. Rahul Nair read your records until");

        await patient.Locator($"#consents li[data-doctor='{RahulId}'] button[data-action='withdraw']").ClickAsync();

        await Assertions.Expect(history.Locator("li")).ToHaveCountAsync(2);
        await Assertions.Expect(history.Locator("li").First).ToHaveAttributeAsync("data-change", "withdrawn");
        await Assertions.Expect(history.Locator("li").First).ToContainTextAsync("you withdrew Dr. Rahul Nair's access.");
        await Axe.ShouldHaveNoSeriousViolations(patient, "the history of consents (en)");
        await patient.SelectOptionAsync("#language", "hi");
        await Assertions.Expect(history.Locator("li").First).ToContainTextAsync("अनुमति वापस ली");
        await Axe.ShouldHaveNoSeriousViolations(patient, "the history of consents (hi)");
    }
}
