using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Messages;

/// <summary>Server processes on one schema whose SMS go to one fake gateway.</summary>
public sealed class GatewayNodes : IAsyncLifetime
{
    public TelemedServer Server { get; } = new();

    public FakeSmsGateway Sms { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Server.InitializeAsync();
        Sms = await FakeSmsGateway.Start();
    }

    public Task<ServerProcess> StartNode()
    {
        var settings = Sms.Settings("__");
        settings["Messages__PollMilliseconds"] = "200";
        return ServerProcess.Start(Server.Schema, Server.KeyPath, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Sms.DisposeAsync();
    }
}

public class DispatchAcrossNodesTests(GatewayNodes nodes) : IClassFixture<GatewayNodes>
{
    private static async Task AskForCodes(IReadOnlyList<string> mobiles, params ServerProcess[] servers)
    {
        var clients = servers.Select(server => new HttpClient { BaseAddress = server.Address }).ToList();
        await Parallel.ForEachAsync(mobiles.Select((mobile, i) => (mobile, i)), async (item, token) =>
            await (await clients[item.i % clients.Count].PostAsJsonAsync("/api/auth/otp", new { item.mobile }, token)).ShouldHave(HttpStatusCode.Accepted));
    }

    private async Task EachTakenOnce(IReadOnlyList<string> mobiles)
    {
        await Api.Eventually(() => Task.FromResult(mobiles.All(m => nodes.Sms.To(m).Count > 0) ? "" : null), TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        mobiles.ShouldAllBe(mobile => nodes.Sms.To(mobile).Count == 1);
        nodes.Sms.Refusals.ShouldBeEmpty();
    }

    [Fact]
    public async Task Two_nodes_dispatching_the_same_outbox_hand_each_message_over_once()
    {
        await using var a = await nodes.StartNode();
        await using var b = await nodes.StartNode();
        var mobiles = Enumerable.Range(0, 80).Select(_ => Api.NewMobile()).ToList();

        await AskForCodes(mobiles, a, b);

        await EachTakenOnce(mobiles);
        nodes.Sms.Arrivals.Count(key => key is not null).ShouldBe(nodes.Sms.Arrivals.Count);
    }

    [Fact]
    public async Task A_node_killed_mid_dispatch_leaves_its_messages_to_another_which_delivers_each_once()
    {
        var mobiles = Enumerable.Range(0, 40).Select(_ => Api.NewMobile()).ToList();
        var arrived = nodes.Sms.Arrivals.Count;
        await using (var doomed = await nodes.StartNode())
        {
            // The gateway takes each message at once but answers only after two seconds: the node dies waiting.
            nodes.Sms.DelayNext(mobiles.Count, TimeSpan.FromSeconds(2));
            await AskForCodes(mobiles, doomed);
            await Api.Eventually(() => Task.FromResult(nodes.Sms.Arrivals.Count - arrived >= mobiles.Count ? "" : null));
            await doomed.Kill();
        }
        // Whatever the node had claimed but not yet recorded went back to the outbox with its connection.
        (await PendingMessages()).ShouldBeGreaterThan(0);

        await using var survivor = await nodes.StartNode();

        await EachTakenOnce(mobiles);
        await Api.Eventually(async () => await PendingMessages() == 0 ? "" : null);
        // The survivor handed over again what the dead node had handed over: the idempotency keys kept the copies out.
        nodes.Sms.Arrivals.Skip(arrived).GroupBy(key => key).ShouldContain(sameKey => sameKey.Count() > 1);
    }

    private async Task<long> PendingMessages()
    {
        await using var connection = new NpgsqlConnection(TelemedServer.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"select count(*) from {nodes.Server.Schema}.mt_doc_outgoingmessage where state = 'Pending'", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
