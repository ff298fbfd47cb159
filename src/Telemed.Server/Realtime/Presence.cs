using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Telemed.Server.Realtime;

/// <summary>
/// Who has the app open right now (any hub connection), and which queue tokens each patient is watching. One node
/// keeps it in memory; with Redis configured it is shared (<see cref="SharedPresence"/>), and this node's own counts
/// stay here too: they answer while Redis is out of reach and are written back to Redis when it returns.
/// </summary>
public sealed class Presence(SharedPresence? shared = null)
{
    private readonly ConcurrentDictionary<Guid, int> connections = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, int>> watching = new();

    /// <summary>Called per queue row: answered from memory, never from Redis.</summary>
    public bool IsOnline(Guid accountId) =>
        (connections.TryGetValue(accountId, out var count) && count > 0) || shared?.IsOnline(accountId) == true;

    /// <summary>This node's connection count per account.</summary>
    public IReadOnlyDictionary<Guid, int> LocalConnections() => connections.Where(entry => entry.Value > 0).ToDictionary();

    /// <summary>True when this connection brought the account online.</summary>
    public async Task<bool> Connected(Guid accountId)
    {
        var first = connections.AddOrUpdate(accountId, 1, (_, count) => count + 1) == 1;
        return await Shared(shared => shared.Connected(accountId), first);
    }

    /// <summary>True when the account's last connection closed (on every node, with Redis).</summary>
    public async Task<bool> Disconnected(Guid accountId)
    {
        var last = connections.AddOrUpdate(accountId, 0, (_, count) => Math.Max(0, count - 1)) == 0;
        if (last)
        {
            connections.TryRemove(KeyValuePair.Create(accountId, 0));
        }
        return await Shared(shared => shared.Disconnected(accountId), last);
    }

    public async Task Watching(Guid patientId, Guid sessionId, int token)
    {
        watching.GetOrAdd(patientId, _ => new ConcurrentDictionary<Guid, int>())[sessionId] = token;
        await Shared(async shared =>
        {
            await shared.Watching(patientId, sessionId, token);
            return true;
        }, true);
    }

    /// <summary>A closed session is watched no more (on this node; Redis lets its copy expire).</summary>
    public void SessionEnded(Guid sessionId, IEnumerable<Guid> patientIds)
    {
        foreach (var patientId in patientIds)
        {
            if (watching.TryGetValue(patientId, out var tokens))
            {
                tokens.TryRemove(sessionId, out _);
            }
        }
    }

    /// <summary>With Redis, also what patients watch from other nodes: a node that reaps a dead one pushes for its patients.</summary>
    public async Task<IReadOnlyList<KeyValuePair<Guid, int>>> TokensWatchedBy(Guid patientId)
    {
        IReadOnlyList<KeyValuePair<Guid, int>> local = watching.TryGetValue(patientId, out var tokens) ? tokens.ToList() : [];
        return await Shared(shared => shared.TokensWatchedBy(patientId), local);
    }

    /// <summary>
    /// Redis when it answers, else what this node alone knows: a node cut off from Redis is not ready and receives no new
    /// clients, and its counts are written back to Redis when it returns (<see cref="PresenceHeartbeat"/>).
    /// </summary>
    private async Task<T> Shared<T>(Func<SharedPresence, Task<T>> call, T alone)
    {
        if (shared is null || !shared.Reachable)
        {
            return alone;
        }
        try
        {
            return await call(shared);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return alone;
        }
    }
}
