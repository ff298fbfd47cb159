using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Telemed.Server.Tests.Support;

/// <summary>
/// A Telemed host on a real PostgreSQL database, in a schema of its own (one per test class, so classes run in parallel).
/// The database comes from TELEMED_TEST_PG, which ./test.sh sets after starting a private cluster.
/// </summary>
public sealed class TelemedServer : IAsyncLifetime
{
    private readonly List<TelemedFactory> hosts = [];

    public string Schema { get; } = TestDatabase.NewSchema();

    public string KeyPath { get; } = Path.Combine(Path.GetTempPath(), $"telemed-test-{Guid.NewGuid():N}.pem");

    /// <summary>Next to the auth key, where <see cref="ServerProcess"/> puts it too, so restarts sign with the same keys.</summary>
    public string PrescriptionKeyDirectory => KeyPath + ".rx";

    /// <summary>Next to the auth key too: every node derives codes and receipt references from the same key.</summary>
    public string MessageKeyPath => KeyPath + ".messages";

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public CapturedLogs Logs { get; } = new();

    public TelemedFactory Host { get; private set; } = null!;

    public static string ConnectionString => TestDatabase.ConnectionString;

    public ValueTask InitializeAsync()
    {
        Host = Start();
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops the current host and starts a new one on the same database, as a server restart would.</summary>
    public async Task<TelemedFactory> Restart()
    {
        await Host.DisposeAsync();
        Host = Start();
        return Host;
    }

    /// <summary>Another host on the same database, with its own settings and services registered after the server's own.</summary>
    public TelemedFactory Start(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var host = new TelemedFactory(this, settings ?? new Dictionary<string, string?>(), services);
        hosts.Add(host);
        return host;
    }

    /// <summary>
    /// A host listening on a loopback port over real HTTP (its clients too), for services outside the test process that
    /// call it back (the ABDM simulator's gateway).
    /// </summary>
    public TelemedFactory StartOnLoopback(int port, IDictionary<string, string?> settings)
    {
        var host = new TelemedFactory(this, settings);
        host.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
        host.OnLoopback = true;
        host.StartServer();
        hosts.Add(host);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }
        await TestDatabase.DropSchema(Schema);
        File.Delete(KeyPath);
        File.Delete(MessageKeyPath);
        if (Directory.Exists(PrescriptionKeyDirectory))
        {
            Directory.Delete(PrescriptionKeyDirectory, recursive: true);
        }
    }
}

public sealed class TelemedFactory(TelemedServer server, IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    /// <summary>The clock of every host of the test class.</summary>
    public FakeTimeProvider Time => server.Time;

    public string Schema => server.Schema;

    /// <summary>Served by Kestrel on a loopback port rather than the in-memory test server.</summary>
    public bool OnLoopback { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:ConnectionString", TelemedServer.ConnectionString);
        builder.UseSetting("Database:Schema", server.Schema);
        builder.UseSetting("Auth:SigningKeyPath", server.KeyPath);
        builder.UseSetting("Prescriptions:KeyDirectory", server.PrescriptionKeyDirectory);
        builder.UseSetting("Messages:SecretPath", server.MessageKeyPath);
        // Messages land in the development sink unless a test points them at the fake SMS gateway or a real SMTP server.
        builder.UseSetting("Sms:Provider", "Sink");
        builder.UseSetting("Email:Provider", "Sink");
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Logging:Json", "true");
        // Tests sign in far more often than people do; the limits themselves are tested with their own settings.
        builder.UseSetting("Security:SignInPerMinute", "100000");
        builder.UseSetting("Security:CheckInPerMinute", "100000");
        builder.UseSetting("Otp:MaxSendsPerDay", "1000");
        builder.UseSetting("Security:VerificationPerMinute", "100000");
        builder.UseSetting("Security:SessionPerMinute", "100000");
        builder.UseSetting("Security:PublicKeysPerMinute", "100000");
        builder.UseSetting("Security:WebhookPerMinute", "100000");
        // Every test's hub connections come from one address, many from one account; the caps are tested with their own settings.
        builder.UseSetting("Hubs:ConnectionsPerAddress", "1000000");
        builder.UseSetting("Hubs:ConnectionsPerAccount", "100000");
        builder.UseSetting("Hubs:AnonymousConnectionsPerMinute", "1000000");
        // Staff sign in many times per test; the production hash strength is tested with its own setting.
        builder.UseSetting("Auth:PasswordHashIterations", "1000");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(testServices =>
        {
            testServices.AddSingleton<TimeProvider>(server.Time);
            testServices.AddSingleton<ILoggerProvider>(server.Logs);
            services?.Invoke(testServices);
        });
    }
}

/// <summary>Every log line the host writes, so tests can check what does (not) end up in logs.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
