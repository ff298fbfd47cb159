using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.AbdmSimulator;
using Telemed.Domain.Abdm;
using Telemed.Server.Abdm;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Abdm;

/// <summary>
/// Telemed as HIU against the simulator's consent manager, PHR app and another HIP: a doctor asks for a patient's
/// records held elsewhere, the patient decides in the PHR app, and the other HIP's documents arrive encrypted for
/// Telemed's key material alone, are checked, kept apart, shown with their provenance and erased when the consent ends.
/// </summary>
public class HiuDataFlowTests(AbdmFixture abdm) : IClassFixture<AbdmFixture>
{
    private static readonly string[] BothTypes = [HiTypes.Prescription, HiTypes.OpConsultation];

    private HiuConsents Cm => abdm.Abdm.HiuConsents;

    private IDocumentStore Store => abdm.Host.Services.GetRequiredService<IDocumentStore>();

    private DateTimeOffset Now => abdm.Host.Time.GetUtcNow();

    private static string Panel(Room room) => $"/api/patients/{room.Patient.Id}/records-from-elsewhere";

    private object Ask(TimeSpan? expiry = null, string[]? types = null) =>
        new { purpose = "CAREMGT", hiTypes = types ?? BothTypes, from = Now.AddYears(-1), to = Now, expiresAt = Now + (expiry ?? TimeSpan.FromDays(30)) };

