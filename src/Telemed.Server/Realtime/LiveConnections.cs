using System.Collections.Concurrent;
using System.Threading.Channels;
using Marten;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Telemed.Domain.Identity;
using Telemed.Server.Identity;

namespace Telemed.Server.Realtime;

/// <summary>
/// The signed-in hub connections open on this node, each with the sign-in session its token came from. A periodic check
/// closes those whose session was revoked (sign-out everywhere, a reused refresh token, an admin's deactivation) or
/// whose staff account was switched off. Being a check of the database, it also catches revocations made on other nodes.
/// A session learned to be revoked (<see cref="RevokedSessions"/>: on this node, or from another through Redis) has its
/// connections closed at once, without waiting for the check.
/// </summary>
public sealed partial class LiveConnections(
    IDocumentStore store, RevokedSessions revoked, IOptions<AuthOptions> options, TimeProvider time, ILogger<LiveConnections> logger)
    : BackgroundService
{
    private sealed record Live(Guid AccountId, Guid? SessionId, bool Staff, HubCallerContext Context);

    private readonly ConcurrentDictionary<string, Live> connections = new();
    private readonly Channel<Live> opened = Channel.CreateUnbounded<Live>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Tracks the connection and has it checked within a moment: an access token outlives the sign-out that revoked its
    /// session by up to its lifetime, and must not reopen what the check closed. New connections are checked in batches
    /// (one query for all that opened in the last 100 ms), so a reconnect storm after a node goes down is not one query
    /// per client — measured: 1,000 clients connecting at once held up check-ins behind 1,000 queries.
    /// </summary>
    public void Opened(HubCallerContext context)
    {
        var user = context.User!;
        var connection = new Live(user.AccountId(), user.SessionId(), !user.IsInRole(Roles.Patient), context);
        connections[context.ConnectionId] = connection;
        opened.Writer.TryWrite(connection);
    }

    public void Closed(string connectionId) => connections.TryRemove(connectionId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        revoked.Learned += CloseSessions;
        try
        {
            await Task.WhenAll(CheckNewcomers(stoppingToken), CheckAll(stoppingToken));
        }
        finally
        {
            revoked.Learned -= CloseSessions;
        }
    }

    private void CloseSessions(IReadOnlyCollection<Guid> sessionIds)
    {
        foreach (var connection in connections.Values.Where(c => c.SessionId is { } id && sessionIds.Contains(id)))
        {
            connection.Context.Abort();
            Closed(connection.Context.ConnectionId);
        }
    }

    private async Task CheckNewcomers(CancellationToken stoppingToken)
    {
        while (await opened.Reader.WaitToReadAsync(stoppingToken))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken);
            var batch = new List<Live>();
            while (opened.Reader.TryRead(out var connection))
            {
                batch.Add(connection);
            }
            await Check(batch, stoppingToken);
        }
    }

    private async Task CheckAll(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RevocationCheckSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await Check([.. connections.Values], stoppingToken);
        }
    }

    private async Task Check(IReadOnlyList<Live> open, CancellationToken stoppingToken)
    {
        try
        {
            await CloseRevoked(open, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The periodic check tries again; a database hiccup must not stop the checks for good.
            CheckFailed(logger, exception.GetType().Name);
        }
    }

    /// <summary>Closes every connection whose session or account no longer stands.</summary>
    private async Task CloseRevoked(IReadOnlyList<Live> open, CancellationToken cancellationToken)
    {
        if (open.Count == 0)
        {
            return;
        }
        await using var session = store.QuerySession();
        var sessionIds = open.Select(c => c.SessionId).OfType<Guid>().Distinct().ToArray();
        var revoked = sessionIds.Length == 0 ? [] : (await session.Query<RefreshTokenRecord>()
            .Where(t => t.FamilyId.IsOneOf(sessionIds) && t.RevokedAt != null)
            .Select(t => t.FamilyId)
            .ToListAsync(cancellationToken)).ToHashSet();
        var staffIds = open.Where(c => c.Staff).Select(c => c.AccountId).Distinct().ToArray();
        var inactive = staffIds.Length == 0 ? [] : (await session.Query<StaffAccount>()
            .Where(s => s.Id.IsOneOf(staffIds) && !s.Active)
            .Select(s => s.Id)
            .ToListAsync(cancellationToken)).ToHashSet();
        foreach (var connection in open.Where(c => c.SessionId is { } id && revoked.Contains(id) || inactive.Contains(c.AccountId)))
        {
            connection.Context.Abort();
            Closed(connection.Context.ConnectionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking live connections for revoked sessions failed with {ErrorType}; retrying on the next periodic check.")]
    private static partial void CheckFailed(ILogger logger, string errorType);
}
