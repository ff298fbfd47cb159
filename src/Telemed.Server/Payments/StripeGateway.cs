using Microsoft.Extensions.Options;
using Stripe;

namespace Telemed.Server.Payments;

/// <summary>Stripe could not be reached or answered with an error: nothing was recorded, the caller may retry.</summary>
public sealed class PaymentGatewayUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The few Stripe calls Telemed makes. Every call that creates something carries an idempotency key derived from what
/// it is for, so a retry after a time-out finds the first result instead of charging or refunding twice.
/// </summary>
public sealed class StripeGateway
{
    private readonly StripeClient? client;

    public StripeGateway(IOptions<PaymentOptions> options)
    {
        var settings = options.Value;
        if (settings.Enabled)
        {
            var http = new HttpClient { Timeout = TimeSpan.FromSeconds(settings.StripeTimeoutSeconds) };
            client = new StripeClient(settings.StripeSecretKey, httpClient: new SystemNetHttpClient(http, maxNetworkRetries: 0), apiBase: settings.StripeApiBase);
        }
    }

    public sealed record Intent(string Id, string? ClientSecret, string Status);

    public Task<Intent> CreateIntent(Guid paymentId, Guid sessionId, int token, Guid patientId, long amountPaise, string idempotencyKey, CancellationToken cancellationToken) =>
        Call(async stripe =>
        {
            var intent = await new PaymentIntentService(stripe).CreateAsync(new PaymentIntentCreateOptions
            {
                Amount = amountPaise,
                Currency = "inr",
                Description = "Telemedicine consultation fee",
                AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true },
                Metadata = new Dictionary<string, string>
                {
                    ["payment"] = paymentId.ToString(),
                    ["session"] = sessionId.ToString(),
                    ["token"] = token.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["patient"] = patientId.ToString(),
                },
            }, new RequestOptions { IdempotencyKey = idempotencyKey }, cancellationToken);
            return new Intent(intent.Id, intent.ClientSecret, intent.Status);
        });

    public Task<Intent> GetIntent(string intentId, CancellationToken cancellationToken) =>
        Call(async stripe =>
        {
            var intent = await new PaymentIntentService(stripe).GetAsync(intentId, cancellationToken: cancellationToken);
            return new Intent(intent.Id, intent.ClientSecret, intent.Status);
        });

    public Task CancelIntent(string intentId, CancellationToken cancellationToken) =>
        Call(async stripe => await new PaymentIntentService(stripe).CancelAsync(intentId, cancellationToken: cancellationToken));

    public Task<string> Refund(string intentId, string idempotencyKey, CancellationToken cancellationToken) =>
        Call(async stripe => (await new RefundService(stripe).CreateAsync(
            new RefundCreateOptions { PaymentIntent = intentId }, new RequestOptions { IdempotencyKey = idempotencyKey }, cancellationToken)).Id);

    private async Task<T> Call<T>(Func<StripeClient, Task<T>> call)
    {
        if (client is null)
        {
            throw new InvalidOperationException("Payments are not configured (Payments:StripeSecretKey).");
        }
        try
        {
            return await call(client);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException)
        {
            throw new PaymentGatewayUnavailableException("The payment service did not answer; nothing was charged. Try again in a moment.", e);
        }
    }
}
