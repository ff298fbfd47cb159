using Marten;
using Microsoft.Extensions.Options;

namespace Telemed.Server.Abdm;

/// <summary>
/// Deletes, every hour, what ABDM's exchanges leave behind once it can no longer be used: a callback's REQUEST-ID after
/// its TIMESTAMP would refuse a replay anyway, a PHR app's discovery and link request (with its OTP hash) a day after
/// they were made, a gateway request no callback answered within a day, and records received from elsewhere at their
/// artefact's dataEraseAt.
/// </summary>
public sealed partial class AbdmHousekeeping(IDocumentStore store, IOptions<AbdmOptions> options, TimeProvider time, ILogger<AbdmHousekeeping> logger)
    : BackgroundService
{
    /// <summary>A link is started minutes after its discovery and confirmed within its OTP's life; a day is ample.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(1);

    /// <summary>Beyond the callback's allowed age, for clocks that disagree.</summary>
    private static readonly TimeSpan ClockMargin = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Configured)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
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
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task Sweep(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var replayable = now - TimeSpan.FromSeconds(options.Value.CallbackMaxAgeSeconds) - ClockMargin;
        var stale = now - Kept;
        await using var session = store.LightweightSession();
        session.DeleteWhere<ReceivedCallback>(c => c.At < replayable);
        session.DeleteWhere<LinkDiscovery>(d => d.At < stale);
        session.DeleteWhere<PatientLinkRequest>(r => r.At < stale);
        session.DeleteWhere<PendingGatewayRequest>(r => r.SentAt < stale);
        session.DeleteWhere<GatewayAnswer>(a => a.At < stale);
        // Records received from elsewhere go at their artefact's dataEraseAt: Telemed keeps no copy beyond what the patient consented to.
        session.DeleteWhere<ReceivedHealthRecord>(r => r.EraseAt <= now);
        session.DeleteWhere<HiuPage>(p => p.At < stale);
        await session.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "ABDM housekeeping failed ({ErrorType}); it runs again within the hour.")]
    private static partial void SweepFailed(ILogger logger, string errorType);
}
