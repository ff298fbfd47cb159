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
/// to the other nodes through Redis (fire and forget: while Redis is away the poll carries them, seconds later). The
/// change is committed by then, so nothing here may fail the caller.
/// </summary>
public sealed partial class RevocationBroadcast(RevokedSessions revoked, IConnectionMultiplexer? redis, ILogger<RevocationBroadcast> logger)
    : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        var families = commit.Updated.OfType<RefreshTokenRecord>().Where(t => t.RevokedAt is not null).Select(t => t.FamilyId).Distinct().ToList();
        if (families.Count == 0)
        {
            return Task.CompletedTask;
        }
        revoked.Add(families);
        try
        {
            redis?.GetSubscriber().Publish(RevokedSessions.Channel, string.Join(',', families), CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            NotPublished(logger, exception.GetType().Name);
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A revocation could not be published to Redis ({ErrorType}); other nodes learn it at their next poll.")]
    private static partial void NotPublished(ILogger logger, string errorType);
}

/// <summary>
/// Listens on Redis for revocations made on other nodes, and rereads PostgreSQL for those it may have missed. Until the
/// subscription is made (Redis may be down at start), each poll tries again; once made, the multiplexer renews it by
/// itself whenever it reconnects.
/// </summary>
public sealed partial class RevokedSessionsPoll(
    RevokedSessions revoked, IDocumentStore store, IServiceProvider services, IOptions<AuthOptions> options, TimeProvider time, ILogger<RevokedSessionsPoll> logger)
    : BackgroundService
{
    private TimeSpan Interval => TimeSpan.FromSeconds(options.Value.RevokedSessionPollSeconds);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(PollEvery(stoppingToken), services.GetService<IConnectionMultiplexer>() is { } redis ? Listen(redis, stoppingToken) : Task.CompletedTask);

    private async Task PollEvery(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await Poll(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task Listen(IConnectionMultiplexer redis, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            if (await Subscribe(redis))
            {
                return;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task Poll(CancellationToken stoppingToken)
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

    private async Task<bool> Subscribe(IConnectionMultiplexer redis)
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(RevokedSessions.Channel, (_, message) =>
                revoked.Add(message.ToString().Split(',').Select(id => Guid.TryParse(id, out var family) ? family : Guid.Empty).Where(id => id != Guid.Empty)));
            return true;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            SubscribeFailed(logger, exception.GetType().Name);
            return false;
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to revocations on Redis failed with {ErrorType}; retrying at the next poll.")]
    private static partial void SubscribeFailed(ILogger logger, string errorType);
}
