using System.Collections.Concurrent;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Telemed.Server.Identity;

/// <summary>
/// The sign-in sessions revoked lately (sign-out, sign-out everywhere, a reused refresh token, an idle or expired
/// session, a deactivation), as this node knows them. A revocation is a refresh-token record saved with its
/// <c>RevokedAt</c>; the node that commits it knows at once (<see cref="RevocationBroadcast"/>) and, with Redis
/// configured, tells the other nodes on <see cref="Channel"/>. Each node also rereads PostgreSQL every
/// <see cref="AuthOptions.RevokedSessionPollSeconds"/> (<see cref="RevokedSessionsPoll"/>), which covers a node that was
/// cut off from Redis when the message went. A session is forgotten an access-token lifetime after it became known:
/// every token of it issued before the revocation has expired by then.
/// </summary>
public sealed class RevokedSessions(IOptions<AuthOptions> options, TimeProvider time)
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("telemed:revoked-sessions");

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> knownSince = new();

    /// <summary>Told of sessions as they become known as revoked, to close what they hold open (hub connections).</summary>
    public event Action<IReadOnlyCollection<Guid>>? Learned;

    /// <summary>How far back a revocation still matters: an access token's lifetime and the clock skew tokens are allowed.</summary>
    public TimeSpan Window => TimeSpan.FromMinutes(options.Value.AccessTokenMinutes) + TimeSpan.FromMinutes(1);

    public bool IsRevoked(Guid sessionId) => knownSince.ContainsKey(sessionId);

    public void Add(IEnumerable<Guid> sessionIds)
    {
        var now = time.GetUtcNow();
        var learned = sessionIds.Where(id => knownSince.TryAdd(id, now)).ToList();
        if (learned.Count > 0)
        {
            Learned?.Invoke(learned);
        }
    }

    public void ForgetOlderThan(DateTimeOffset since)
    {
        foreach (var (id, known) in knownSince)
        {
            if (known < since)
            {
                knownSince.TryRemove(id, out _);
            }
        }
    }
}

/// <summary>
/// Sees every committed unit of work: the families of refresh tokens it revoked are known on this node at once and sent
/// to the other nodes through Redis (fire and forget: while Redis is away the poll carries them, seconds later).
/// </summary>
public sealed class RevocationBroadcast(RevokedSessions revoked, IConnectionMultiplexer? redis) : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        var families = commit.Updated.OfType<RefreshTokenRecord>().Where(t => t.RevokedAt is not null).Select(t => t.FamilyId).Distinct().ToList();
        if (families.Count == 0)
        {
            return Task.CompletedTask;
        }
        revoked.Add(families);
        redis?.GetSubscriber().Publish(RevokedSessions.Channel, string.Join(',', families), CommandFlags.FireAndForget);
        return Task.CompletedTask;
    }
}

/// <summary>Listens on Redis for revocations made on other nodes, and rereads PostgreSQL for those it may have missed.</summary>
public sealed partial class RevokedSessionsPoll(
    RevokedSessions revoked, IDocumentStore store, IServiceProvider services, IOptions<AuthOptions> options, TimeProvider time, ILogger<RevokedSessionsPoll> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IConnectionMultiplexer>() is { } redis)
        {
            // Subscribing waits for nothing: the multiplexer subscribes again by itself whenever it reconnects.
            redis.GetSubscriber().Subscribe(RevokedSessions.Channel, (_, message) =>
                revoked.Add(message.ToString().Split(',').Select(id => Guid.TryParse(id, out var family) ? family : Guid.Empty).Where(id => id != Guid.Empty)));
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RevokedSessionPollSeconds), time);
        do
        {
            try
            {
                var since = time.GetUtcNow() - revoked.Window;
                revoked.Add(await ReadRevoked(since, stoppingToken));
                revoked.ForgetOlderThan(since);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // What is known stays; the next tick tries again.
                ReadFailed(logger, exception.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<IReadOnlyList<Guid>> ReadRevoked(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.Query<RefreshTokenRecord>()
            .Where(t => t.RevokedAt != null && t.RevokedAt > since)
            .Select(t => t.FamilyId)
            .ToListAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading revoked sessions failed with {ErrorType}; retrying at the next poll.")]
    private static partial void ReadFailed(ILogger logger, string errorType);
}
