using System.Net;
using System.Text;

namespace Telemed.AbdmSimulator;

/// <summary>
/// A stand-in for ABDM on one loopback port: the ABHA service (/abha/api), the gateway (/api/hiecm, /gateway/v0.5),
/// the NHPR registries (/v4/int), a PHR app that shares profiles at a counter, a consent manager with an HIU that
/// receives health information (/simulator/hiu), and an outbox of the OTPs it "sent"
/// (/simulator/messages, and a page at / for the demo). Tests start it in their own process; ./run.sh runs it alone.
/// </summary>
public sealed class Simulator : IAsyncDisposable
{
    private readonly WebApplication app;

    private Simulator(WebApplication app) => this.app = app;

    public SimulatorState State => app.Services.GetRequiredService<SimulatorState>();

    public Population People => State.People;

    public Faults Faults => State.Faults;

    public PhrApp Phr => app.Services.GetRequiredService<PhrApp>();

    public Gateway Gateway => app.Services.GetRequiredService<Gateway>();

    public ConsentManager ConsentManager => app.Services.GetRequiredService<ConsentManager>();

    public HiuConsents HiuConsents => app.Services.GetRequiredService<HiuConsents>();

    public Uri Address => State.Address;

    public SimulatorOptions Options => State.Options;

    public static WebApplication Build(string[] args, SimulatorOptions? given = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var options = given ?? builder.Configuration.GetSection(SimulatorOptions.Section).Get<SimulatorOptions>() ?? new SimulatorOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<SimulatorState>();
        builder.Services.AddSingleton<Gateway>();
        builder.Services.AddSingleton<PhrApp>();
        builder.Services.AddSingleton<ConsentManager>();
        builder.Services.AddSingleton<HiuConsents>();
        builder.Services.AddHttpClient("bridge", http => http.Timeout = TimeSpan.FromSeconds(30));
        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Urls.First();
            app.Services.GetRequiredService<SimulatorState>().Address = new Uri(address.EndsWith('/') ? address : address + "/");
        });
        app.UseMiddleware<RequestChecks>();
        AbhaService.Map(app);
        Gateway.Map(app);
        Registries.Map(app);
        PhrApp.Map(app);
        ConsentManager.Map(app);
        HiuConsents.Map(app);
        MapOutbox(app);
        return app;
    }

    /// <summary>A simulator on a free loopback port, for a test.</summary>
    public static async Task<Simulator> Start(SimulatorOptions? options = null)
    {
        var app = Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], options ?? new SimulatorOptions());
        await app.StartAsync();
        return new Simulator(app);
    }

    /// <summary>The OTP last sent to a mobile (10 digits or +91 and 10), waiting briefly for it.</summary>
    public Task<string> LatestOtp(string mobile, DateTimeOffset? after = null) => State.LatestOtp(mobile, after);

    private static void MapOutbox(WebApplication app)
    {
        app.MapGet("/simulator/messages", (string? to, SimulatorState state) =>
            Results.Json(state.Messages.Reverse().Where(m => to is null || m.To == (to.Length > 10 ? to[^10..] : to)).Take(50)
                .Select(m => new { to = m.To, text = m.Text, at = m.At })));
        app.MapGet("/", (SimulatorState state) =>
        {
            var page = new StringBuilder("""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>ABDM simulator</title><style>body{font-family:sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem}td{padding:.2rem .5rem}</style></head>
                <body><h1>ABDM simulator</h1><p>A stand-in for ABDM for Telemed's demo: nothing here leaves this machine.</p>
                <h2>SMS sent (OTPs)</h2><table><tr><th>to</th><th>text</th><th>at (UTC)</th></tr>
                """);
            foreach (var message in state.Messages.Reverse().Take(20))
            {
                page.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"<tr><td>{WebUtility.HtmlEncode(message.To)}</td><td>{WebUtility.HtmlEncode(message.Text)}</td><td>{message.At:HH:mm:ss}</td></tr>");
            }
            page.Append("""
                </table><h2>Scan a counter's QR code with the PHR app</h2>
                <p>POST /simulator/phr/share with {"abhaAddress":"priya.sharma@sbx","hipId":"IN2710000123","context":"REG-1"}: the profile is shared with that
                facility's counter and the answer shows the token it gave.</p></body></html>
                """);
            return Results.Content(page.ToString(), "text/html");
        });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        State.Keys.Dispose();
        await app.DisposeAsync();
    }
}
