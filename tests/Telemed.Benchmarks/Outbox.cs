using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Telemed.Server.Infrastructure;
using Telemed.Server.Messages;
using Telemed.Server.Tests.Support;

namespace Telemed.Benchmarks;

/// <summary>
/// The server's own outbox set-up (its Marten store and <see cref="Messenger"/>) on the benchmark's database, built but
/// not started, so a driver queues messages exactly as the features do; the running server's dispatcher sends them.
/// </summary>
public sealed class Outbox : IDisposable
{
    private readonly IHost host;

    public Outbox(string database, string secretPath)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = database,
            ["Messages:SecretPath"] = secretPath,
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<TelemedMetrics>();
        builder.AddTelemedMarten();
        builder.AddTelemedMessages();
        host = builder.Build();
    }

    public IDocumentStore Store => host.Services.GetRequiredService<IDocumentStore>();

    public Messenger Messenger => host.Services.GetRequiredService<Messenger>();

    public void Dispose() => host.Dispose();
}

/// <summary>The fake Fast2SMS gateway the server tests use, on a fixed loopback address the server is configured with.</summary>
public static class BenchGateway
{
    /// <summary>The server settings that send SMS to a fake gateway at <paramref name="url"/>, one NAME=value a line.</summary>
    public static async Task<string> Settings(string url)
    {
        await using var gateway = await FakeSmsGateway.Start(url);
        return string.Join('\n', gateway.Settings("__").Select(setting => $"{setting.Key}={setting.Value}"));
    }

    /// <summary>The catalogue template a DLT template id was registered for.</summary>
    public static IReadOnlyDictionary<string, string> TemplateOf(FakeSmsGateway gateway) =>
        gateway.Settings().Where(s => s.Key.StartsWith("Sms:DltTemplateIds:", StringComparison.Ordinal))
            .ToDictionary(s => s.Value, s => s.Key.Split(':')[2]);
}
