using System.Security.Cryptography;
using System.Text;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;

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

        builder.Services.AddSingleton(sp => DataSource(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));

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

    /// <summary>
    /// Marten sends the same few hundred statements again and again: prepared on each connection after a few uses,
    /// PostgreSQL parses and plans each once per connection instead of on every call (about a third less database CPU
    /// per consultation, docs/benchmarks.md). A connection string that sets Max Auto Prepare keeps its own value.
    /// </summary>
    private static NpgsqlDataSource DataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 250;
        }
        return builder.Build();
    }

    /// <summary>
    /// A document type whose rows, like events, are written once and never changed: with a migration role configured,
    /// the server's own role may not UPDATE, DELETE or TRUNCATE its table.
    /// </summary>
    public static IServiceCollection AddAppendOnlyDocument<T>(this IServiceCollection services) =>
        services.AddSingleton(new AppendOnlyDocument(typeof(T)));

    private sealed class SchemaInitialiser(IDocumentStore store, IOptions<DatabaseOptions> options, IEnumerable<AppendOnlyDocument> appendOnly)
        : StartupTask
    {
        public override async Task StartingAsync(CancellationToken cancellationToken)
        {
            var database = options.Value;
            if (!string.IsNullOrEmpty(database.MigrationConnectionString))
            {
                await using var owner = new NpgsqlConnection(database.MigrationConnectionString);
                await owner.OpenAsync(cancellationToken);
                var migration = await store.Storage.Database.CreateMigrationAsync(cancellationToken);
                if (migration.Difference != SchemaPatchDifference.None)
                {
                    await new PostgresqlMigrator().ApplyAllAsync(owner, migration, AutoCreate.CreateOrUpdate, new DefaultMigrationLogger(TextWriter.Null), cancellationToken);
                }
                var runtimeRole = new NpgsqlConnectionStringBuilder(database.ConnectionString).Username
                    ?? throw new InvalidOperationException("Database:ConnectionString must name its Username when Database:MigrationConnectionString is set.");
                var appendOnlyTables = appendOnly.Select(d => store.Options.FindOrResolveDocumentType(d.DocumentType).TableName.QualifiedName)
                    .Prepend($"{database.Schema}.mt_events");
                await GrantRuntimeRole(owner, database.Schema, runtimeRole, appendOnlyTables, cancellationToken);
            }
            // With the schema applied by the owner this finds nothing to change, and marks every type as checked.
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        }

        /// <summary>
        /// Everything on the schema's tables (CREATE for document types first used at run time), but events and
        /// append-only documents only read and appended: a stolen or misused server credential cannot rewrite history.
        /// Run at every start, so tables a new version adds are covered.
        /// </summary>
        private static async Task GrantRuntimeRole(
            NpgsqlConnection owner, string schema, string role, IEnumerable<string> appendOnlyTables, CancellationToken cancellationToken)
        {
            var grantee = "\"" + role.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var grant = new NpgsqlCommand($"""
                GRANT USAGE, CREATE ON SCHEMA {schema} TO {grantee};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {grantee};
                GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {grantee};
                GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {grantee};
                REVOKE UPDATE, DELETE, TRUNCATE ON {string.Join(", ", appendOnlyTables)} FROM {grantee};
                """, owner);
            await grant.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

/// <summary>See <see cref="MartenSetup.AddAppendOnlyDocument{T}"/>.</summary>
public sealed record AppendOnlyDocument(Type DocumentType);
