using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.AbdmSimulator;
using Telemed.Domain.Abdm;
using Telemed.Server.Abdm;
using Telemed.Server.Audit;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Abdm;

/// <summary>Callbacks from the gateway: its signature checked against its published keys, replays ignored, refusals audited.</summary>
public class GatewayCallbackTests(AbdmFixture abdm) : IClassFixture<AbdmFixture>
{
    private IDocumentStore Store => abdm.Host.Services.GetRequiredService<IDocumentStore>();

    [Theory]
    [InlineData(CallbackSigning.Missing, "no bearer token")]
    [InlineData(CallbackSigning.Forged, "bad signature")]
    public async Task A_callback_without_the_gateways_signature_is_refused_audited_and_not_acted_on(CallbackSigning signing, string reason)
    {
        await Sessions.Open(abdm.Host);
        var person = abdm.Abdm.People.Open(new Resident(Population.NewAadhaar(), "Lata Menon", "F", new DateOnly(1970, 2, 3), Api.NewMobile()[^10..]));

        var shared = await abdm.Abdm.Phr.Share(person.PreferredAddress, AbdmFixture.HipId, "REG-1", signing, TimeSpan.FromSeconds(1));

        shared.Sent.Status.ShouldBe(401);
        shared.OnShare.ShouldBeNull();
        await using var session = Store.QuerySession();
        (await session.Query<PatientAbha>().Where(a => a.Profile.Number == person.Number).AnyAsync()).ShouldBeFalse();
        var audited = await session.Query<AuditEntry>().Where(e => e.Resource == "abdm" + ScanAndShare.Path).ToListAsync();
        audited.ShouldContain(e => e.Action.Contains(reason) && e.Outcome == Telemed.Domain.Audit.AuditOutcome.Refused);
    }

