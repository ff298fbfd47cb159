using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Telemed.Server.Infrastructure;

public static class Logging
{
    /// <summary>
    /// Structured logs. They carry ids, routes, timings and error types, never health data or personal details:
    /// request bodies and query strings are not logged, and the audit trail lives in the event store instead.
    /// </summary>
    public static IHostApplicationBuilder AddTelemedLogging(this IHostApplicationBuilder builder)
    {
        var json = builder.Configuration.GetValue("Logging:Json", !builder.Environment.IsDevelopment());
        // Serilog writes the console; other providers (tests add one) still receive every event.
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(
            configuration =>
            {
                configuration
                    .MinimumLevel.Information()
                    .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                    .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", LogEventLevel.Warning)
                    .MinimumLevel.Override("Marten", LogEventLevel.Warning)
                    .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                    .Enrich.FromLogContext();
                if (json)
                {
                    configuration.WriteTo.Console(new RenderedCompactJsonFormatter());
                }
                else
                {
                    configuration.WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                }
            },
            preserveStaticLogger: true,
            writeToProviders: true);
        return builder;
    }

    public static WebApplication UseTelemedRequestLogging(this WebApplication app)
    {
        // Logs method, route path (no query string), status and elapsed time — through this host's logger,
        // not Serilog's process-wide static one (which another host in the same process could own).
        app.UseSerilogRequestLogging(options => options.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
        return app;
    }
}
