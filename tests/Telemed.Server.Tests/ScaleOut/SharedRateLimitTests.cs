using System.Net;
using System.Net.Http.Json;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.ScaleOut;

/// <summary>
/// Two server processes counting sign-ins in one Redis. Each test has a Redis of its own, so sign-ins from other tests
/// (the same client address) do not count against its limit.
/// </summary>
public class SharedRateLimitTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private const int Limit = 5;

    private async Task<(RedisServer Redis, ServerProcess A, ServerProcess B)> TwoNodesLimitingSignIn()
    {
        var redis = await RedisServer.Start();
        var settings = new Dictionary<string, string> { ["Redis__ConnectionString"] = redis.ConnectionString, ["Security__SignInPerMinute"] = $"{Limit}" };
        return (redis, await ServerProcess.Start(server.Schema, server.KeyPath, settings), await ServerProcess.Start(server.Schema, server.KeyPath, settings));
    }

    private static async Task<HttpResponseMessage> FailedSignIn(ServerProcess node)
    {
        using var http = new HttpClient { BaseAddress = node.Address };
        // A new email each time: five wrong passwords for one email would lock it (423) before the limit was met.
        return await http.PostAsJsonAsync("/api/auth/sign-in", new { email = $"nobody-{Guid.NewGuid():N}@telemed.local", password = "wrong-password-here" });
    }

    private static async Task SignInsPass(ServerProcess node, int count)
    {
        for (var attempt = 0; attempt < count; attempt++)
        {
            (await FailedSignIn(node)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    private static async Task ShouldBeLimited(ServerProcess node)
    {
        var limited = await FailedSignIn(node);
        await limited.ShouldHave(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
        (await limited.Problem()).GetProperty("detail").GetString()!.ShouldContain("wait a minute");
    }

    /// <summary>Shared windows are the minutes of Redis's clock (this machine's): a test must not straddle two.</summary>
    private static async Task WellInsideAMinute()
    {
        var second = DateTime.UtcNow.Second;
        if (second >= 45)
        {
            await Task.Delay(TimeSpan.FromSeconds(61 - second));
        }
    }

    private static async Task Stop(RedisServer redis, params ServerProcess[] nodes)
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task Sign_ins_on_either_node_count_against_one_limit()
    {
        var (redis, a, b) = await TwoNodesLimitingSignIn();
        try
        {
            await WellInsideAMinute();
            await SignInsPass(a, 3);
            await SignInsPass(b, 2);

            await ShouldBeLimited(a);
            await ShouldBeLimited(b);
        }
        finally
        {
            await Stop(redis, a, b);
        }
    }

    [Fact]
    public async Task Without_Redis_a_node_limits_alone_and_shares_again_when_Redis_returns()
    {
        var (redis, a, b) = await TwoNodesLimitingSignIn();
        try
        {
            await redis.Stop();
            await SignInsPass(a, Limit);
            await ShouldBeLimited(a);

            await redis.Resume();
            foreach (var node in new[] { a, b })
            {
                using var probe = new HttpClient { BaseAddress = node.Address };
                await TwoNodeTests.Eventually(async () => (await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK);
            }
            await WellInsideAMinute();
            await SignInsPass(b, 3);
            await SignInsPass(a, 2);
            await ShouldBeLimited(b);
        }
        finally
        {
            await Stop(redis, a, b);
        }
    }
}
