using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.AbdmSimulator;
using Telemed.Domain.Abdm;
using Telemed.Server.Abdm;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Abdm;

/// <summary>The simulator's ABDM and a Telemed host whose linker looks for work every second.</summary>
public class LinkingFixture : AbdmFixture
{
    public override Dictionary<string, string?> Settings(Simulator abdm)
    {
        var settings = base.Settings(abdm);
        settings["Abdm:LinkSweepSeconds"] = "1";
        return settings;
    }

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    /// <summary>A patient who verified their ABHA here, once their link token is ready.</summary>
    public async Task<(AbhaAccount Abha, TestPatient Patient, string Mobile)> VerifiedPatient(string name = "Kavita Rao", string gender = "F", int year = 1979)
    {
        var (abha, patient, mobile) = await PatientWithAbha(name, gender, year);
        await (await Verify(patient, new { abhaNumber = abha.Number }, mobile)).ShouldHave(HttpStatusCode.OK);
        await Api.Eventually(async () =>
        {
            await using var session = Store.QuerySession();
            return await session.LoadAsync<AbhaLinkToken>(patient.Id) is { State: LinkTokenState.Ready } ready ? ready : null;
        });
        return (abha, patient, mobile);
    }

    /// <summary>The link of a care context once it is in one of <paramref name="states"/>.</summary>
    public Task<CareContextLink> Link(Guid consultationId, params CareContextLinkState[] states) => Link(Host, consultationId, states);

    public async Task<CareContextLink> Link(TelemedFactory host, Guid consultationId, params CareContextLinkState[] states)
    {
        var store = host.Services.GetRequiredService<IDocumentStore>();
        try
        {
            return await Api.Eventually(async () =>
            {
                await using var session = store.QuerySession();
                return await session.LoadAsync<CareContextLink>(consultationId) is { } link && states.Contains(link.State) ? link : null;
            }, TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            await using var session = store.QuerySession();
            var found = await session.LoadAsync<CareContextLink>(consultationId);
            var warnings = Server.Logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal));
            var callbacks = Abdm.State.Callbacks.Where(c => c.Path == CareContextLinks.CallbackPath).Select(c => $"{c.Status} {c.Body}");
            throw new TimeoutException($"The link is {(found is null ? "missing" : found.ToString())}; callbacks: {string.Join("; ", callbacks)}; warnings: {string.Join("\n", warnings.TakeLast(10))}");
        }
    }

    /// <summary>The requests that reached the gateway's link/carecontext, by REQUEST-ID (a retry of one call repeats its id).</summary>
    public IReadOnlyList<string> LinkCalls => [.. Abdm.State.Arrivals.Where(a => a.Path == CareContextLinks.Path).Select(a => a.RequestId)];

    /// <summary>The OTP of the newest link code texted to a mobile, once the dispatcher has handed it over.</summary>
    public async Task<string> LinkCode(string mobile, int alreadySent = 0)
    {
        var client = Host.CreateClient();
        var text = await Api.Eventually(async () =>
        {
            var sunk = (await client.GetFromJsonAsync<List<Telemed.Server.Messages.SunkMessage>>($"/api/dev/messages?to={Uri.EscapeDataString(mobile)}", Api.Json))!
                .Where(m => m.Template == Telemed.Domain.Messages.MessageCatalogue.RecordLinkCode.Id).ToList();
            return sunk.Count > alreadySent ? sunk[0].Text : null;
        });
        return new string([.. text.TakeWhile(char.IsAsciiDigit)]);
    }
}

/// <summary>
/// HIP-initiated linking against the simulator's gateway: each completed consultation of a patient with a verified
/// ABHA is linked with the link token, retried on the app's clock when ABDM does not take it, never linked twice, and
/// ABDM's refusal kept for admins.
/// </summary>
public class CareContextLinkTests(LinkingFixture abdm) : IClassFixture<LinkingFixture>
{
    private CareContextLinks Linker => abdm.Host.Services.GetRequiredService<CareContextLinks>();

