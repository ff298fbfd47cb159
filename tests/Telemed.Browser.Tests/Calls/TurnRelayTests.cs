using System.Globalization;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;
using Telemed.Domain.Signalling;

namespace Telemed.Browser.Tests.Calls;

/// <summary>The server configured with a real coturn on loopback.</summary>
public sealed class TurnFixture : BrowserFixture
{
    public TurnServer Turn { get; private set; } = null!;

    protected override async Task<IDictionary<string, string>> ServerSettings()
    {
        Turn = await TurnServer.Start();
        var port = Turn.Port.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string>
        {
            ["Turn__Secret"] = Turn.Secret,
            ["Turn__TurnUrls__0"] = $"turn:127.0.0.1:{port}?transport=udp",
            ["Turn__TurnUrls__1"] = $"turn:127.0.0.1:{port}?transport=tcp",
        };
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Turn is not null)
        {
            await Turn.DisposeAsync();
        }
    }
}

[Collection(OneAtATime.Name)]
public class TurnRelayTests(TurnFixture fixture) : IClassFixture<TurnFixture>
{
    /// <summary>Gathers ICE candidates through the given TURN credentials in relay-only mode; returns the candidate types and any error codes.</summary>
    private const string Gather = """
        async ([url, username, credential]) => {
          const pc = new RTCPeerConnection({ iceServers: [{ urls: url, username, credential }], iceTransportPolicy: 'relay' });
          const types = [], errors = [];
          pc.onicecandidate = e => e.candidate && types.push(e.candidate.type);
          pc.onicecandidateerror = e => errors.push(e.errorCode);
          pc.createDataChannel('probe');
          await pc.setLocalDescription(await pc.createOffer());
          await new Promise(r => { const t = setTimeout(r, 5000); pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && (clearTimeout(t), r()); });
          pc.close();
          return JSON.stringify({ types, errors });
        }
        """;

    [Fact]
    public async Task Fresh_credentials_get_a_relay_candidate_and_expired_ones_are_refused_by_coturn()
    {
        var page = await fixture.NewPage();
        await page.GotoAsync("/");
        var url = $"turn:127.0.0.1:{fixture.Turn.Port}?transport=udp";
        var fresh = TurnCredentials.Issue(fixture.Turn.Secret, "fresh", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10));
        var expired = TurnCredentials.Issue(fixture.Turn.Secret, "stale", DateTimeOffset.UtcNow.AddHours(-3), TimeSpan.FromHours(1));

        var good = Parse(await page.EvaluateAsync<string>(Gather, new[] { url, fresh.Username, fresh.Credential }));
        var bad = Parse(await page.EvaluateAsync<string>(Gather, new[] { url, expired.Username, expired.Credential }));

        good.Types.ShouldContain("relay");
        bad.Types.ShouldNotContain("relay");
        bad.Errors.ShouldContain(401);
    }

    [Fact]
    public async Task A_call_forced_through_the_relay_connects()
    {
        var sessionId = await fixture.OpenSession("rahul.nair@telemed.local");
        var doctor = await fixture.NewPage();
        var patient = await fixture.NewPage();
        await Pages.OpenQueue(doctor, "rahul.nair@telemed.local", sessionId, "/?relay=1");
        await Pages.CheckIn(patient, fixture, "7012345678", sessionId, "/?relay=1");
        await Assertions.Expect(patient.Locator("#token")).ToHaveTextAsync("1");

        await doctor.ClickAsync("#call-next");
        await doctor.ClickAsync("#start");

        foreach (var page in new[] { doctor, patient })
        {
            try
            {
                // Relay allocations and checks through coturn take longer than a direct pair on a busy machine.
                await page.WaitForFunctionAsync("() => window.telemed?.call?.pc?.connectionState === 'connected'",
                    null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            }
            catch (TimeoutException timeout)
            {
                throw new TimeoutException(await fixture.Diagnose(doctor, patient), timeout);
            }
            // "connected" can be reported a moment before getStats names the selected pair, so wait for the transport to name it.
            var selected = await page.WaitForFunctionAsync("""
                async () => {
                  const stats = await window.telemed.call.pc.getStats();
                  let pairId;
                  stats.forEach(r => { if (r.type === 'transport' && r.selectedCandidatePairId) pairId = r.selectedCandidatePairId; });
                  const pair = pairId && stats.get(pairId);
                  return pair && stats.get(pair.localCandidateId)?.candidateType;
                }
                """, null, new PageWaitForFunctionOptions { Timeout = 10_000 });
            var localType = await selected.JsonValueAsync<string>();
            localType.ShouldBe("relay");
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static GatherResult Parse(string json) => System.Text.Json.JsonSerializer.Deserialize<GatherResult>(json, Web)!;

    private sealed record GatherResult(string[] Types, int[] Errors);
}
