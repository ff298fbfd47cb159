using Microsoft.AspNetCore.HttpLogging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Telemed.Server.Infrastructure;

public static class Logging
{
    /// <summary>Categories logged from another level than Information (the default), and that level.</summary>
    private static readonly (string Category, LogEventLevel Level)[] Levels =
    [
        ("Microsoft.AspNetCore", LogEventLevel.Warning),
        ("Microsoft.AspNetCore.HttpLogging", LogEventLevel.Information),
        ("Marten", LogEventLevel.Warning),
        ("Microsoft.Hosting.Lifetime", LogEventLevel.Information),
    ];

    /// <summary>
    /// Structured logs. They carry ids, routes, timings and error types, never health data or personal details:
    /// request bodies and query strings are not logged, and the audit trail lives in the event store instead.
    /// </summary>
    public static IHostApplicationBuilder AddTelemedLogging(this IHostApplicationBuilder builder)
    {
        var json = builder.Configuration.GetValue("Logging:Json", !builder.Environment.IsDevelopment());
        var configuration = new LoggerConfiguration().MinimumLevel.Information().Enrich.FromLogContext();
        foreach (var (category, level) in Levels)
        {
            configuration.MinimumLevel.Override(category, level);
            // The two level scales have the same order and numbers (Information = 2, Warning = 3).
            builder.Logging.AddFilter(category, (LogLevel)level);
        }
        var logger = json
            ? configuration.WriteTo.Console(new RenderedCompactJsonFormatter()).CreateLogger()
            : configuration.WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateLogger();
        // Serilog writes the console as one provider of the framework's logger factory, which makes one logger per
        // category: Serilog's own factory makes one per request for it, and SignalR asks for three per connection.
        // Other providers (tests add one) get the same events through the same filters.
        builder.Logging.ClearProviders().AddSerilog(logger, dispose: true);
        // One line per request: method, route path (no query string), status and elapsed time — no headers, no bodies.
        builder.Services.AddHttpLogging(options =>
        {
            options.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.ResponseStatusCode
                | HttpLoggingFields.Duration;
            options.CombineLogs = true;
        });
        return builder;
    }

    public static WebApplication UseTelemedRequestLogging(this WebApplication app)
    {
        app.UseHttpLogging();
        return app;
    }
}
