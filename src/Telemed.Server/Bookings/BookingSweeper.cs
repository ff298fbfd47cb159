using Marten;
using Telemed.Domain.Queue;
using Telemed.Server.Queue;

namespace Telemed.Server.Bookings;

/// <summary>Every minute: records as no-shows the bookings whose patient had not checked in by the grace time after their slot began.</summary>
public sealed partial class BookingSweeper(IServiceProvider services, TimeProvider time, ILogger<BookingSweeper> logger) : BackgroundService
{
    /// <summary>The grace time is minutes long, so a no-show recorded up to a minute after it ends is on time.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>One pass; tests call it directly instead of waiting for the timer.</summary>
    public async Task Sweep(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<Guid> sessions;
        await using (var query = services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            sessions = [.. (await query.Query<BookingRecord>().Where(b => b.State == BookingState.Booked && b.MissedAt <= now)
                .Select(b => b.SessionId).Take(500).ToListAsync(cancellationToken)).Distinct()];
        }
        var queue = services.GetRequiredService<QueueService>();
        foreach (var sessionId in sessions)
        {
            await queue.ExecuteAsSystem(sessionId, new RecordNoShows(), cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await Sweep(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SweepFailed(logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Booking no-show sweep failed with {ErrorType}; retrying on the next pass.")]
    private static partial void SweepFailed(ILogger logger, string errorType);
}
