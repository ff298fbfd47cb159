using System.Net.WebSockets;
using System.Text;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Infrastructure;

/// <summary>
/// Clients that skip negotiation (the browser) are served by the hub's own WebSocket transport: what SignalR's
/// transport did for them it must still do. (Every hub test here goes through it too; these are the transport's own duties.)
/// </summary>
public class DirectHubSocketTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    [Fact]
    public async Task An_idle_connection_gets_the_servers_keep_alive_pings()
    {
        var tokens = await server.Host.SignInStaff(Api.DoctorEmail);
        using var socket = await HubClient.Raw(server.Host, tokens.AccessToken);

        // The server pings after 15 s without sending anything (SignalR's default); clients give up after 30 s of silence.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);

        Encoding.UTF8.GetString(buffer, 0, received.Count).ShouldBe("{\"type\":6}" + HubClient.RecordSeparator);
    }

    [Fact]
    public async Task The_connection_closes_when_its_access_token_expires()
    {
        var tokens = await server.Host.SignInStaff(Api.DoctorEmail);
        await using var hub = await HubClient.Connect(server.Host, "/hubs/clinic", tokens.AccessToken);
        var closed = hub.Closed();

        server.Time.Advance(TimeSpan.FromMinutes(16));

        await closed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_closing_client_gets_its_close_frame_answered()
    {
        var tokens = await server.Host.SignInStaff(Api.DoctorEmail);
        using var socket = await HubClient.Raw(server.Host, tokens.AccessToken);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        socket.State.ShouldBe(WebSocketState.Closed);
    }
}
