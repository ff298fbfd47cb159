using Marten;
using Marten.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Queue;
using System.Security.Claims;
using System.Text.Json;

namespace Telemed.Server.Messages;

public static class MessagesSetup
{
    public static IHostApplicationBuilder AddTelemedMessages(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MessageOptions>().Bind(builder.Configuration.GetSection(MessageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmsOptions>().Bind(builder.Configuration.GetSection(SmsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().Bind(builder.Configuration.GetSection(EmailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ProviderValidation>();
        services.AddSingleton<IValidateOptions<SmsOptions>>(provider => provider.GetRequiredService<ProviderValidation>());
        services.AddSingleton<IValidateOptions<EmailOptions>>(provider => provider.GetRequiredService<ProviderValidation>());
        services.AddSingleton<MessageSecrets>();
        services.AddSingleton<Messenger>();
        services.AddSingleton<PatientMessages>();
        services.AddSingleton<IQueueLedger, QueueMessages>();
        services.AddSingleton<MessageDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<MessageDispatcher>());
        services.AddOptions<PushOptions>().Bind(builder.Configuration.GetSection(PushOptions.Section)).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.PublicKey) == string.IsNullOrEmpty(o.PrivateKey), "Push:PublicKey and Push:PrivateKey go together.")
            .ValidateOnStart();
        services.AddSingleton<VapidKeys>();
        services.AddHttpClient<WebPushSender>((provider, http) =>
            http.Timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<PushOptions>>().Value.TimeoutSeconds));
        services.AddKeyedTransient<IMessageProvider>(MessageChannel.Push, (provider, _) => provider.GetRequiredService<WebPushSender>());
        services.AddSingleton<MessageSink>();
        services.AddSingleton<SmtpMailer>();

        services.AddHttpClient<Fast2SmsGateway>((provider, http) => http.BaseAddress = new Uri(provider.GetRequiredService<IOptions<SmsOptions>>().Value.BaseUrl))
            .AddResilienceHandler("sms", (pipeline, context) =>
            {
                var timeout = TimeSpan.FromSeconds(context.ServiceProvider.GetRequiredService<IOptions<SmsOptions>>().Value.TimeoutSeconds);
                // A network time-out is about the wall clock, whatever clock the application reads.
                pipeline.TimeProvider = TimeProvider.System;
                // Only a lost answer is retried here, with the same idempotency key; an answered refusal goes back to the
                // dispatcher, which backs off and (for this gateway) moves to the next key.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(200),
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException or TimeoutRejectedException),
                });
                pipeline.AddTimeout(timeout);
            });
        services.AddKeyedTransient<IMessageProvider>(MessageChannel.Sms, (provider, _) =>
            provider.GetRequiredService<IOptions<SmsOptions>>().Value.Provider == SmsProvider.Sink
                ? provider.GetRequiredService<MessageSink>()
                : provider.GetRequiredService<Fast2SmsGateway>());
        services.AddKeyedTransient<IMessageProvider>(MessageChannel.Email, (provider, _) =>
            provider.GetRequiredService<IOptions<EmailOptions>>().Value.Provider == EmailProvider.Sink
                ? provider.GetRequiredService<MessageSink>()
                : provider.GetRequiredService<SmtpMailer>());

        services.ConfigureMarten((provider, options) =>
        {
            options.Schema.For<MessagePreferences>();
            options.Schema.For<DeviceSubscription>().Index(x => x.PatientId);
            options.Schema.For<OutgoingMessage>()
                .Duplicate(x => x.State)
                .Duplicate(x => x.DueAt)
                .Index(x => x.CreatedAt);
            options.Listeners.Add(new WakeOnCommit(provider));
        });
        return builder;
    }

    public static void MapMessages(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/messages/sms/receipts", SmsReceipts.Receive)
            .AllowAnonymous()
            .WithTags("Messages")
            .WithSummary("The SMS gateway's delivery receipts (authenticated by the signed reference each message carries).");
        PatientMessages.Map(app);
        WebPushSender.Map(app);
        app.MapGroup("/api/admin").RequireAuthorization(Roles.Admin).WithTags("Admin")
            .MapGet("/messages", DeliveryStatus)
            .WithSummary("Delivery status of messages, newest first: recipient masked, never a text or its variables. Filter by state.");
        if (app.ServiceProvider.GetRequiredService<IOptions<SmsOptions>>().Value.Provider == SmsProvider.Sink
            || app.ServiceProvider.GetRequiredService<IOptions<EmailOptions>>().Value.Provider == EmailProvider.Sink)
        {
            MessageSink.Map(app);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<DeliveryStatusView>>, ProblemHttpResult>> DeliveryStatus(
        string? state, ClaimsPrincipal user, IQuerySession session, AuditTrail audit, CancellationToken cancellationToken)
    {
        var query = session.Query<OutgoingMessage>().AsQueryable();
        if (state is not null)
        {
            if (!Enum.TryParse<DeliveryState>(state, ignoreCase: true, out var only) || !Enum.IsDefined(only))
            {
                return Problems.Invalid("state", $"State is one of {string.Join(", ", Enum.GetNames<DeliveryState>().Select(JsonNamingPolicy.CamelCase.ConvertName))}.");
            }
            query = query.Where(m => m.State == only);
        }
        var messages = await query.OrderByDescending(m => m.CreatedAt).Take(200).ToListAsync(cancellationToken);
        await audit.Granted(user.AccountId(), "messages/delivery-status", "read delivery status", cancellationToken);
        return TypedResults.Ok<IReadOnlyList<DeliveryStatusView>>(messages.Select(DeliveryStatusView.Of).ToList());
    }

    /// <summary>A committed message wakes this node's dispatcher, so a sign-in code goes out at once rather than at the next poll.</summary>
    private sealed class WakeOnCommit(IServiceProvider provider) : DocumentSessionListenerBase
    {
        public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
        {
            if (commit.Inserted.OfType<OutgoingMessage>().Any())
            {
                provider.GetRequiredService<MessageDispatcher>().Wake();
            }
            return Task.CompletedTask;
        }
    }
}
