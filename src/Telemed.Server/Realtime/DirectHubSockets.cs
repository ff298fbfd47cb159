using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.SignalR;

namespace Telemed.Server.Realtime;

/// <summary>
/// Serves the hub connections whose clients skip negotiation (the browser's, web-client/src/app.ts; native clients that
/// connect straight to the WebSocket) with a WebSocket transport of our own, in which the hub reads a message on the
/// thread that received it and a message is sent on the thread that wrote it. SignalR's own transport passes every
/// message through two pipes whose readers are woken on the thread pool (socket → hub, hub → socket). Measured: removing
/// those hops moved the signalling relay's median little; most of what was left came with SignalR's invocation dispatch
/// (docs/benchmarks.md, session 6), which a hub's <see cref="IHubFastLane"/> skips for the messages it can carry out, and
/// a relayed message can be sent straight to its addressee's socket (<see cref="TrySend"/>).
/// Everything else above the socket is SignalR's, unchanged: the hub and its filters, the handshake and protocol, keep-alive
/// pings and client time-outs, groups and the Redis backplane, and the endpoint's authorisation (the authorisation
/// middleware has already run for the hub's endpoint by the time this one does). Negotiated connections — stateful
/// reconnect, server-sent events, long polling — still take SignalR's transport.
/// </summary>
public static class DirectHubSockets
{
    public static IHostApplicationBuilder AddDirectHubSockets(this IHostApplicationBuilder builder)
    {
        // What a socket received is handled on the thread that read it instead of being handed to the thread pool first
        // (with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1, as deployed, that is the epoll thread): one thread wake-up
        // less per signalling message. Measured on the relay benchmark and checked on the queue and consultation loads
        // (docs/benchmarks.md, session 7). Server:InlineScheduling=false turns it off.
        if (builder.Configuration.GetValue("Server:InlineScheduling", defaultValue: true))
        {
            builder.Services.Configure<SocketTransportOptions>(options => options.UnsafePreferInlineScheduling = true);
        }
        builder.Services.AddSingleton<DirectHubConnections>();
        builder.Services.AddSingleton<DirectHubInvocations>();
        // Global filters run before a hub's own, so an invocation counts as running while any of them runs.
        builder.Services.AddSignalR(options => options.AddFilter<DirectHubInvocations>());
        return builder;
    }

    /// <summary>Must come after authentication and authorisation, and before the endpoints run.</summary>
    public static WebApplication UseDirectHubSockets(this WebApplication app)
    {
        var connections = app.Services.GetRequiredService<DirectHubConnections>();
        app.Lifetime.ApplicationStopping.Register(connections.CloseAll);
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<HubMetadata>() is not { } hub
                || !context.WebSockets.IsWebSocketRequest
                || context.Request.Query.ContainsKey("id"))
            {
                await next(context);
                return;
            }
            var handler = (ConnectionHandler)context.RequestServices.GetRequiredService(typeof(HubConnectionHandler<>).MakeGenericType(hub.HubType));
            await connections.Serve(context, handler, context.RequestServices.GetKeyedService<IHubFastLane>(hub.HubType));
        });
        return app;
    }
}

/// <summary>The direct hub connections open on this node: ticks their heartbeats, closes them when the node stops.</summary>
public sealed class DirectHubConnections : IDisposable
{
    // A close handshake the client does not answer within this time is cut short.
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, DirectHubConnection> open = new();
    private readonly ITimer heartbeat;
    // Token expiry is read on the application's clock (the one tokens are issued on); the heartbeat and the close
    // timeout run on the real clock, as in SignalR's own transport, because the clients' time-outs do.
    private readonly TimeProvider tokenClock;

    public DirectHubConnections(TimeProvider tokenClock)
    {
        this.tokenClock = tokenClock;
        heartbeat = TimeProvider.System.CreateTimer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Ends every message of SignalR's JSON protocol.</summary>
    public const byte RecordSeparator = 0x1e;

    public int Count => open.Count;

    /// <summary>Sends straight to a connection open here (see <see cref="DirectHubConnection.TrySend"/>); false if it was not sent.</summary>
    public ValueTask<bool> TrySend(string connectionId, ReadOnlyMemory<byte> message) =>
        open.TryGetValue(connectionId, out var connection) ? connection.TrySend(message) : ValueTask.FromResult(false);

    public async Task Serve(HttpContext context, ConnectionHandler handler, IHubFastLane? fastLane)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        // As CloseOnAuthenticationExpiration in SignalR's transport (the clinic hub's setting): a connection lives no
        // longer than its access token; the client reconnects with a fresh one, or is signed out.
        var expiresAt = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc;
        var connection = new DirectHubConnection(context, socket, expiresAt, fastLane);
        open[connection.ConnectionId] = connection;
        try
        {
            var receiving = connection.Receive();
            var sending = connection.Send();
            try
            {
                await handler.OnConnectedAsync(connection);
            }
            finally
            {
                connection.ApplicationEnded();
            }
            await sending;
            if (await Task.WhenAny(receiving, Task.Delay(CloseTimeout)) != receiving)
            {
                socket.Abort();
            }
            await receiving;
        }
        finally
        {
            open.TryRemove(connection.ConnectionId, out _);
        }
    }

    /// <summary>The node is stopping: every hub is told its client is leaving, and closes with "reconnect elsewhere".</summary>
    public void CloseAll()
    {
        foreach (var (_, connection) in open)
        {
            connection.Stop();
        }
    }

    private void Tick()
    {
        var now = tokenClock.GetUtcNow();
        foreach (var (_, connection) in open)
        {
            connection.Tick(now);
        }
    }

    public void Dispose() => heartbeat.Dispose();
}