    [Fact]
    public async Task Housekeeping_deletes_what_can_no_longer_be_used_and_keeps_the_rest()
    {
        var now = abdm.Server.Time.GetUtcNow();
        var old = now - AbdmHousekeeping.Kept - TimeSpan.FromMinutes(1);
        var recent = now - TimeSpan.FromMinutes(1);
        string Id() => Guid.NewGuid().ToString();
        var (oldCallback, recentCallback, oldDiscovery, recentDiscovery, oldRequest, recentRequest, oldPending, oldAnswer) =
            (Id(), Id(), Id(), Id(), Id(), Id(), Id(), Id());
        await using (var session = Store.LightweightSession())
        {
            session.Store(new ReceivedCallback(oldCallback, LinkTokens.CallbackPath, old), new ReceivedCallback(recentCallback, LinkTokens.CallbackPath, recent));
            session.Store(new LinkDiscovery(oldDiscovery, "asha@sbx", null, [], old), new LinkDiscovery(recentDiscovery, "asha@sbx", null, [], recent));
            session.Store(new PatientLinkRequest(oldRequest, oldDiscovery, Guid.NewGuid(), "asha@sbx", [], "hash", new LinkCode(old, 0, false), old),
                new PatientLinkRequest(recentRequest, recentDiscovery, Guid.NewGuid(), "asha@sbx", [], "hash", new LinkCode(recent, 0, false), recent));
            session.Store(new PendingGatewayRequest(oldPending, LinkTokens.CallbackPath, old));
            session.Store(new GatewayAnswer(oldAnswer, "{}", old));
            await session.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await abdm.Host.Services.GetRequiredService<AbdmHousekeeping>().Sweep(TestContext.Current.CancellationToken);

        await using var query = Store.QuerySession();
        (await query.LoadAsync<ReceivedCallback>(oldCallback)).ShouldBeNull();
        (await query.LoadAsync<ReceivedCallback>(recentCallback)).ShouldNotBeNull("a replay of it would still carry an acceptable timestamp");
        (await query.LoadAsync<LinkDiscovery>(oldDiscovery)).ShouldBeNull();
        (await query.LoadAsync<LinkDiscovery>(recentDiscovery)).ShouldNotBeNull();
        (await query.LoadAsync<PatientLinkRequest>(oldRequest)).ShouldBeNull();
        (await query.LoadAsync<PatientLinkRequest>(recentRequest)).ShouldNotBeNull();
        (await query.LoadAsync<PendingGatewayRequest>(oldPending)).ShouldBeNull();
        (await query.LoadAsync<GatewayAnswer>(oldAnswer)).ShouldBeNull();
    }

    [Fact]
    public async Task A_replayed_callback_is_ignored_and_audited()
    {
        await Sessions.Open(abdm.Host);
        var person = abdm.Abdm.People.Open(new Resident(Population.NewAadhaar(), "Farhan Ali", "M", new DateOnly(1983, 7, 9), Api.NewMobile()[^10..]));
        var shared = await abdm.Abdm.Phr.Share(person.PreferredAddress, AbdmFixture.HipId, "REG-1");
        shared.TokenNumber.ShouldNotBeNull();

        var replayed = await abdm.Abdm.Phr.Replay(shared);

        replayed.Status.ShouldBe(202);
        await using var session = Store.QuerySession();
        var patient = await session.Query<PatientAbha>().Where(a => a.Profile.Number == person.Number).SingleAsync();
        (await session.Events.QueryRawEventDataOnly<Telemed.Domain.Queue.PatientCheckedIn>().Where(e => e.PatientId == patient.Id).CountAsync()).ShouldBe(1);
        (await session.Events.FetchStreamAsync(patient.Id)).Select(e => e.Data).OfType<AbhaVerified>().ShouldHaveSingleItem();
        (await session.Query<AuditEntry>().Where(e => e.Resource == "abdm" + ScanAndShare.Path).ToListAsync())
            .ShouldContain(e => e.Action.Contains("replayed"));
    }

    [Fact]
    public async Task A_callback_with_a_stale_timestamp_is_refused()
    {
        var answer = await abdm.Abdm.Gateway.Post(LinkTokens.CallbackPath, AbdmFixture.HipId,
            new JsonObject { ["linkToken"] = "x", ["response"] = new JsonObject { ["requestId"] = Guid.NewGuid().ToString() } }, CallbackSigning.Valid);

        var stale = await abdm.Abdm.Gateway.Replay(answer with
        {
            RequestId = Guid.NewGuid().ToString(),
            Timestamp = DateTime.UtcNow.AddMinutes(-30).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        });

        stale.Status.ShouldBe(400);
    }

    [Fact]
    public async Task A_callback_that_answers_no_request_of_telemeds_is_refused() =>
        (await abdm.Abdm.Gateway.Post(LinkTokens.CallbackPath, AbdmFixture.HipId,
            new JsonObject { ["abhaAddress"] = "someone@sbx", ["linkToken"] = "forged", ["response"] = new JsonObject { ["requestId"] = Guid.NewGuid().ToString() } },
            CallbackSigning.Valid)).Status.ShouldBe(400);

    [Fact]
    public async Task A_link_token_whose_callback_does_not_come_in_time_is_recorded_as_timed_out()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha();
        abdm.Abdm.Options.CallbackDelayMilliseconds = 5000;
        try
        {
            await (await abdm.Verify(patient, new { abhaNumber = abha.Number }, mobile)).ShouldHave(HttpStatusCode.OK);

            var client = abdm.Host.As(patient.AccessToken);
            var state = await Api.Eventually(async () =>
                (await client.GetFromJsonAsync<JsonElement>("/api/me/abha")).GetProperty("verified").GetProperty("recordLinking").GetString() is { } s && s != "waiting" ? s : null,
                TimeSpan.FromSeconds(15));
            state.ShouldBe("timedOut");
        }
        finally
        {
            abdm.Abdm.Options.CallbackDelayMilliseconds = 0;
        }
    }
}
