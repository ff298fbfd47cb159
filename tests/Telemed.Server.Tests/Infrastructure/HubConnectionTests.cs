using System.Net.WebSockets;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Telemed.Domain.Identity;
using Telemed.Server.Identity;
using System.Text;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Infrastructure;

/// <summary>The hub connection's own duties: keep-alive, expiry with the access token, closing, refusing what is not SignalR.</summary>
public class HubConnectionTests(TelemedServer server) : IClassFixture<TelemedServer>
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
        // SignalR reads a connection's expiry on the real clock, so this token expires 3 s from now in real time
        // (a one-minute token issued 57 s ago), while the host's own clock, which validates it, is brought up to now.
        server.Time.SetUtcNow(DateTimeOffset.UtcNow);
        var settings = server.Host.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        settings.AccessTokenMinutes.ShouldBeGreaterThan(1);
        var staff = await server.Host.SignInStaff(Api.DoctorEmail);
        var shortLived = new Tokens(server.Host.Services.GetRequiredService<SigningKey>(),
            Options.Create(new AuthOptions { SigningKeyPath = settings.SigningKeyPath, Issuer = settings.Issuer, Audience = settings.Audience, AccessTokenMinutes = 1 }),
            new FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(-57)));
        await using var session = server.Host.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var token = shortLived.Issue(session, staff.AccountId, Role.Doctor).AccessToken;
        await using var hub = await HubClient.Connect(server.Host, "/hubs/consultation", token);
        var closed = hub.Closed();

        await closed.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_closing_client_gets_its_close_frame_answered()
    {
        var tokens = await server.Host.SignInStaff(Api.DoctorEmail);
        using var socket = await HubClient.Raw(server.Host, tokens.AccessToken);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        socket.State.ShouldBe(WebSocketState.Closed);
    }

    [Fact]
    public async Task An_empty_frame_and_a_garbage_frame_are_refused_without_an_exception_in_the_log()
    {
        var tokens = await server.Host.SignInStaff(Api.DoctorEmail);
        var logged = server.Logs.Lines.Count;

        using (var socket = await HubClient.Raw(server.Host, tokens.AccessToken))
        {
            await socket.SendAsync(Array.Empty<byte>(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            // An empty frame is no message: nothing happens, and the connection still answers.
            await socket.SendAsync(Encoding.UTF8.GetBytes("{\"type\":6}" + HubClient.RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);
            socket.State.ShouldBe(WebSocketState.Open);
            await socket.SendAsync(Encoding.UTF8.GetBytes("{not json at all" + HubClient.RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);
            (await HubClient.ServerClosed(socket)).ShouldBeTrue("a message that is not SignalR's JSON closes the connection");
        }
        await using var hub = await HubClient.Connect(server.Host, "/hubs/consultation", tokens.AccessToken);
        hub.Connection.State.ShouldBe(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected);

        var exceptions = server.Logs.Lines.Skip(logged).Where(line => line.Contains("Exception", StringComparison.Ordinal) || line.StartsWith("Error", StringComparison.Ordinal)).ToList();
        exceptions.ShouldBeEmpty();
    }
}
