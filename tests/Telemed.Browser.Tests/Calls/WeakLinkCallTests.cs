using System.Globalization;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;
using Telemed.Server.Tests.Support;

namespace Telemed.Browser.Tests.Calls;

/// <summary>
/// A relay-only call whose two sides each send at about 100 kbit/s, as on a weak mobile uplink: a traffic shaper on the
/// loopback of the test's own network namespace holds the UDP sent to coturn's port to 200 kbit/s for both, so the
/// server, the database and every other test keep their speed.
/// </summary>
[Collection(OneAtATime.Name)]
public class WeakLinkCallTests(TurnFixture fixture) : IClassFixture<TurnFixture>
{
    [Fact]
    public async Task At_100_kbits_each_way_the_call_goes_on_as_audio_and_both_sides_are_told_and_video_returns_when_the_cap_is_lifted()
    {
        await LoopbackOnly();
        var (doctor, patient) = await Relay.Connect(fixture);
        var sides = new[] { doctor, patient };
        await Task.WhenAll(sides.Select(page => FramesArrive(page, "video")));

        await Shaper("qdisc", "add", "dev", "lo", "root", "handle", "1:", "htb", "default", "10");
        try
        {
            await Shaper("class", "add", "dev", "lo", "parent", "1:", "classid", "1:10", "htb", "rate", "10gbit");
            await Shaper("class", "add", "dev", "lo", "parent", "1:", "classid", "1:20", "htb", "rate", "200kbit", "ceil", "200kbit");
            await Shaper("filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", "1", "u32",
                "match", "ip", "protocol", "17", "0xff", "match", "ip", "dport", fixture.Turn.Port.ToString(CultureInfo.InvariantCulture), "0xffff", "flowid", "1:20");

            foreach (var page in sides)
            {
                await Assertions.Expect(page.Locator("#local")).ToHaveAttributeAsync("data-sending", "paused", new() { Timeout = 60_000 });
            }
            await Assertions.Expect(doctor.Locator("#remote")).ToHaveAttributeAsync("data-paused", "true");
            await Assertions.Expect(patient.Locator("#remote")).ToHaveAttributeAsync("data-paused", "true");
            await Assertions.Expect(patient.Locator("#call-notice")).ToContainTextAsync("your video is paused");
            await Assertions.Expect(patient.Locator("#call-notice")).ToContainTextAsync("The doctor has a weak connection");
            foreach (var page in sides)
            {
                (await page.EvaluateAsync<string>("() => window.telemed.call.pc.connectionState")).ShouldBe("connected");
                await FramesArrive(page, "audio");
            }
        }
        finally
        {
            await Shaper("qdisc", "del", "dev", "lo", "root");
        }

        // The first try of the video comes 10 s after the pause, later ones up to a minute apart.
        foreach (var page in sides)
        {
            await Assertions.Expect(page.Locator("#local")).ToHaveAttributeAsync("data-sending", "full", new() { Timeout = 120_000 });
        }
        await Assertions.Expect(doctor.Locator("#remote")).ToHaveAttributeAsync("data-paused", "false");
        await Assertions.Expect(patient.Locator("#call-notice")).Not.ToContainTextAsync("weak connection");
        await Task.WhenAll(sides.Select(page => FramesArrive(page, "video")));
    }

    /// <summary>Packets (or video frames) of the main link's incoming stream of that kind keep arriving.</summary>
    private static async Task FramesArrive(IPage page, string kind)
    {
        var counter = kind == "video" ? "framesDecoded" : "packetsReceived";
        var script = $$"""
            async () => {
              let total = 0;
              (await window.telemed.call.pc.getStats()).forEach(r => { if (r.type === 'inbound-rtp' && r.kind === '{{kind}}') total += r.{{counter}} ?? 0; });
              return total;
            }
            """;
        var before = await page.EvaluateAsync<long>(script);
        await page.WaitForFunctionAsync($"async () => (await ({script})()) > {before + 5}", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
    }

    /// <summary>The shaper changes the loopback of the namespace it runs in: only the one ./test.sh made for the tests.</summary>
    private static async Task LoopbackOnly()
    {
        var links = await Tool.Run("ip", "-o", "link", "show");
        links.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldAllBe(
            line => line.Contains(": lo:"), "the link shaper runs only in the loopback-only network namespace ./test.sh creates");
    }

    private static async Task Shaper(params string[] arguments)
    {
        var run = await Tool.Run("tc", arguments);
        run.ExitCode.ShouldBe(0, $"tc {string.Join(' ', arguments)}: {run.StandardError}");
    }
}
