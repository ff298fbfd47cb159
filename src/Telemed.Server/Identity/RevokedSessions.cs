using Marten;
using Microsoft.Extensions.Options;

namespace Telemed.Server.Identity;

/// <summary>
/// The sign-in sessions revoked lately (sign-out, sign-out everywhere, a reused refresh token, an idle or expired
/// session, a deactivation), as every node knows them. Revocations are written to PostgreSQL whichever node makes them;
/// each node rereads those of the last access-token lifetime every <see cref="AuthOptions.RevokedSessionPollSeconds"/>,
/// so an access token of a revoked session is refused on REST within seconds rather than working until it expires.
/// Older revocations need no remembering: every access token issued before them has expired.
/// </summary>
public sealed partial class RevokedSessions(IDocumentStore store, IOptions<AuthOptions> options, TimeProvider time, ILogger<RevokedSessions> logger)
    : BackgroundService
{
    private volatile HashSet<Guid> revoked = [];

    public bool IsRevoked(Guid sessionId) => revoked.Contains(sessionId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RevokedSessionPollSeconds), time);
        do
        {
            try
            {
                revoked = await ReadRevoked(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The list stays as last read; the next tick tries again.
                ReadFailed(logger, exception.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<HashSet<Guid>> ReadRevoked(CancellationToken cancellationToken)
    {
        // The clock skew tokens are allowed, on top of their lifetime.
        var since = time.GetUtcNow() - TimeSpan.FromMinutes(options.Value.AccessTokenMinutes) - TimeSpan.FromMinutes(1);
        await using var session = store.QuerySession();
        var families = await session.Query<RefreshTokenRecord>()
            .Where(t => t.RevokedAt != null && t.RevokedAt > since)
            .Select(t => t.FamilyId)
            .ToListAsync(cancellationToken);
        return [.. families];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading revoked sessions failed with {ErrorType}; retrying at the next poll.")]
    private static partial void ReadFailed(ILogger logger, string errorType);
}