    [Fact]
    public async Task A_completed_consultation_is_linked_to_the_patients_abha_once_with_both_its_records()
    {
        var (abha, patient, _) = await abdm.VerifiedPatient();

        var (room, _) = await Clinical.Prescribed(abdm.Host, patient);

        var link = await abdm.Link(room.ConsultationId, CareContextLinkState.Linked, CareContextLinkState.Refused);
        link.State.ShouldBe(CareContextLinkState.Linked);
        link.LinkedBy.ShouldBe(CareContextLinkedBy.Hip);
        link.Attempts.ShouldBe(1);
        var linked = abdm.Abdm.State.LinksOf(abha.Number);
        linked.Select(l => l.HiType).Order().ShouldBe([HiTypes.OpConsultation, HiTypes.Prescription]);
        linked.ShouldAllBe(l => l.CareContextReference == room.ConsultationId.ToString() && l.PatientReference == patient.Id.ToString()
            && l.HipId == AbdmFixture.HipId && l.LinkedVia == "HIP");

        var calls = abdm.LinkCalls.Count;
        await Linker.Pass(CancellationToken.None);
        abdm.LinkCalls.Count.ShouldBe(calls);
    }

    [Fact]
    public async Task Consultations_completed_before_the_abha_was_verified_are_linked_once_it_is()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha("Sushma Pillai", "F", 1968);
        var (room, _) = await Clinical.Prescribed(abdm.Host, patient);

        await (await abdm.Verify(patient, new { abhaNumber = abha.Number }, mobile)).ShouldHave(HttpStatusCode.OK);

