using Marten;
using Microsoft.Extensions.Options;
using Telemed.Server.Infrastructure;
using Telemed.Domain.Payments;
using Telemed.Server.Queue;

namespace Telemed.Server.Payments;

public static class PaymentSetup
{
    private const string StripeJsOrigin = "https://js.stripe.com";

    public static IHostApplicationBuilder AddTelemedPayments(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PaymentOptions>().Bind(builder.Configuration.GetSection(PaymentOptions.Section)).ValidateDataAnnotations()
            .Validate(o => !o.Enabled || o.WebhookSecrets.Length > 0, "Payments:WebhookSecrets needs at least one secret when Payments:StripeSecretKey is set.")
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.StripePublishableKey),
                "Payments:StripePublishableKey is needed when Payments:StripeSecretKey is set: patients' browsers pay with it.")
            .ValidateOnStart();
        services.AddOptions<ContentSecuritySources>().Configure<IOptions<PaymentOptions>>((sources, configured) =>
        {
            var payments = configured.Value;
            if (!payments.Enabled)
            {
                return;
            }
            sources.Scripts.Add(payments.ScriptOrigin);
            sources.Frames.Add(payments.ScriptOrigin);
            if (payments.ScriptOrigin == StripeJsOrigin)
            {
                // Card checks (3-D Secure) open Stripe's pages in a frame from here.
                sources.Frames.Add("https://hooks.stripe.com");
            }
            sources.Connections.Add(payments.BrowserApiOrigin);
        });
        services.AddSingleton<StripeGateway>();
        services.AddSingleton<PaymentService>();
        services.AddSingleton<ICheckInFees>(provider => provider.GetRequiredService<PaymentService>());
        services.AddSingleton<PaymentLedger>();
        services.AddSingleton<IQueueLedger>(provider => provider.GetRequiredService<PaymentLedger>());
        services.AddSingleton<PaymentMessages>();
        services.AddSingleton<ReceiptPdf>();
        services.AddSingleton<PaymentSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<PaymentSweeper>());
        services.ConfigureMarten(options =>
        {
            options.Schema.For<Payment>().Index(x => x.PaymentIntentId).Index(x => x.Status);
            options.Schema.For<ProcessedStripeEvent>();
            options.Events.AddEventTypes([
                typeof(PaymentRequested), typeof(PaymentSucceeded), typeof(PaymentFailed), typeof(PaymentHoldLapsed), typeof(RefundRequested),
                typeof(RefundSubmitted), typeof(PaymentRefunded),
            ]);
        });
        return builder;
    }
}
