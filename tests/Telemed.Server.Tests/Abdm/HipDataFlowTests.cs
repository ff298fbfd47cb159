using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Serialization;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.AbdmSimulator;
using Telemed.Domain.Abdm;
using Telemed.Server.Abdm;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Records;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Abdm;

/// <summary>
/// Telemed as HIP against the simulator's consent manager and HIU: consent artefacts notified and kept, health
/// information encrypted with Fidelius under fresh keys, pushed to the HIU's dataPushUrl and decrypted there with the
/// HIU's own key material, and nothing outside the artefact ever sent; what was sent is on the patient's access log.
/// </summary>
public class HipDataFlowTests(AbdmFixture abdm) : IClassFixture<AbdmFixture>
{
    private static readonly string[] BothTypes = [HiTypes.OpConsultation, HiTypes.Prescription];
    private static readonly string[] OpConsultOnly = [HiTypes.OpConsultation];

    private ConsentManager Cm => abdm.Abdm.ConsentManager;

    private IDocumentStore Store => abdm.Host.Services.GetRequiredService<IDocumentStore>();

    private static ConsentedRecord Record(Room room) => new(room.Patient.Id.ToString(), room.ConsultationId.ToString());

    private async Task<string> Granted(IReadOnlyList<ConsentedRecord> records, string[] hiTypes, DateTimeOffset? eraseAt = null)
    {
        var now = DateTimeOffset.UtcNow;
        var (consentId, sent) = await Cm.Grant(AbdmFixture.HipId, "kavita@sbx", records, hiTypes, now.AddDays(-30), now.AddDays(1), eraseAt ?? now.AddDays(7));
        sent.Status.ShouldBe(202);
        (await Cm.Acknowledgement(consentId))["acknowledgement"]!["status"]!.GetValue<string>().ShouldBe("OK");
        return consentId;
    }

    private int PagesFor(HiuRequest request) => Cm.Pushed.Count(p => p.TransactionId == request.TransactionId);