        (await abdm.Link(room.ConsultationId, CareContextLinkState.Linked)).LinkedBy.ShouldBe(CareContextLinkedBy.Hip);
        abdm.Abdm.State.LinksOf(abha.Number).ShouldContain(l => l.CareContextReference == room.ConsultationId.ToString());
    }

    [Fact]
    public async Task A_link_the_gateway_did_not_take_is_sent_again_on_the_retry_schedule_under_a_new_request_id()
    {
        var (abha, patient, _) = await abdm.VerifiedPatient("Rohit Das", "M", 1990);
        // Every attempt of the first send (the client retries three times with one REQUEST-ID) meets a gateway error.
        abdm.Abdm.Faults.FailNext(3, 503, CareContextLinks.Path);

        var (room, _) = await Clinical.Prescribed(abdm.Host, patient);

        var waiting = await Api.Eventually(async () =>
        {
            await using var session = abdm.Store.QuerySession();
            return await session.LoadAsync<CareContextLink>(room.ConsultationId) is { Attempts: 1, State: CareContextLinkState.Pending } failed ? failed : null;
        });
        waiting.Error.ShouldNotBeNull().ShouldContain("503");
        waiting.NextAttemptAt.ShouldBe(waiting.SentAt!.Value + TimeSpan.FromSeconds(30));
        await Linker.Pass(CancellationToken.None);
        (await abdm.Link(room.ConsultationId, CareContextLinkState.Pending)).Attempts.ShouldBe(1);
        abdm.Abdm.State.LinksOf(abha.Number).ShouldBeEmpty();

        abdm.Server.Time.Advance(TimeSpan.FromSeconds(30));
        Linker.Wake();

        var linked = await abdm.Link(room.ConsultationId, CareContextLinkState.Linked);
        linked.Attempts.ShouldBe(2);
        abdm.Abdm.State.LinksOf(abha.Number).ShouldContain(l => l.CareContextReference == room.ConsultationId.ToString());
        var ids = abdm.Abdm.State.Arrivals.Where(a => a.Path == CareContextLinks.Path).Select(a => a.RequestId).ToList();
        ids.ShouldContain(waiting.RequestId!);
        ids.Count(id => id == waiting.RequestId).ShouldBe(3);
        ids.ShouldContain(linked.RequestId!);
        linked.RequestId.ShouldNotBe(waiting.RequestId);
    }

    [Fact]
    public async Task A_link_whose_callback_never_comes_is_sent_again_after_the_callback_wait_and_the_retry_schedule()
    {
        var (abha, patient, _) = await abdm.VerifiedPatient("Vikram Sethi", "M", 1971);
        var bridge = abdm.Abdm.Options.BridgeUrl;
        abdm.Abdm.Options.BridgeUrl = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        CareContextLink sent;
        try
        {
            var (room, _) = await Clinical.Prescribed(abdm.Host, patient);
            sent = await abdm.Link(room.ConsultationId, CareContextLinkState.Sent);
            await Api.Eventually(() => Task.FromResult(abdm.Abdm.State.Callbacks.FirstOrDefault(c => c.Path == Gateway.OnCareContextPath && c.Body.Contains(sent.RequestId!))));
        }
        finally
        {
            abdm.Abdm.Options.BridgeUrl = bridge;
        }

        abdm.Server.Time.Advance(TimeSpan.FromSeconds(3));
        var lost = await abdm.Link(sent.Id, CareContextLinkState.Pending);
        lost.Error.ShouldBe("The gateway did not answer the link (on_carecontext) in time.");
        lost.NextAttemptAt.ShouldBe(lost.UpdatedAt + TimeSpan.FromSeconds(30));
        abdm.Server.Time.Advance(TimeSpan.FromSeconds(30));

        var linked = await abdm.Link(sent.Id, CareContextLinkState.Linked);
        linked.Attempts.ShouldBe(2);
        linked.RequestId.ShouldNotBe(sent.RequestId);
        abdm.Abdm.State.LinksOf(abha.Number).ShouldContain(l => l.CareContextReference == sent.Id.ToString());
    }

    [Fact]
    public async Task A_link_abdm_refuses_is_kept_with_its_error_for_admins_and_not_sent_again()
    {
        var (abha, patient, _) = await abdm.VerifiedPatient("Imran Shaikh", "M", 1985);
        abha.Status = "DEACTIVATED";

        var (room, _) = await Clinical.Prescribed(abdm.Host, patient);

        var refused = await abdm.Link(room.ConsultationId, CareContextLinkState.Refused, CareContextLinkState.Linked);
        refused.State.ShouldBe(CareContextLinkState.Refused);
        refused.ErrorCode.ShouldBe("ABDM-1134");
        refused.Error.ShouldBe("Deactivated ABHA Account");
        abdm.Abdm.State.LinksOf(abha.Number).ShouldBeEmpty();

        var admin = abdm.Host.As((await abdm.Host.SignInStaff(Api.AdminEmail)).AccessToken);
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/abdm/care-context-links?state=refused");
        var row = listed.EnumerateArray().Single(l => l.GetProperty("consultationId").GetGuid() == room.ConsultationId);
        row.GetProperty("state").GetString().ShouldBe("refused");
        row.GetProperty("errorCode").GetString().ShouldBe("ABDM-1134");
        row.GetProperty("error").GetString().ShouldBe("Deactivated ABHA Account");
        (await admin.GetAsync("/api/admin/abdm/care-context-links?state=lost")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await abdm.Host.As(patient.AccessToken).GetAsync("/api/admin/abdm/care-context-links")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var calls = abdm.LinkCalls.Count;
        abdm.Server.Time.Advance(TimeSpan.FromHours(2));
        await Linker.Pass(CancellationToken.None);
        abdm.LinkCalls.Count.ShouldBe(calls);
    }

    [Theory]
    [InlineData(CareContextLinks.CallbackPath)]
    [InlineData(PatientLinking.DiscoverPath)]
    [InlineData(PatientLinking.InitPath)]
    [InlineData(PatientLinking.ConfirmPath)]
    public async Task A_telemed_users_token_does_not_open_the_linking_callbacks(string path)
    {
        var patient = await abdm.Patient("Meera Iyer", Telemed.Domain.Identity.Sex.Female, 1990, Api.NewMobile());
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { transactionId = "t" }) };
        request.Headers.Add(AbdmHeaders.RequestId, Guid.NewGuid().ToString());
        request.Headers.Add(AbdmHeaders.Timestamp, AbdmHeaders.Format(DateTimeOffset.UtcNow));

        var answer = await abdm.Host.As(patient.AccessToken).SendAsync(request);

        answer.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_on_carecontext_that_answers_no_link_sent_changes_nothing()
    {
        var (_, patient, _) = await abdm.VerifiedPatient("Nisha Gupta", "F", 1993);
        var (room, _) = await Clinical.Prescribed(abdm.Host, patient);
        var linked = await abdm.Link(room.ConsultationId, CareContextLinkState.Linked);

        var forged = await abdm.Abdm.Gateway.Post(CareContextLinks.CallbackPath, AbdmFixture.HipId, new System.Text.Json.Nodes.JsonObject
        {
            ["abhaAddress"] = "x@sbx",
            ["error"] = new System.Text.Json.Nodes.JsonObject { ["code"] = "ABDM-1056", ["message"] = "ABHA address and Link token mismatch" },
            ["response"] = new System.Text.Json.Nodes.JsonObject { ["requestId"] = linked.RequestId },
        }, CallbackSigning.Valid);
        var unsigned = await abdm.Abdm.Gateway.Post(CareContextLinks.CallbackPath, AbdmFixture.HipId, [], CallbackSigning.Forged);

        forged.Status.ShouldBe(400);
        unsigned.Status.ShouldBe(401);
        (await abdm.Link(room.ConsultationId, CareContextLinkState.Linked)).ShouldBe(linked);
    }
}

