using System.ComponentModel.DataAnnotations;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Telemed.Server.Infrastructure;

public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>After SIGTERM, how long the node stays up reporting not ready before it closes its connections.</summary>
    [Range(0, 300)]
    public int DrainSeconds { get; set; } = 5;

    /// <summary>Then, how long in-flight requests may take to finish before they are cut off.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 20;
}

/// <summary>
/// A node being taken away (SIGTERM: a rolling update, a scale-down, <c>docker stop</c>) drains instead of dropping
/// everyone at once: readiness fails first so the load balancer stops sending it traffic, new hub connections are
/// refused (503, which nginx retries on another node), and only after <see cref="ShutdownOptions.DrainSeconds"/> does
/// the host stop: SignalR closes its connections (clients reconnect through the balancer to another node and rejoin
/// their room within the reconnect grace period), Kestrel stops listening and lets in-flight requests finish within
/// <see cref="ShutdownOptions.TimeoutSeconds"/>. Ctrl+C (SIGINT) stops at once.
/// </summary>
public static class Drain
{
    public static IHostApplicationBuilder AddTelemedDrain(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ShutdownOptions>().Bind(builder.Configuration.GetSection(ShutdownOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.Value.TimeoutSeconds));
        builder.Services.AddSingleton<DrainState>();
        // Replaces the console lifetime, which would stop the host the moment SIGTERM arrives. Test hosts put their own
        // lifetime in afterwards, so in-process tests never touch the test runner's signals.
        builder.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, DrainingLifetime>());
        builder.Services.AddHealthChecks().AddCheck<DrainHealthCheck>("draining", tags: [Health.Ready]);
        return builder;
    }

    /// <summary>While draining, a new hub connection is refused: it should be opened on a node that stays.</summary>
    public static WebApplication UseTelemedDrain(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.RequestServices.GetRequiredService<DrainState>().Draining && context.Request.Path.StartsWithSegments("/hubs"))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "1";
                return;
            }
            await next(context);
        });
        return app;
    }

    private sealed class DrainHealthCheck(DrainState drain) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(drain.Draining
                ? HealthCheckResult.Unhealthy("Shutting down: finishing what is in flight, send new work elsewhere.")
                : HealthCheckResult.Healthy("Accepting work."));
    }
}

public sealed class DrainState
{
    private int draining;

    public bool Draining => Volatile.Read(ref draining) == 1;

    /// <summary>True for the first caller only.</summary>
    public bool Begin() => Interlocked.Exchange(ref draining, 1) == 0;
}

internal sealed partial class DrainingLifetime(
    IHostApplicationLifetime lifetime, DrainState drain, IOptions<ShutdownOptions> options, ILogger<DrainingLifetime> logger) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> registrations = [];

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Terminate));
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, StopNow));
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, StopNow));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Terminate(PosixSignalContext context)
    {
        // Cancelled, the signal does not end the process: it ends when the host has stopped and Main returns.
        context.Cancel = true;
        if (!drain.Begin())
        {
            return;
        }
        var delay = TimeSpan.FromSeconds(options.Value.DrainSeconds);
        Draining(logger, options.Value.DrainSeconds);
        _ = Task.Delay(delay).ContinueWith(_ => lifetime.StopApplication(), TaskScheduler.Default);
    }

    private void StopNow(PosixSignalContext context)
    {
        context.Cancel = true;
        drain.Begin();
        lifetime.StopApplication();
    }

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SIGTERM: not ready, refusing new hub connections; stopping in {DrainSeconds} s")]
    private static partial void Draining(ILogger logger, int drainSeconds);
}