    /// <summary>The care contexts the patient's access log says were sent to an HIU, newest first.</summary>
    private async Task<List<JsonElement>> SharedOnAccessLog(TestPatient patient) =>
        [.. (await abdm.Host.As(patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/records/access-log")).EnumerateArray()
            .Where(e => e.GetProperty("basis").GetString() == "AbdmConsent")];

    private static string[] HiTypesOf(JsonElement entry) => [.. entry.GetProperty("shared").GetProperty("hiTypes").EnumerateArray().Select(t => t.GetString()!)];

    [Fact]
    public async Task A_granted_consent_brings_the_hiu_the_consultation_and_prescription_encrypted_for_it_alone()
    {
        var (room, _) = await Clinical.Prescribed(abdm.Host);
        var consentId = await Granted([Record(room)], BothTypes);

        var request = await Cm.RequestHealthInformation(AbdmFixture.HipId, consentId, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        request.Sent.Status.ShouldBe(202);
        (await Cm.Answer(request.TransactionId))["hiRequest"]!["sessionStatus"]!.GetValue<string>().ShouldBe("ACKNOWLEDGED");
        var notification = (await Cm.Notification(request.TransactionId))["notification"]!;
        notification["consentId"]!.GetValue<string>().ShouldBe(consentId);
        notification["statusNotification"]!["sessionStatus"]!.GetValue<string>().ShouldBe("TRANSFERRED");
        var status = notification["statusNotification"]!["statusResponses"]!.AsArray().ShouldHaveSingleItem()!;
        status["careContextReference"]!.GetValue<string>().ShouldBe(room.ConsultationId.ToString());
        status["hiStatus"]!.GetValue<string>().ShouldBe("DELIVERED");

        var documents = Cm.Decrypt(request);
        documents.Count.ShouldBe(2);
        documents.ShouldAllBe(d => d.ChecksumMatches && d.CareContextReference == room.ConsultationId.ToString());
        documents.ShouldContain(d => d.Json.Contains("/OPConsultRecord\"") && d.Json.Contains("Acute pharyngitis"));
        documents.ShouldContain(d => d.Json.Contains("/PrescriptionRecord\"") && d.Json.Contains("Amoxicillin", StringComparison.OrdinalIgnoreCase));
        foreach (var document in documents)
        {
            NrcesValidator.DocumentErrorsIfPackaged(new FhirJsonDeserializer(new DeserializerSettings()).Deserialize<Hl7.Fhir.Model.Bundle>(document.Json)).ShouldBeEmpty();
        }
        // The pushed page carries Telemed's public key for this request only: another HIU key cannot open it.
        Should.Throw<FideliusException>(() => Cm.Decrypt(request with { Keys = FideliusKeys.Generate() }));

        var sent = (await SharedOnAccessLog(room.Patient)).ShouldHaveSingleItem();
        sent.GetProperty("readerName").GetString().ShouldBe("Simulated HIU");
        sent.GetProperty("resource").GetString().ShouldBe($"consultation/{room.ConsultationId}");
        var shared = sent.GetProperty("shared");
        shared.GetProperty("consentId").GetString().ShouldBe(consentId);
        shared.GetProperty("hiuId").GetString().ShouldBe("SIM-HIU-1");
        shared.GetProperty("purposeCode").GetString().ShouldBe("CAREMGT");
        shared.GetProperty("purposeText").GetString().ShouldBe("Care Management");
        HiTypesOf(sent).ShouldBe(BothTypes, ignoreOrder: true);
    }

    [Fact]
    public async Task Only_the_care_contexts_and_types_the_artefact_names_are_sent()
    {
        var (consented, _) = await Clinical.Prescribed(abdm.Host);
        var (other, _) = await Clinical.Prescribed(abdm.Host, consented.Patient);
        var consentId = await Granted([Record(consented)], OpConsultOnly);

        var request = await Cm.RequestHealthInformation(AbdmFixture.HipId, consentId, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await Cm.Notification(request.TransactionId);

        var document = Cm.Decrypt(request).ShouldHaveSingleItem();
        document.CareContextReference.ShouldBe(consented.ConsultationId.ToString());
        document.Json.ShouldContain("/OPConsultRecord\"");
        document.Json.ShouldNotContain(other.ConsultationId.ToString());
        var sent = (await SharedOnAccessLog(consented.Patient)).ShouldHaveSingleItem();
        sent.GetProperty("resource").GetString().ShouldBe($"consultation/{consented.ConsultationId}");
        HiTypesOf(sent).ShouldBe(OpConsultOnly);
    }

    [Fact]
    public async Task A_care_context_the_hiu_refused_is_not_on_the_patients_access_log()
    {
        var (refused, _) = await Clinical.Prescribed(abdm.Host);
        var (taken, _) = await Clinical.Prescribed(abdm.Host, refused.Patient);
        var consentId = await Granted([Record(refused), Record(taken)], OpConsultOnly);
        // A 400 is not retried: the first care context's only page is refused for good.
        Cm.PushFailures.Enqueue(400);

        var request = await Cm.RequestHealthInformation(AbdmFixture.HipId, consentId, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var notification = (await Cm.Notification(request.TransactionId))["notification"]!["statusNotification"]!;
        notification["sessionStatus"]!.GetValue<string>().ShouldBe("FAILED");
        var sent = (await SharedOnAccessLog(refused.Patient)).ShouldHaveSingleItem();
        sent.GetProperty("resource").GetString().ShouldBe($"consultation/{taken.ConsultationId}");
    }

    [Fact]
    public async Task A_consent_revoked_mid_transfer_leaves_on_the_access_log_only_what_had_left()
    {
        var (first, _) = await Clinical.Prescribed(abdm.Host);
        var (second, _) = await Clinical.Prescribed(abdm.Host, first.Patient);
        var consentId = await Granted([Record(first), Record(second)], OpConsultOnly);
        Cm.AfterPush.Enqueue(async () => (await Cm.Revoke(AbdmFixture.HipId, consentId)).Status.ShouldBe(202));

        var request = await Cm.RequestHealthInformation(AbdmFixture.HipId, consentId, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var statuses = (await Cm.Notification(request.TransactionId))["notification"]!["statusNotification"]!["statusResponses"]!.AsArray();
        statuses.Single(s => s!["careContextReference"]!.GetValue<string>() == second.ConsultationId.ToString())!["hiStatus"]!.GetValue<string>().ShouldBe("ERRORED");
        Cm.Decrypt(request).ShouldHaveSingleItem().CareContextReference.ShouldBe(first.ConsultationId.ToString());
        var sent = (await SharedOnAccessLog(first.Patient)).ShouldHaveSingleItem();
        sent.GetProperty("resource").GetString().ShouldBe($"consultation/{first.ConsultationId}");
        sent.GetProperty("shared").GetProperty("consentId").GetString().ShouldBe(consentId);
    }

    [Fact]
    public async Task After_the_patient_revokes_the_consent_nothing_is_sent()
    {
        var (room, _) = await Clinical.Prescribed(abdm.Host);
        var consentId = await Granted([Record(room)], BothTypes);
        (await Cm.Revoke(AbdmFixture.HipId, consentId)).Status.ShouldBe(202);

        var request = await Cm.RequestHealthInformation(AbdmFixture.HipId, consentId, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var answer = await Cm.Answer(request.TransactionId);
        answer["hiRequest"]!["sessionStatus"]!.GetValue<string>().ShouldBe("ERRORED");
        answer["error"]!["message"]!.GetValue<string>().ShouldContain("revoked");
        await Task.Delay(500);
        PagesFor(request).ShouldBe(0);
        Cm.TransferNotifications.ShouldNotContain(n => n["notification"]!["transactionId"]!.GetValue<string>() == request.TransactionId);
        (await SharedOnAccessLog(room.Patient)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_expired_artefact_gets_nothing()
    {
        var (room, _) = await Clinical.Prescribed(abdm.Host);
        var consentId = await Granted([Record(room)], BothTypes, eraseAt: DateTimeOffset.UtcNow.AddMinutes(-1));

        var request = await Cm.RequestHealthInformation(AbdmFixture.HipId, consentId, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var answer = await Cm.Answer(request.TransactionId);
        answer["hiRequest"]!["sessionStatus"]!.GetValue<string>().ShouldBe("ERRORED");
        answer["error"]!["message"]!.GetValue<string>().ShouldContain("expired");
        await Task.Delay(500);
        PagesFor(request).ShouldBe(0);
    }

    [Fact]
    public async Task A_request_for_dates_without_the_record_or_outside_the_consent_gets_nothing()
    {
        var (room, _) = await Clinical.Prescribed(abdm.Host);
        var consentId = await Granted([Record(room)], BothTypes);
        var now = DateTimeOffset.UtcNow;

        var before = await Cm.RequestHealthInformation(AbdmFixture.HipId, consentId, now.AddDays(-20), now.AddDays(-10));
        var outside = await Cm.RequestHealthInformation(AbdmFixture.HipId, consentId, now.AddDays(-90), now.AddDays(-60));

        var notification = (await Cm.Notification(before.TransactionId))["notification"]!["statusNotification"]!;
        notification["statusResponses"]!.AsArray().ShouldBeEmpty();
        (await Cm.Answer(outside.TransactionId))["hiRequest"]!["sessionStatus"]!.GetValue<string>().ShouldBe("ERRORED");
        await Task.Delay(500);
        PagesFor(before).ShouldBe(0);
        PagesFor(outside).ShouldBe(0);
    }

    [Theory]
    [InlineData(CallbackSigning.Missing)]
    [InlineData(CallbackSigning.Forged)]
    public async Task Consent_and_requests_not_signed_by_the_gateway_are_refused(CallbackSigning signing)
    {
        var (room, _) = await Clinical.Prescribed(abdm.Host);
        var now = DateTimeOffset.UtcNow;
        var (forgedConsent, sent) = await Cm.Grant(AbdmFixture.HipId, "kavita@sbx", [Record(room)], BothTypes, now.AddDays(-30), now.AddDays(1), now.AddDays(7), signing);
        sent.Status.ShouldBe(401);
        await using (var session = Store.QuerySession())
        {
            (await session.LoadAsync<ConsentArtefact>(forgedConsent)).ShouldBeNull();
        }

        var consentId = await Granted([Record(room)], BothTypes);
        var request = await Cm.RequestHealthInformation(AbdmFixture.HipId, consentId, now.AddDays(-1), now.AddDays(1), signing);

        request.Sent.Status.ShouldBe(401);
        await Task.Delay(500);
        PagesFor(request).ShouldBe(0);
    }

    [Theory]
    [InlineData(HipDataFlow.ConsentNotifyPath)]
    [InlineData(HipDataFlow.RequestPath)]
    public async Task A_telemed_users_token_does_not_open_the_gateways_callbacks(string path)
    {
        var patient = await abdm.Patient("Meera Iyer", Telemed.Domain.Identity.Sex.Female, 1990, Api.NewMobile());
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = System.Net.Http.Json.JsonContent.Create(new { transactionId = "t" }) };
        request.Headers.Add(AbdmHeaders.RequestId, Guid.NewGuid().ToString());
        request.Headers.Add(AbdmHeaders.Timestamp, AbdmHeaders.Format(DateTimeOffset.UtcNow));

        var answer = await abdm.Host.As(patient.AccessToken).SendAsync(request);

        answer.StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_replayed_request_sends_nothing_twice()
    {
        var (room, _) = await Clinical.Prescribed(abdm.Host);
        var consentId = await Granted([Record(room)], BothTypes);
        var request = await Cm.RequestHealthInformation(AbdmFixture.HipId, consentId, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await Cm.Notification(request.TransactionId);

        (await abdm.Abdm.Gateway.Replay(request.Sent)).Status.ShouldBe(202);
        // The same transaction again under a new REQUEST-ID (as a retrying consent manager would send it).
        (await abdm.Abdm.Gateway.Replay(request.Sent with { RequestId = Guid.NewGuid().ToString() })).Status.ShouldBe(202);

        await Task.Delay(1000);
        PagesFor(request).ShouldBe(2);
        Cm.TransferNotifications.Count(n => n["notification"]!["transactionId"]!.GetValue<string>() == request.TransactionId).ShouldBe(1);
        (await SharedOnAccessLog(room.Patient)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_gateway_or_hiu_that_fails_for_a_moment_is_retried_and_gets_everything_once()
    {
        var (room, _) = await Clinical.Prescribed(abdm.Host);
        var consentId = await Granted([Record(room)], BothTypes);
        abdm.Abdm.Faults.FailNext(2, 503, HipDataFlow.NotifyPath);
        Cm.PushFailures.Enqueue(503);
        Cm.PushFailures.Enqueue(502);

        var request = await Cm.RequestHealthInformation(AbdmFixture.HipId, consentId, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var notification = await Cm.Notification(request.TransactionId);
        notification["notification"]!["statusNotification"]!["sessionStatus"]!.GetValue<string>().ShouldBe("TRANSFERRED");
        Cm.Decrypt(request).Count.ShouldBe(2);
        PagesFor(request).ShouldBe(2);
        var notifyCalls = abdm.Abdm.State.Arrivals.Where(a => a.Path == HipDataFlow.NotifyPath).Select(a => a.RequestId).ToList();
        notifyCalls.Count(id => id == notifyCalls[^1]).ShouldBe(3);
        Cm.TransferNotifications.Count(n => n["notification"]!["transactionId"]!.GetValue<string>() == request.TransactionId).ShouldBe(1);
        await Task.Delay(500);
        await using var session = Store.QuerySession();
        var transfer = await session.LoadAsync<HealthInformationTransfer>(request.TransactionId);
        transfer.ShouldNotBeNull().NotifiedAt.ShouldNotBeNull();
    }
}
