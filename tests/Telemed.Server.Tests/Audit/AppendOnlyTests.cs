using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Audit;

/// <summary>
/// With a migration role, the server runs as a role that can read and append events and audit entries but not change
/// or delete them: checked against the real PostgreSQL, as that role.
/// </summary>
public class AppendOnlyTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private const string RuntimeRole = "telemed_runtime";

    [Fact]
    public async Task The_servers_database_role_cannot_update_or_delete_events_or_audit_entries()
    {
        await CreateRuntimeRole();
        var runtime = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Username = RuntimeRole }.ConnectionString;
        var host = server.Start(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = runtime,
            ["Database:MigrationConnectionString"] = TestDatabase.ConnectionString,
        });

        // The server works as that role: signing in appends an event and its audit entry, a check-in runs the queue.
        await host.SignInStaff(Api.AdminEmail);
        var patient = (await host.CreatePatients(1))[0];
        await Sessions.CheckIn(host, await Sessions.Open(host), patient);
        await (await host.As(patient.AccessToken).GetAsync("/api/me")).ShouldHave(HttpStatusCode.OK);

        await using var connection = new NpgsqlConnection(runtime);
        await connection.OpenAsync();
        foreach (var table in new[] { "mt_events", "mt_doc_auditentry" })
        {
            (await Scalar(connection, $"SELECT count(*) FROM {server.Schema}.{table}")).ShouldBeOfType<long>().ShouldBeGreaterThan(0);
            foreach (var statement in new[]
            {
                $"UPDATE {server.Schema}.{table} SET id = id",
                $"DELETE FROM {server.Schema}.{table}",
                $"TRUNCATE {server.Schema}.{table}",
                $"ALTER TABLE {server.Schema}.{table} DISABLE TRIGGER ALL",
            })
            {
                var refused = await Should.ThrowAsync<PostgresException>(() => Scalar(connection, statement));
                refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege, statement);
            }
        }
        (await Scalar(connection, $"SELECT count(*) FROM {server.Schema}.mt_streams")).ShouldBeOfType<long>().ShouldBeGreaterThan(0);
    }

    private static async Task CreateRuntimeRole()
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        await Scalar(connection, $"DO $$ BEGIN CREATE ROLE {RuntimeRole} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
