using System.Collections.Concurrent;
using System.Globalization;
using StackExchange.Redis;

namespace Telemed.Server.Realtime;

/// <summary>A patient whose online state changed everywhere at once (all nodes together), to be pushed to their doctors.</summary>
public sealed record PresenceTransition(Guid AccountId, bool Online);

/// <summary>
/// Presence across nodes, in Redis. Each node keeps its own connection counts in a hash of its own and adds them to one
/// shared total per account; a Lua script changes both at once, so two nodes can never both believe they saw the last
/// connection close. A node that stops heartbeating (crashed, SIGKILLed, cut off from Redis) is reaped by another: its
/// counts are taken out of the totals and its patients go offline. Every change of the totals is also published, so
/// each node answers <see cref="IsOnline"/> from a local copy without a Redis round trip per queue row.
/// </summary>
public sealed class SharedPresence
{
    private const string Prefix = "telemed:presence:";
    private static readonly RedisKey Totals = Prefix + "online";
    private static readonly RedisKey Heartbeats = Prefix + "nodes";
    private static readonly RedisChannel Changes = RedisChannel.Literal(Prefix + "changes");

    /// <summary>Redis's clock in milliseconds as <c>now</c>, so node clocks may differ; the scripts that need it start with it.</summary>
    private const string Now = """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

        """;

    /// <summary>
    /// KEYS: node counts, totals, channel. ARGV: account, +1 or -1. Returns 1 when the account's total crossed zero. A
    /// close this node's share no longer holds (it left, or was reaped while cut off) leaves the totals alone: they no
    /// longer include that connection, and other nodes' connections must not be taken for it.
    /// </summary>
    private const string CountScript = """
        local delta = tonumber(ARGV[2])
        local mine = redis.call('HINCRBY', KEYS[1], ARGV[1], delta)
        if mine <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
        if mine < 0 then return 0 end
        local total = redis.call('HINCRBY', KEYS[2], ARGV[1], delta)
        if total <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
        if (delta > 0 and total == 1) or (delta < 0 and total <= 0) then
          redis.call('PUBLISH', KEYS[3], (delta > 0 and '1:' or '0:') .. ARGV[1])
          return 1
        end
        return 0
        """;

    /// <summary>
    /// KEYS: node counts, totals, heartbeats, channel. ARGV: node, then account/count pairs. Replaces the node's share of
    /// the totals with the given counts and records a heartbeat (Redis's own clock, so node clocks may differ). Returns
    /// the accounts whose online state changed, as '1:id' or '0:id'.
    /// </summary>
    private const string ReplaceScript = Now + """
        local changed = {}
        local function add(account, delta)
          local total = redis.call('HINCRBY', KEYS[2], account, delta)
          if total <= 0 then redis.call('HDEL', KEYS[2], account) end
          if delta > 0 and total == delta then table.insert(changed, '1:' .. account) end
          if delta < 0 and total <= 0 then table.insert(changed, '0:' .. account) end
        end
        local old = redis.call('HGETALL', KEYS[1])
        redis.call('DEL', KEYS[1])
        local fresh = {}
        for i = 2, #ARGV, 2 do fresh[ARGV[i]] = tonumber(ARGV[i + 1]) end
        for i = 1, #old, 2 do
          local now = fresh[old[i]] or 0
          if now ~= tonumber(old[i + 1]) then add(old[i], now - tonumber(old[i + 1])) end
          fresh[old[i]] = nil
        end
        for account, count in pairs(fresh) do add(account, count) end
        for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        redis.call('ZADD', KEYS[3], now, ARGV[1])
        for _, change in ipairs(changed) do redis.call('PUBLISH', KEYS[4], change) end
        return changed
        """;

    /// <summary>KEYS: heartbeats. ARGV: node. Records the heartbeat; returns 1 if the node had been reaped (or is new).</summary>
    private const string HeartbeatScript = Now + """
        local known = redis.call('ZSCORE', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[1], now, ARGV[1])
        if known then return 0 end
        return 1
        """;

    /// <summary>KEYS: heartbeats. ARGV: timeout (ms). Nodes whose last heartbeat is older than the timeout.</summary>
    private const string SilentScript = Now + """
        return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
        """;

    /// <summary>
    /// KEYS: dead node's counts, totals, heartbeats, channel. ARGV: node, timeout (ms). Takes a silent node's counts out
    /// of the totals, once (the first node to run it wins; a node that heartbeats again in between is left alone).
    /// </summary>
    private const string ReapScript = Now + """
        local last = redis.call('ZSCORE', KEYS[3], ARGV[1])
        if not last or tonumber(last) > now - tonumber(ARGV[2]) then return {} end
        local offline = {}
        local counts = redis.call('HGETALL', KEYS[1])
        for i = 1, #counts, 2 do
          local total = redis.call('HINCRBY', KEYS[2], counts[i], -tonumber(counts[i + 1]))
          if total <= 0 then
            redis.call('HDEL', KEYS[2], counts[i])
            redis.call('PUBLISH', KEYS[4], '0:' .. counts[i])
            table.insert(offline, counts[i])
          end
        end
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        return offline
        """;

    private readonly IConnectionMultiplexer redis;
    private readonly ConcurrentDictionary<Guid, byte> online = new();
    private readonly string node = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public SharedPresence(IConnectionMultiplexer redis, TimeSpan nodeTimeout)
    {
        this.redis = redis;
        NodeTimeout = nodeTimeout;
    }

    /// <summary>A node silent for this long is taken for dead and its connections for closed.</summary>
    public TimeSpan NodeTimeout { get; }

