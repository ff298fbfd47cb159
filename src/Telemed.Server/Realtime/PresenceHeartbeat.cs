using StackExchange.Redis;

namespace Telemed.Server.Realtime;

/// <summary>
/// Keeps this node in the shared presence: a heartbeat every fifth of the node timeout, this node's counts written back
/// after Redis returns, and the patients of nodes that stopped heartbeating (a crash, a SIGKILL) taken offline, with
/// the change pushed to their doctors wherever those are connected.
/// </summary>
public sealed partial class PresenceHeartbeat(
    SharedPresence shared, Presence presence, IPresenceObserver observer, IConnectionMultiplexer redis, ILogger<PresenceHeartbeat> logger) : BackgroundService
{
    // Set when Redis may have missed this node's changes: at start, and whenever a connection to it is restored.
    private int republish = 1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionRestored += (_, _) => Interlocked.Exchange(ref republish, 1);
        var subscribed = false;
        using var timer = new PeriodicTimer(shared.NodeTimeout / 5);
        do
        {
            var wasStale = Interlocked.Exchange(ref republish, 0) == 1;
            try
            {
                if (!subscribed)
                {
                    await shared.Subscribe();
                    subscribed = true;
                }
                await Push(await shared.Heartbeat(presence.LocalConnections(), wasStale));
                await Push(await shared.ReapSilentNodes());
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                if (wasStale)
                {
                    Interlocked.Exchange(ref republish, 1);
                }
                HeartbeatFailed(logger, exception.GetType().Name);
            }
        }
        while (await Tick(timer, stoppingToken));
    }

    /// <summary>On a clean stop the node leaves at once, so the others need not wait for the timeout to reap it.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await Push(await shared.Leave());
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            HeartbeatFailed(logger, exception.GetType().Name);
        }
    }

    private Task Push(IReadOnlyList<PresenceTransition> transitions) =>
        Task.WhenAll(transitions.Select(change => observer.PresenceChanged(change.AccountId, change.Online)));

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared presence heartbeat failed: {ErrorType}")]
    private static partial void HeartbeatFailed(ILogger logger, string errorType);
}
