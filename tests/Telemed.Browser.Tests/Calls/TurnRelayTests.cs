using System.Globalization;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;
using Telemed.Domain.Signalling;

namespace Telemed.Browser.Tests.Calls;

/// <summary>The server configured with a real coturn on loopback, handing out its UDP and TCP URLs.</summary>
public class TurnFixture : BrowserFixture
{
    public TurnServer Turn { get; private set; } = null!;

    /// <summary>Whether coturn also speaks TLS and the server hands out only its <c>turns:</c> URL.</summary>
    protected virtual bool Tls => false;

    protected override async Task<IDictionary<string, string>> ServerSettings()
    {
        Turn = await TurnServer.Start(Tls);
        var port = Turn.Port.ToString(CultureInfo.InvariantCulture);
        return Tls
            ? new Dictionary<string, string>
            {
                ["Turn__Secret"] = Turn.Secret,
                ["Turn__TurnUrls__0"] = $"turns:localhost:{Turn.TlsPort}?transport=tcp",
            }
            : new Dictionary<string, string>
            {
                ["Turn__Secret"] = Turn.Secret,
                ["Turn__TurnUrls__0"] = $"turn:127.0.0.1:{port}?transport=udp",
                ["Turn__TurnUrls__1"] = $"turn:127.0.0.1:{port}?transport=tcp",
            };
    }

    /// <summary>With TLS, the fixture's browser trusts coturn's certificate as a public CA's would be trusted in the field.</summary>
    protected override string[] BrowserArguments() => Tls ? [$"--ignore-certificate-errors-spki-list={Turn.CertificateSpki}"] : [];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Turn is not null)
        {
            await Turn.DisposeAsync();
        }
    }
}

/// <summary>coturn with TURN over TLS (the deployment's port 443), the only TURN URL the server hands out.</summary>
public sealed class TurnTlsFixture : TurnFixture
{
    protected override bool Tls => true;
}

[Collection(OneAtATime.Name)]
public class TurnRelayTests(TurnFixture fixture) : IClassFixture<TurnFixture>
{
    [Fact]
    public async Task Fresh_credentials_get_a_relay_candidate_and_expired_ones_are_refused_by_coturn()
    {
        var page = await fixture.NewPage();
        await page.GotoAsync("/");
        var url = $"turn:127.0.0.1:{fixture.Turn.Port}?transport=udp";
        var fresh = TurnCredentials.Issue(fixture.Turn.Secret, "fresh", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10));
        var expired = TurnCredentials.Issue(fixture.Turn.Secret, "stale", DateTimeOffset.UtcNow.AddHours(-3), TimeSpan.FromHours(1));

        var good = await Relay.Gather(page, url, fresh);
        var bad = await Relay.Gather(page, url, expired);

        good.Types.ShouldContain("relay");
        bad.Types.ShouldNotContain("relay");
        bad.Errors.ShouldContain(401);
    }

    [Fact]
    public Task A_call_forced_through_the_relay_connects() => Relay.CallConnects(fixture, protocol: null);
}

[Collection(OneAtATime.Name)]
public class TurnTlsTests(TurnTlsFixture fixture) : IClassFixture<TurnTlsFixture>
{
    [Fact]
    public async Task Chromium_relays_over_tls_only_through_a_certificate_it_trusts()
    {
        var url = $"turns:localhost:{fixture.Turn.TlsPort}?transport=tcp";
        var credentials = TurnCredentials.Issue(fixture.Turn.Secret, "tls", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10));
        var trusting = await fixture.NewPage();
        await trusting.GotoAsync("/");
        await using var otherBrowser = await fixture.LaunchBrowser();
        var untrusting = await fixture.NewPage(browser: otherBrowser);
        await untrusting.GotoAsync("/");

        var trusted = await Relay.Gather(trusting, url, credentials);
        var untrusted = await Relay.Gather(untrusting, url, credentials);

        trusted.Types.ShouldContain("relay");
        trusted.Protocols.ShouldAllBe(protocol => protocol == "tls");
        untrusted.Types.ShouldNotContain("relay");
        untrusted.Errors.ShouldContain(701);
    }

    [Fact]
    public Task A_call_forced_through_the_relay_over_tls_connects() => Relay.CallConnects(fixture, protocol: "tls");
}

/// <summary>What the relay tests do in the browser.</summary>
internal static class Relay
{
    /// <summary>Gathers ICE candidates through the given TURN credentials in relay-only mode: candidate types, relay protocols, error codes.</summary>
    private const string GatherScript = """
        async ([url, username, credential]) => {
          const pc = new RTCPeerConnection({ iceServers: [{ urls: url, username, credential }], iceTransportPolicy: 'relay' });
          const types = [], protocols = [], errors = [];
          pc.onicecandidate = e => e.candidate && (types.push(e.candidate.type), e.candidate.relayProtocol && protocols.push(e.candidate.relayProtocol));
          pc.onicecandidateerror = e => errors.push(e.errorCode);
          pc.createDataChannel('probe');
          await pc.setLocalDescription(await pc.createOffer());
          await new Promise(r => { const t = setTimeout(r, 5000); pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && (clearTimeout(t), r()); });
          pc.close();
          return JSON.stringify({ types, protocols, errors });
        }
        """;

    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static async Task<Gathered> Gather(IPage page, string url, TurnCredential credentials) =>
        System.Text.Json.JsonSerializer.Deserialize<Gathered>(
            await page.EvaluateAsync<string>(GatherScript, new[] { url, credentials.Username, credentials.Credential }), Web)!;

    /// <summary>
    /// A doctor and a patient, both relay-only, connect; each side's selected pair uses a relay candidate, over the
    /// given relay protocol when one is named.
    /// </summary>
    public static async Task CallConnects(TurnFixture fixture, string? protocol)
    {
        var (doctor, patient) = await Connect(fixture);
        foreach (var page in new[] { doctor, patient })
        {
            // "connected" can be reported a moment before getStats names the selected pair, so wait for the transport to name it.
            var selected = await page.WaitForFunctionAsync("""
                async () => {
                  const stats = await window.telemed.call.pc.getStats();
                  let pairId;
                  stats.forEach(r => { if (r.type === 'transport' && r.selectedCandidatePairId) pairId = r.selectedCandidatePairId; });
                  const local = pairId && stats.get(stats.get(pairId).localCandidateId);
                  return local && JSON.stringify({ type: local.candidateType, protocol: local.relayProtocol ?? null });
                }
                """, null, new PageWaitForFunctionOptions { Timeout = 10_000 });
            var local = System.Text.Json.JsonSerializer.Deserialize<SelectedCandidate>(await selected.JsonValueAsync<string>(), Web)!;
            local.Type.ShouldBe("relay");
            if (protocol is not null)
            {
                local.Protocol.ShouldBe(protocol);
            }
        }
    }

    /// <summary>A doctor and a patient, both relay-only, in a connected call.</summary>
    public static async Task<(IPage Doctor, IPage Patient)> Connect(TurnFixture fixture)
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
        }
        return (doctor, patient);
    }

    internal sealed record Gathered(string[] Types, string[] Protocols, int[] Errors);

    private sealed record SelectedCandidate(string Type, string? Protocol);
}
