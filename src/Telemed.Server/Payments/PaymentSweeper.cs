using Microsoft.Extensions.Options;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Payments;

/// <summary>
/// Every few seconds (and at once when woken): releases held places whose payment never came, and sends recorded refunds
/// to Stripe until it accepts them.
/// </summary>
public sealed partial class PaymentSweeper(IServiceProvider services, IOptions<PaymentOptions> options, ILogger<PaymentSweeper> logger) : BackgroundService
{
    private readonly Doorbell wake = new();

    public void Wake() => wake.Ring();

    /// <summary>One pass; tests call it directly instead of waiting for the timer.</summary>
    public async Task Sweep(CancellationToken cancellationToken)
    {
        var payments = services.GetRequiredService<PaymentService>();
        await payments.ExpireHolds(cancellationToken);
        await payments.SubmitRefunds(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            await wake.Wait(TimeSpan.FromSeconds(options.Value.SweepSeconds), stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment sweep failed with {ErrorType}; retrying on the next pass.")]
    private static partial void SweepFailed(ILogger logger, string errorType);

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }
}
