using System.Security.Cryptography;
using System.Text;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Weasel.Core;

namespace Telemed.Server.Infrastructure;

public static class MartenSetup
{
    /// <summary>
    /// The event store and document database. Feature slices add their own documents and events
    /// with <c>services.ConfigureMarten(...)</c> next to the code that uses them.
    /// </summary>
    public static IHostApplicationBuilder AddTelemedMarten(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .Bind(builder.Configuration.GetSection(DatabaseOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));

        builder.Services.AddMarten(sp =>
            {
                var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                var options = new StoreOptions { DatabaseSchemaName = database.Schema };
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                options.DisableNpgsqlLogging = true;
                // The daemon's leadership lock is per database: deployments sharing one, each in its own schema, must not share it.
                options.Projections.DaemonLockId = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(database.Schema)));
                return options;
            })
            .UseNpgsqlDataSource()
            .UseLightweightSessions()
            // One node at a time runs the asynchronous projections (the queue's snapshots); another takes over if it stops.
            .AddAsyncDaemon(DaemonMode.HotCold);

        // Runs before any hosted service starts (and so before Kestrel listens): creating the schema
        // lazily from concurrent first requests races on CREATE TABLE (42P07).
        builder.Services.AddHostedService<SchemaInitialiser>();
        return builder;
    }

    private sealed class SchemaInitialiser(IDocumentStore store) : StartupTask
    {
        public override Task StartingAsync(CancellationToken cancellationToken) =>
            store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }
}