    /// <summary>Follows every node's changes from now on (the multiplexer subscribes again by itself after a reconnect).</summary>
    public Task Subscribe() => redis.GetSubscriber().SubscribeAsync(Changes, (_, message) => Apply(message));

    private static RedisKey NodeCounts(string id) => Prefix + "node:" + id;

    private static RedisKey Watching(Guid patientId) => Prefix + "watching:" + patientId.ToString("N");

    private IDatabase Database => redis.GetDatabase();

    public bool IsOnline(Guid accountId) => online.ContainsKey(accountId);

    public bool Reachable => redis.IsConnected;

    /// <summary>True when this connection brought the account online on every node's view.</summary>
    public async Task<bool> Connected(Guid accountId) => await Count(accountId, +1);

    /// <summary>True when the account's last connection on any node closed.</summary>
    public async Task<bool> Disconnected(Guid accountId) => await Count(accountId, -1);

    private async Task<bool> Count(Guid accountId, int delta)
    {
        var crossed = (int)await Database.ScriptEvaluateAsync(CountScript,
            [NodeCounts(node), Totals, Changes.ToString()], [accountId.ToString(), delta]);
        if (crossed == 1)
        {
            // The publication reaches this node too, but a moment later: the caller may push (and read) before it arrives.
            Set(accountId, delta > 0);
        }
        return crossed == 1;
    }

    public async Task Watching(Guid patientId, Guid sessionId, int token)
    {
        var key = Watching(patientId);
        await Database.HashSetAsync(key, sessionId.ToString(), token);
        await Database.KeyExpireAsync(key, TimeSpan.FromDays(1));
    }

    public async Task<IReadOnlyList<KeyValuePair<Guid, int>>> TokensWatchedBy(Guid patientId) =>
        (await Database.HashGetAllAsync(Watching(patientId)))
            .Select(entry => KeyValuePair.Create(Guid.Parse(entry.Name.ToString()), (int)entry.Value))
            .ToList();

    /// <summary>
    /// Records that this node is alive. When it had been reaped (Redis was out of reach for longer than the timeout) or
    /// <paramref name="republish"/> is set (Redis is back and may have missed changes), this node's counts are written
    /// again from <paramref name="local"/> and the local copy of everyone's state is read afresh.
    /// </summary>
    public async Task<IReadOnlyList<PresenceTransition>> Heartbeat(IReadOnlyDictionary<Guid, int> local, bool republish)
    {
        var rejoined = (int)await Database.ScriptEvaluateAsync(HeartbeatScript, [Heartbeats], [node]) == 1;
        if (!rejoined && !republish)
        {
            return [];
        }
        var arguments = new List<RedisValue> { node };
        foreach (var (account, count) in local)
        {
            arguments.Add(account.ToString());
            arguments.Add(count);
        }
        var changed = (RedisValue[])(await Database.ScriptEvaluateAsync(ReplaceScript,
            [NodeCounts(node), Totals, Heartbeats, Changes.ToString()], [.. arguments]))!;
        await Reload();
        return changed.Select(change => Transition(change)!).ToList();
    }

    /// <summary>Reaps every node that stopped heartbeating; returns the accounts that went offline with it.</summary>
    public async Task<IReadOnlyList<PresenceTransition>> ReapSilentNodes()
    {
        var timeout = (long)NodeTimeout.TotalMilliseconds;
        var silent = (RedisValue[])(await Database.ScriptEvaluateAsync(SilentScript, [Heartbeats], [timeout]))!;
        var offline = new List<PresenceTransition>();
        foreach (var dead in silent.Select(id => id.ToString()).Where(id => id != node))
        {
            var accounts = (RedisValue[])(await Database.ScriptEvaluateAsync(ReapScript,
                [NodeCounts(dead), Totals, Heartbeats, Changes.ToString()], [dead, timeout]))!;
            foreach (var account in accounts)
            {
                var id = Guid.Parse(account.ToString());
                Set(id, false);
                offline.Add(new PresenceTransition(id, false));
            }
        }
        return offline;
    }

    /// <summary>Leaves the cluster on a clean shutdown, so the others need not wait for the timeout.</summary>
    public async Task<IReadOnlyList<PresenceTransition>> Leave()
    {
        var changed = (RedisValue[])(await Database.ScriptEvaluateAsync(ReplaceScript,
            [NodeCounts(node), Totals, Heartbeats, Changes.ToString()], [node]))!;
        await Database.SortedSetRemoveAsync(Heartbeats, node);
        return changed.Select(change => Transition(change)!).ToList();
    }

    private async Task Reload()
    {
        var accounts = (await Database.HashKeysAsync(Totals)).Select(key => Guid.Parse(key.ToString())).ToHashSet();
        foreach (var stale in online.Keys.Where(key => !accounts.Contains(key)))
        {
            online.TryRemove(stale, out _);
        }
        foreach (var account in accounts)
        {
            online[account] = 0;
        }
    }

    private void Apply(RedisValue message)
    {
        if (Transition(message) is { } transition)
        {
            Set(transition.AccountId, transition.Online);
        }
    }

    private void Set(Guid accountId, bool isOnline)
    {
        if (isOnline)
        {
            online[accountId] = 0;
        }
        else
        {
            online.TryRemove(accountId, out _);
        }
    }

    private static PresenceTransition? Transition(RedisValue message)
    {
        var text = message.ToString();
        return text.Length > 2 && Guid.TryParse(text.AsSpan(2), CultureInfo.InvariantCulture, out var id)
            ? new PresenceTransition(id, text[0] == '1')
            : null;
    }
}
