using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.Options;

namespace Telemed.Server.Realtime;

/// <summary>How long a connection may keep a push waiting before it is cut.</summary>
public sealed class HubSendOptions
{
    public const string Section = "Hubs";

    /// <summary>
    /// A transport send to one connection that is not done within this time closes that connection, and a push still
    /// waiting for it this long is dropped; the client reconnects and reads the state afresh. ASP.NET Core's own transport
    /// default: long enough for a slow mobile line to take 64 KB, short enough that a stalled one does not hold messages for long.
    /// </summary>
    [Range(1, 300)]
    public int SendTimeoutSeconds { get; set; } = 10;
}

/// <summary>
/// Hands pushes to SignalR and waits for no one who receives them. SignalR writes to one connection at a time, in the
/// order sends are handed to it (a connection's writes queue behind its one write lock; through Redis, one channel's
/// messages arrive in the order they were published), so callers that hand their pushes over in order — a queue command
/// while it still holds the session's turn — are heard in that order, and none of them waits while a client does not read.
/// <para>
/// A client that stops reading fills its transport buffer (<c>TransportMaxBufferSize</c>) or, with stateful reconnect,
/// the messages it has not acknowledged (<c>StatefulReconnectBufferSize</c>); after that SignalR holds each further
/// write to it behind the connection's write lock, one waiter per message, and with stateful reconnect holds it for as
/// long as no acknowledgement comes, even after the connection closed. What closes the connection is the transport's
/// send timeout, set to the same bound as a push's deadline (<see cref="Bound"/>): a WebSocket send stuck that long is
/// cancelled and the connection closed, which releases everything held for it, the Redis backplane's deliveries and
/// SignalR's own replies included. A push's deadline frees its own waiter: one still waiting for the write lock when it
/// passes is dropped, without closing the connection (SignalR aborts a connection only when a write it began fails).
/// What neither covers, a client that reads but never acknowledges, is in docs/security.md.
/// </para>
/// </summary>
public sealed partial class Pushes(IOptions<HubSendOptions> options, ILogger<Pushes> logger)
{
    private TimeSpan SendTimeout => TimeSpan.FromSeconds(options.Value.SendTimeoutSeconds);

    /// <summary>
    /// Runs <paramref name="push"/> now, so its sends are handed to SignalR before this returns, and observes it
    /// afterwards. A push that fails never fails the caller: clients read the state afresh when they reconnect.
    /// </summary>
    public void Send(Func<CancellationToken, Task> push) => _ = Observe(push);

    private async Task Observe(Func<CancellationToken, Task> push)
    {
        // The network's clock, not the application's: a deadline on I/O must pass even where tests stop time.
        using var deadline = new CancellationTokenSource(SendTimeout);
        try
        {
            await push(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            NotTaken(logger, options.Value.SendTimeoutSeconds);
        }
        catch (Exception exception)
        {
            Failed(logger, exception.GetType().Name);
        }
    }

    /// <summary>The transport's send timeout, the same bound as a push's: what closes a slow reader's connection.</summary>
    public static void Bound(HttpConnectionDispatcherOptions connection, IServiceProvider services) =>
        connection.TransportSendTimeout = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<HubSendOptions>>().Value.SendTimeoutSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "A hub push was not taken within {Seconds} s by a connection that stopped reading; it was dropped")]
    private static partial void NotTaken(ILogger logger, int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A hub push failed: {ErrorType}")]
    private static partial void Failed(ILogger logger, string errorType);
}