/// <summary>A link waiting for its retry when the server stops is sent by the next server on the same database.</summary>
public class CareContextLinkRestartTests(LinkingFixture abdm) : IClassFixture<LinkingFixture>
{
    [Fact]
    public async Task A_link_pending_when_the_server_stops_is_linked_after_it_starts_again()
    {
        var (abha, patient, _) = await abdm.VerifiedPatient("Gopal Nair", "M", 1958);
        abdm.Abdm.Faults.FailNext(1000, 503, CareContextLinks.Path);
        var (room, _) = await Clinical.Prescribed(abdm.Host, patient);
        await Api.Eventually(async () =>
        {
            await using var session = abdm.Store.QuerySession();
            return await session.LoadAsync<CareContextLink>(room.ConsultationId) is { Attempts: 1, State: CareContextLinkState.Pending } failed ? failed : null;
        });

        await abdm.Host.DisposeAsync();
        abdm.Abdm.Faults.Clear();
        abdm.Server.Time.Advance(TimeSpan.FromSeconds(30));
        var restarted = abdm.StartHost(abdm.Settings(abdm.Abdm), bridge: true);

        var linked = await abdm.Link(restarted, room.ConsultationId, CareContextLinkState.Linked);
        linked.Attempts.ShouldBe(2);
        abdm.Abdm.State.LinksOf(abha.Number).ShouldContain(l => l.CareContextReference == room.ConsultationId.ToString());
    }
}

/// <summary>
/// User-initiated linking from the simulator's PHR app: discovery finds the one patient the consent manager's facts
/// point to and offers only their unlinked care contexts; the OTP texted to them links those chosen, within three tries.
/// </summary>
public class PatientLinkingTests(LinkingFixture abdm) : IClassFixture<LinkingFixture>
{
    private PhrApp Phr => abdm.Abdm.Phr;

