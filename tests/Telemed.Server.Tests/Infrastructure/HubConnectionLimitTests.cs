using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Infrastructure;

/// <summary>How many live hub connections one account or one address may hold, and how fast the anonymous board may open them.</summary>
public class HubConnectionLimitTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    [Fact]
    public async Task An_account_holds_at_most_its_number_of_connections_and_a_closed_one_frees_its_place()
    {
        var host = server.Start(new Dictionary<string, string?> { ["Hubs:ConnectionsPerAccount"] = "2" });
        var patients = await host.CreatePatients(2);
        var first = await HubClient.Connect(host, "/hubs/queue", patients[0].AccessToken);
        await using var second = await HubClient.Connect(host, "/hubs/consultation", patients[0].AccessToken);

        (await Refused(() => HubClient.Connect(host, "/hubs/queue", patients[0].AccessToken))).ShouldBeTrue("a third connection of the account, on any hub");
        await using var someoneElse = await HubClient.Connect(host, "/hubs/queue", patients[1].AccessToken);

        await first.DisposeAsync();
        await using var again = await Api.Eventually(async () =>
        {
            try
            {
                return await HubClient.Connect(host, "/hubs/queue", patients[0].AccessToken);
            }
            catch (Exception exception) when (exception is not Shouldly.ShouldAssertException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_address_holds_at_most_its_number_of_connections_whoever_opens_them()
    {
        var host = server.Start(new Dictionary<string, string?> { ["Hubs:ConnectionsPerAddress"] = "2" });
        var patients = await host.CreatePatients(3);
        await using var first = await HubClient.Connect(host, "/hubs/queue", patients[0].AccessToken);
        await using var second = await HubClient.Connect(host, "/hubs/board", null);

        (await Refused(() => HubClient.Connect(host, "/hubs/queue", patients[2].AccessToken))).ShouldBeTrue();
    }

    [Fact]
    public async Task The_anonymous_board_may_open_only_so_many_connections_a_minute_from_one_address()
    {
        var host = server.Start(new Dictionary<string, string?> { ["Hubs:AnonymousConnectionsPerMinute"] = "2" });
        var patient = (await host.CreatePatients(1))[0];
        await (await HubClient.Connect(host, "/hubs/board", null)).DisposeAsync();
        await using var open = await HubClient.Connect(host, "/hubs/board", null);

        (await Refused(() => HubClient.Connect(host, "/hubs/board", null))).ShouldBeTrue("the first connection closed, but counts for its minute");
        await using var signedIn = await HubClient.Connect(host, "/hubs/queue", patient.AccessToken);
    }

    private static async Task<bool> Refused(Func<Task<HubClient>> connect)
    {
        try
        {
            await using var connected = await connect();
            return false;
        }
        catch (Exception exception) when (exception is not Shouldly.ShouldAssertException)
        {
            return true;
        }
    }
}
