using Marten;
using Telemed.Domain.Payments;

namespace Telemed.Server.Payments;

public static class PaymentSetup
{
    public static IHostApplicationBuilder AddTelemedPayments(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PaymentOptions>().Bind(builder.Configuration.GetSection(PaymentOptions.Section)).ValidateDataAnnotations()
            .Validate(o => !o.Enabled || o.WebhookSecrets.Length > 0, "Payments:WebhookSecrets needs at least one secret when Payments:StripeSecretKey is set.")
            .ValidateOnStart();
        services.AddSingleton<StripeGateway>();
        services.AddSingleton<PaymentService>();
        services.AddSingleton<PaymentLedger>();
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