    [Fact]
    public async Task Discovery_offers_only_the_matched_patients_unlinked_care_contexts_and_the_right_otp_links_them()
    {
        var (abha, anil, mobile) = await abdm.PatientWithAbha("Anil Rao", "M", 1975);
        var (mine, _) = await Clinical.Prescribed(abdm.Host, anil);
        var (_, kavita, _) = await abdm.PatientWithAbha("Kavita Menon", "F", 1981);
        var (theirs, _) = await Clinical.Prescribed(abdm.Host, kavita);

        var discovered = await Phr.Discover(abha.PreferredAddress, AbdmFixture.HipId);

        discovered.Sent.Status.ShouldBe(202);
        discovered.ErrorMessage.ShouldBeNull();
        discovered.CareContexts.ShouldBe([mine.ConsultationId.ToString()]);
        discovered.PatientReference.ShouldBe(anil.Id.ToString());
        discovered.Answer!["matchedBy"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe(["MOBILE"]);
        discovered.Answer.ToJsonString().ShouldNotContain(theirs.ConsultationId.ToString());

        var started = await Phr.Init(AbdmFixture.HipId, discovered.TransactionId, abha.PreferredAddress, anil.Id.ToString(), discovered.CareContexts);
        started.ErrorMessage.ShouldBeNull();
        started.LinkReference.ShouldNotBeNull();
        var otp = await abdm.LinkCode(mobile);
        var wrong = otp == "000000" ? "111111" : "000000";

        var refused = await Phr.Confirm(AbdmFixture.HipId, started.TransactionId, abha.PreferredAddress, started.LinkReference!, wrong);
        refused.ErrorMessage.ShouldBe("The OTP is not right: 2 attempt(s) left.");
        abdm.Abdm.State.LinksOf(abha.Number).ShouldBeEmpty();
        var confirmed = await Phr.Confirm(AbdmFixture.HipId, started.TransactionId, abha.PreferredAddress, started.LinkReference!, otp);

        confirmed.ErrorMessage.ShouldBeNull();
        confirmed.CareContexts.ShouldBe([mine.ConsultationId.ToString()]);
        var link = await abdm.Link(mine.ConsultationId, CareContextLinkState.Linked);
        link.LinkedBy.ShouldBe(CareContextLinkedBy.Patient);
        abdm.Abdm.State.LinksOf(abha.Number).Select(l => (l.CareContextReference, l.HiType, l.LinkedVia)).Order()
            .ShouldBe([(mine.ConsultationId.ToString(), HiTypes.OpConsultation, "PATIENT"), (mine.ConsultationId.ToString(), HiTypes.Prescription, "PATIENT")]);
        (await Phr.Confirm(AbdmFixture.HipId, started.TransactionId, abha.PreferredAddress, started.LinkReference!, otp)).ErrorMessage
            .ShouldBe("This link was already confirmed.");
        (await Phr.Discover(abha.PreferredAddress, AbdmFixture.HipId)).ErrorMessage.ShouldBe("No unlinked care contexts for this patient");
    }

    [Fact]
    public async Task A_person_whose_facts_match_nobody_here_is_told_so_and_shown_nothing()
    {
        var (_, anil, mobile) = await abdm.PatientWithAbha("Arjun Rao", "M", 1975);
        await Clinical.Prescribed(abdm.Host, anil);
        // Someone else on the same mobile (a brother), with an ABHA of his own.
        var brother = abdm.Abdm.People.Open(new Resident(Population.NewAadhaar(), "Sunil Rao", "M", new DateOnly(1977, 1, 5), mobile[^10..]));

        var discovered = await Phr.Discover(brother.PreferredAddress, AbdmFixture.HipId);

        discovered.ErrorMessage.ShouldBe("Patient not found");
        discovered.Answer!["patient"]!.AsArray().ShouldBeEmpty();
        discovered.Answer.ToJsonString().ShouldNotContain(anil.Id.ToString());
    }

    [Fact]
    public async Task A_care_context_abdm_refused_to_the_hip_is_offered_by_the_verified_abha_and_linked_by_the_patient()
    {
        var (abha, patient, mobile) = await abdm.VerifiedPatient("Lakshmi Iyer", "F", 1966);
        abha.Status = "DEACTIVATED";
        var (room, _) = await Clinical.Prescribed(abdm.Host, patient);
        await abdm.Link(room.ConsultationId, CareContextLinkState.Refused);
        abha.Status = "ACTIVE";

        var discovered = await Phr.Discover(abha.PreferredAddress, AbdmFixture.HipId, DiscoveryFacts.AddressOnly);

        discovered.CareContexts.ShouldBe([room.ConsultationId.ToString()]);
        discovered.Answer!["matchedBy"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe(["ABHA_ADDRESS"]);
        var started = await Phr.Init(AbdmFixture.HipId, discovered.TransactionId, abha.PreferredAddress, patient.Id.ToString(), discovered.CareContexts);
        var confirmed = await Phr.Confirm(AbdmFixture.HipId, started.TransactionId, abha.PreferredAddress, started.LinkReference!, await abdm.LinkCode(mobile));
        confirmed.ErrorMessage.ShouldBeNull();
        var link = await abdm.Link(room.ConsultationId, CareContextLinkState.Linked);
        link.LinkedBy.ShouldBe(CareContextLinkedBy.Patient);
    }

    [Fact]
    public async Task Three_wrong_otps_lock_the_link_and_a_care_context_not_offered_cannot_be_asked_for()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha("Farida Khan", "F", 1988);
        var (room, _) = await Clinical.Prescribed(abdm.Host, patient);
        var (_, other, _) = await abdm.PatientWithAbha("Zoya Khan", "F", 1992);
        var (elsewhere, _) = await Clinical.Prescribed(abdm.Host, other);
        var discovered = await Phr.Discover(abha.PreferredAddress, AbdmFixture.HipId);

        var greedy = await Phr.Init(AbdmFixture.HipId, discovered.TransactionId, abha.PreferredAddress, patient.Id.ToString(),
            [room.ConsultationId.ToString(), elsewhere.ConsultationId.ToString()]);
        greedy.ErrorMessage.ShouldBe("The care contexts asked for were not offered to this transaction.");
        greedy.LinkReference.ShouldBeNull();

        var started = await Phr.Init(AbdmFixture.HipId, discovered.TransactionId, abha.PreferredAddress, patient.Id.ToString(), discovered.CareContexts);
        var otp = await abdm.LinkCode(mobile);
        var wrong = otp == "000000" ? "111111" : "000000";
        string?[] answers = [
            (await Phr.Confirm(AbdmFixture.HipId, started.TransactionId, abha.PreferredAddress, started.LinkReference!, wrong)).ErrorMessage,
            (await Phr.Confirm(AbdmFixture.HipId, started.TransactionId, abha.PreferredAddress, started.LinkReference!, wrong)).ErrorMessage,
            (await Phr.Confirm(AbdmFixture.HipId, started.TransactionId, abha.PreferredAddress, started.LinkReference!, wrong)).ErrorMessage,
            (await Phr.Confirm(AbdmFixture.HipId, started.TransactionId, abha.PreferredAddress, started.LinkReference!, otp)).ErrorMessage,
        ];

        answers.ShouldBe([
            "The OTP is not right: 2 attempt(s) left.", "The OTP is not right: 1 attempt(s) left.",
            "Too many wrong OTPs: link the records again to get a new one.", "Too many wrong OTPs: link the records again to get a new one.",
        ]);
        await using var session = abdm.Store.QuerySession();
        (await session.LoadAsync<CareContextLink>(room.ConsultationId)).ShouldBeNull();
        abdm.Abdm.State.LinksOf(abha.Number).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(CallbackSigning.Missing)]
    [InlineData(CallbackSigning.Forged)]
    public async Task A_discovery_not_signed_by_the_gateway_is_refused_and_answered_with_nothing(CallbackSigning signing)
    {
        var (abha, patient, _) = await abdm.PatientWithAbha("Deepa Joshi", "F", 1984);
        await Clinical.Prescribed(abdm.Host, patient);

        var discovered = await Phr.Discover(abha.PreferredAddress, AbdmFixture.HipId, signing: signing);

        discovered.Sent.Status.ShouldBe(401);
        discovered.Answer.ShouldBeNull();
        await using var session = abdm.Store.QuerySession();
        (await session.LoadAsync<LinkDiscovery>(discovered.TransactionId)).ShouldBeNull();
    }
}