    /// <summary>A patient with a verified ABHA in the demo doctor's open consultation, and their ABHA address.</summary>
    private async Task<(Room Room, string Address)> InConsultation(string name)
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha(name, "F", 1981);
        await (await abdm.Verify(patient, new { abhaNumber = abha.Number }, mobile)).ShouldHave(HttpStatusCode.OK);
        return (await Room.Start(abdm.Host, patient), abha.PreferredAddress);
    }

    /// <summary>The doctor asks; returns the consent request as Telemed answered it and as the consent manager holds it.</summary>
    private async Task<(JsonElement Request, HiuConsentRequestHeld Held)> Asked(Room room, string address, object? ask = null)
    {
        var response = await abdm.Host.As(room.DoctorToken).PostAsJsonAsync(Panel(room) + "/consents", ask ?? Ask());
        await response.ShouldHave(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(), await Cm.Latest(address));
    }

    private async Task<JsonElement> PanelWhen(Room room, Func<JsonElement, bool> ready, string? doctorToken = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var panel = await abdm.Host.As(doctorToken ?? room.DoctorToken).GetFromJsonAsync<JsonElement>(Panel(room));
            if (ready(panel))
            {
                return panel;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The panel never got there: {panel}");
            }
            await Task.Delay(100);
        }
    }

    private static string StatusOf(JsonElement panel) => panel.GetProperty("requests")[0].GetProperty("status").GetString()!;

    private static int DocumentsIn(JsonElement panel) => panel.GetProperty("documents").GetArrayLength();

    private async Task<int> StoredFor(Guid patientId)
    {
        await using var session = Store.QuerySession();
        return await session.Query<ReceivedHealthRecord>().CountAsync(r => r.PatientId == patientId);
    }

    /// <summary>How many health-information requests Telemed made under a consent request.</summary>
    private async Task<int> TransfersOf(JsonElement request)
    {
        var id = request.GetProperty("id").GetGuid();
        await using var session = Store.QuerySession();
        return await session.Query<HiuTransfer>().CountAsync(t => t.ConsentRequestId == id);
    }

    private async Task<List<JsonElement>> AccessLog(Room room) =>
        [.. (await abdm.Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/records/access-log")).EnumerateArray()];

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition never held.");
            }
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task After_the_patient_approves_the_doctor_sees_the_other_facilitys_prescription_with_its_provenance_apart_from_our_records()
    {
        var (room, address) = await InConsultation("Kamala Iyer");

        var (request, held) = await Asked(room, address);

        request.GetProperty("status").GetString().ShouldBe("requested");
        held.HiuId.ShouldBe(AbdmFixture.HipId);
        held.PurposeCode.ShouldBe("CAREMGT");
        held.HiTypes.ShouldBe(BothTypes, ignoreOrder: true);
        StatusOf(await PanelWhen(room, _ => true)).ShouldBe("requested");

        (await Cm.Approve(held.Id)).Status.ShouldBe(202);

        var panel = await PanelWhen(room, p => DocumentsIn(p) == 2);
        StatusOf(panel).ShouldBe("granted");
        var artefactId = Cm.Requests[held.Id].ArtefactIds.ShouldHaveSingleItem();
        var artefact = panel.GetProperty("requests")[0].GetProperty("artefacts").EnumerateArray().ShouldHaveSingleItem();
        artefact.GetProperty("hipName").GetString().ShouldBe(HiuConsents.OtherHipName);
        var documents = panel.GetProperty("documents").EnumerateArray().ToList();
        documents.ShouldAllBe(d => d.GetProperty("hipId").GetString() == HiuConsents.OtherHipId && d.GetProperty("hipName").GetString() == HiuConsents.OtherHipName);
        var prescription = documents.Single(d => d.GetProperty("hiType").GetString() == HiTypes.Prescription);
        prescription.GetProperty("content").GetString()!.ShouldContain(ExampleRecords.Medicine);
        prescription.GetProperty("date").GetDateTimeOffset().ShouldBeLessThan(Now.AddDays(-13));
        documents.Single(d => d.GetProperty("hiType").GetString() == HiTypes.OpConsultation).GetProperty("content").GetString()!.ShouldContain(ExampleRecords.Complaint);

        // The consent manager heard it was all received; the patient's own records and FHIR exports hold none of it.
        var notification = (await abdm.Abdm.ConsentManager.TransferNotifications.WaitFor(
            n => n["notification"]?["notifier"]?["type"]?.GetValue<string>() == "HIU" && n["notification"]?["consentId"]?.GetValue<string>() == artefactId))["notification"]!;
        notification["statusNotification"]!["sessionStatus"]!.GetValue<string>().ShouldBe("TRANSFERRED");
        notification["statusNotification"]!["statusResponses"]!.AsArray().Select(s => s!["hiStatus"]!.GetValue<string>()).ShouldAllBe(s => s == "OK");
        Cm.Acknowledgements.ShouldContain(a => a["acknowledgement"]!.AsArray().Any(k => k!["consentId"]!.GetValue<string>() == artefactId));
        var own = await abdm.Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/records");
        own.EnumerateArray().ShouldAllBe(c => c.GetProperty("consultationId").GetGuid() == room.ConsultationId);

        // Each fetch and the doctor's views are on the patient's access log; the patient sees the consent.
        var log = await AccessLog(room);
        log.Count(e => e.GetProperty("basis").GetString() == "AbdmFetch" && e.GetProperty("readerId").GetGuid() == Room.DoctorId).ShouldBe(2);
        log.ShouldContain(e => e.GetProperty("resource").GetString() == $"patient/{room.Patient.Id}/records-from-elsewhere");
        var mine = (await abdm.Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/records/abdm-consents")).EnumerateArray().ShouldHaveSingleItem();
        mine.GetProperty("status").GetString().ShouldBe("granted");
        mine.GetProperty("doctorName").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_denied_request_asks_for_nothing_and_shows_nothing()
    {
        var (room, address) = await InConsultation("Rekha Nair");
        var (request, held) = await Asked(room, address);

        (await Cm.Deny(held.Id)).Status.ShouldBe(202);

        var panel = await PanelWhen(room, p => StatusOf(p) == "denied");
        DocumentsIn(panel).ShouldBe(0);
        (await TransfersOf(request)).ShouldBe(0);
    }

    [Fact]
    public async Task A_consent_revoked_mid_transfer_takes_nothing_more_and_erases_what_came()
    {
        var (room, address) = await InConsultation("Sarita Kulkarni");
        var (_, held) = await Asked(room, address);
        var before = Cm.PushStatuses.Count;
        Cm.BetweenPages.Enqueue(async () => (await Cm.Revoke(held.Id)).Status.ShouldBe(202));

        await Cm.Approve(held.Id);

        await Eventually(() => Cm.PushStatuses.Count == before + 2);
        Cm.PushStatuses.Skip(before).ShouldBe([202, 409]);
        var panel = await PanelWhen(room, p => StatusOf(p) == "revoked");
        DocumentsIn(panel).ShouldBe(0);
        (await StoredFor(room.Patient.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task When_the_consent_expires_what_was_received_is_erased()
    {
        var (room, address) = await InConsultation("Anita Desai");
        var (_, held) = await Asked(room, address);
        await Cm.Approve(held.Id);
        await PanelWhen(room, p => DocumentsIn(p) == 2);

        (await Cm.Expire(held.Id)).Status.ShouldBe(202);

        var panel = await PanelWhen(room, p => StatusOf(p) == "expired");
        DocumentsIn(panel).ShouldBe(0);
        (await StoredFor(room.Patient.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Received_records_are_erased_at_the_artefacts_data_erase_time()
    {
        var (room, address) = await InConsultation("Meena Pillai");
        var (_, held) = await Asked(room, address, Ask(expiry: TimeSpan.FromDays(2)));
        await Cm.Approve(held.Id);
        await PanelWhen(room, p => DocumentsIn(p) == 2);
        var housekeeping = abdm.Host.Services.GetRequiredService<AbdmHousekeeping>();
        await housekeeping.Sweep(TestContext.Current.CancellationToken);
        (await StoredFor(room.Patient.Id)).ShouldBe(2);

        abdm.Host.Time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));

        // The doctor signs in again (two days on), the consultation still open: the documents are no longer shown, then deleted.
        var signedIn = (await abdm.Host.SignInStaff(Api.DoctorEmail)).AccessToken;
        DocumentsIn(await PanelWhen(room, _ => true, signedIn)).ShouldBe(0);
        await housekeeping.Sweep(TestContext.Current.CancellationToken);
        (await StoredFor(room.Patient.Id)).ShouldBe(0);
    }

    [Theory]
    [InlineData(PushTampering.Ciphertext)]
    [InlineData(PushTampering.WrongKey)]
    [InlineData(PushTampering.WrongNonce)]
    public async Task A_page_that_does_not_decrypt_with_our_key_material_is_refused_and_reported(PushTampering tampering)
    {
        var (room, address) = await InConsultation("Lalita Bose");
        var (_, held) = await Asked(room, address);
        var before = Cm.PushStatuses.Count;
        Cm.Tampering.Enqueue(tampering);

        await Cm.Approve(held.Id);

        await Eventually(() => Cm.PushStatuses.Count == before + 2);
        Cm.PushStatuses.Skip(before).ShouldBe([400, 202]);
        var panel = await PanelWhen(room, p => DocumentsIn(p) == 1);
        panel.GetProperty("documents")[0].GetProperty("hiType").GetString().ShouldBe(HiTypes.OpConsultation);
        var artefactId = Cm.Requests[held.Id].ArtefactIds.ShouldHaveSingleItem();
        var failed = (await abdm.Abdm.ConsentManager.TransferNotifications.WaitFor(n => n["notification"]?["consentId"]?.GetValue<string>() == artefactId
            && n["notification"]?["statusNotification"]?["sessionStatus"]?.GetValue<string>() == "FAILED"))["notification"]!;
        var status = failed["statusNotification"]!["statusResponses"]!.AsArray().ShouldHaveSingleItem()!;
        status["careContextReference"]!.GetValue<string>().ShouldBe(HiuConsents.PrescriptionReference);
        status["hiStatus"]!.GetValue<string>().ShouldBe("ERRORED");
    }

    [Theory]
    [InlineData(CallbackSigning.Missing)]
    [InlineData(CallbackSigning.Forged)]
    public async Task Hiu_callbacks_not_signed_by_the_gateway_are_refused_and_change_nothing(CallbackSigning signing)
    {
        var (room, address) = await InConsultation("Usha Rao");
        var (_, held) = await Asked(room, address);

        foreach (var path in new[] { HiuDataFlow.OnInitPath, HiuDataFlow.NotifyPath, HiuDataFlow.OnFetchPath, HiuDataFlow.OnHiRequestPath })
        {
            (await abdm.Abdm.Gateway.Post(path, AbdmFixture.HipId, new JsonObject
            {
                ["notification"] = new JsonObject { ["consentRequestId"] = held.Id, ["status"] = "GRANTED", ["consentArtefacts"] = new JsonArray() },
                ["response"] = new JsonObject { ["requestId"] = Guid.NewGuid().ToString() },
            }, signing)).Status.ShouldBe(401, path);
        }
        (await Cm.Approve(held.Id, signing)).Status.ShouldBe(401);

        await Task.Delay(500);
        StatusOf(await PanelWhen(room, _ => true)).ShouldBe("requested");
    }

    [Fact]
    public async Task A_replayed_grant_and_answers_for_no_pending_request_are_not_acted_on()
    {
        var (room, address) = await InConsultation("Geeta Shah");
        var (request, held) = await Asked(room, address);
        var granted = await Cm.Approve(held.Id);
        await PanelWhen(room, p => DocumentsIn(p) == 2);

        (await abdm.Abdm.Gateway.Replay(granted)).Status.ShouldBe(202);
        var unasked = await abdm.Abdm.Gateway.Post(HiuDataFlow.OnFetchPath, AbdmFixture.HipId,
            new JsonObject { ["response"] = new JsonObject { ["requestId"] = Guid.NewGuid().ToString() } }, CallbackSigning.Valid);

        unasked.Status.ShouldBe(400);
        await Task.Delay(1000);
        (await TransfersOf(request)).ShouldBe(1);
        (await StoredFor(room.Patient.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task A_gateway_down_for_a_moment_gets_the_request_once_through_the_retries()
    {
        var (room, address) = await InConsultation("Nirmala Sen");
        abdm.Abdm.Faults.FailNext(2, 503, HiuDataFlow.InitPath);

        var (request, _) = await Asked(room, address);

        request.GetProperty("status").GetString().ShouldBe("requested");
        Cm.Requests.Values.Count(r => r.AbhaAddress == address).ShouldBe(1);
    }

    [Fact]
    public async Task Only_a_doctor_with_the_patient_in_consultation_may_ask_or_look_and_a_bad_request_names_its_fields()
    {
        var (room, _) = await InConsultation("Pooja Menon");
        var stranger = (await abdm.Host.CreatePatients(1))[0];
        var doctor = abdm.Host.As(room.DoctorToken);

        await (await doctor.PostAsJsonAsync($"/api/patients/{stranger.Id}/records-from-elsewhere/consents", Ask())).ShouldHave(HttpStatusCode.NotFound);
        await (await doctor.GetAsync($"/api/patients/{stranger.Id}/records-from-elsewhere")).ShouldHave(HttpStatusCode.NotFound);
        await (await abdm.Host.As(room.Patient.AccessToken).GetAsync(Panel(room))).ShouldHave(HttpStatusCode.Forbidden);

        var bad = await doctor.PostAsJsonAsync(Panel(room) + "/consents",
            new { purpose = "CURIOSITY", hiTypes = new[] { "Horoscope" }, from = Now, to = Now.AddDays(-1), expiresAt = Now.AddDays(-1) });
        await bad.ShouldHave(HttpStatusCode.BadRequest);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "purpose", "hiTypes", "from", "expiresAt" })
        {
            errors.TryGetProperty(field, out _).ShouldBeTrue(field);
        }

        var withoutAbha = await Room.Start(abdm.Host);
        await (await abdm.Host.As(withoutAbha.DoctorToken).PostAsJsonAsync(Panel(withoutAbha) + "/consents", Ask())).ShouldHave(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_push_to_an_address_we_never_gave_is_refused()
    {
        var pushed = await abdm.Host.CreateClient().PostAsJsonAsync($"{HiuDataFlow.PushPath}/{Guid.NewGuid()}", new { transactionId = "x", pageNumber = 1, pageCount = 1 });

        await pushed.ShouldHave(HttpStatusCode.NotFound);
    }
}
