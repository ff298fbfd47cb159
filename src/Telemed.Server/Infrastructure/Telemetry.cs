using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Telemed.Server.Infrastructure;

/// <summary>Telemed's own measurements, on the "Telemed" meter. Tags carry kinds and outcomes, never people.</summary>
public sealed class TelemedMetrics
{
    public const string MeterName = "Telemed";
    public TelemedMetrics(IMeterFactory meters, IServiceProvider services)
    {
        var meter = meters.Create(MeterName);
        // Read at collection time from the queue service, which itself records into this class (hence no constructor link).
        meter.CreateObservableGauge("telemed.queue.length", () => services.GetRequiredService<Queue.QueueService>().Counts().Waiting, "{patient}",
            "Patients waiting in line, in the sessions this node has open.");
        meter.CreateObservableGauge("telemed.consultations.in_progress", () => services.GetRequiredService<Queue.QueueService>().Counts().InConsultation,
            "{consultation}", "Consultations in progress, in the sessions this node has open.");
        WaitingTime = meter.CreateHistogram<double>("telemed.queue.waiting_time", "s", "From check-in to being called.");
        SignallingMessages = meter.CreateCounter<long>("telemed.signalling.messages", "{message}", "Signalling messages relayed, by kind.");
        CallSetupTime = meter.CreateHistogram<double>("telemed.call.setup_time", "s", "From starting a consultation to its call connecting.");
        RateLimitUnshared = meter.CreateCounter<long>("telemed.rate_limit.unshared", "{request}",
            "Rate-limited requests this node counted alone because Redis was out of reach, by policy.");
        MessageAttempts = meter.CreateCounter<long>("telemed.messages.attempts", "{message}",
            "Messages handed to a provider (or given up), by channel, template and the state they reached.");
        MessagesDeadLettered = meter.CreateCounter<long>("telemed.messages.dead_lettered", "{message}",
            "Messages that ran out of attempts or were rejected for good, by channel and template.");
    }

    public Histogram<double> WaitingTime { get; }

    public Counter<long> SignallingMessages { get; }

    public void Relayed(string kind) => SignallingMessages.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public Histogram<double> CallSetupTime { get; }

    public Counter<long> RateLimitUnshared { get; }

    public Counter<long> MessageAttempts { get; }

    public Counter<long> MessagesDeadLettered { get; }

    public void MessageHandedOver(Domain.Messages.MessageChannel channel, string template, Domain.Messages.DeliveryState state)
    {
        KeyValuePair<string, object?>[] tags = [new("channel", channel.ToString()), new("template", template), new("state", state.ToString())];
        MessageAttempts.Add(1, tags);
        if (state == Domain.Messages.DeliveryState.DeadLettered)
        {
            MessagesDeadLettered.Add(1, tags[..2]);
        }
    }
}

public static class Telemetry
{
    /// <summary>
    /// OpenTelemetry traces and metrics: ASP.NET Core, Kestrel and SignalR connections, outgoing HTTP, Npgsql (under
    /// Marten), runtime, and Telemed's own meter. A Prometheus scrape endpoint at /metrics (keep it off the public
    /// ingress); OTLP export when Telemetry:OtlpEndpoint is set.
    /// </summary>
    public static IHostApplicationBuilder AddTelemedTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TelemedMetrics>();
        var otlp = builder.Configuration["Telemetry:OtlpEndpoint"];
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("telemed", serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation()
                    .AddMeter(TelemedMetrics.MeterName, "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql")
                    // Seconds, not the SDK's default millisecond buckets: waits run to hours, call set-up to seconds.
                    .AddView("telemed.queue.waiting_time", new ExplicitBucketHistogramConfiguration { Boundaries = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200] })
                    .AddView("telemed.call.setup_time", new ExplicitBucketHistogramConfiguration { Boundaries = [0.5, 1, 2, 3, 5, 10, 20, 30, 60] })
                    .AddPrometheusExporter();
                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    metrics.AddOtlpExporter(options => options.Endpoint = new Uri(otlp));
                }
            });
        if (!string.IsNullOrWhiteSpace(otlp))
        {
            // Traces only when they go somewhere: otherwise every hub call and query would build activities to drop
            // (measured: a third of the signalling relay's CPU).
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/metrics"))
                .AddHttpClientInstrumentation()
                .AddSource("Npgsql", "Microsoft.AspNetCore.SignalR.Server")
                .AddOtlpExporter(options => options.Endpoint = new Uri(otlp)));
        }
        return builder;
    }

    public static WebApplication MapTelemedMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous().OnManagementPort(app);
        return app;
    }
}
