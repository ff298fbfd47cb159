using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Telemed.Server.Audit;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Audit;

/// <summary>
/// The event store sealed into a hash chain, and `telemed verify-events` recomputing it from the database: what an
/// administrator with the database owner's rights changes behind the server's back is found.
/// </summary>
public class EventSealTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private static readonly string Cli = Path.Combine(
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..")), "src", "Telemed.Cli", "bin", ServerProcess.Configuration, "net10.0", "telemed.dll");

    private Task<Tool.Output> VerifyEvents() =>
        Tool.Run(new Dictionary<string, string> { ["Database__ConnectionString"] = TestDatabase.ConnectionString }, "dotnet", Cli, "verify-events", "--schema", server.Schema);

    [Fact]
    public async Task Sealed_events_verify_and_an_altered_or_deleted_event_is_found()
    {
        // Events after a gap in the numbering are sealed at once here, not after the minute a late commit gets.
        var host = server.Start(new Dictionary<string, string?> { ["Audit:SettleSeconds"] = "0" });
        var sealer = host.Services.GetRequiredService<EventSealer>();
        await host.SignInStaff(Api.AdminEmail);
        await host.CreatePatients(2);
        (await sealer.SealSettled(CancellationToken.None)).ShouldNotBeEmpty();

        var intact = await VerifyEvents();
        intact.ExitCode.ShouldBe(0, intact.StandardError);
        intact.StandardOutput.ShouldContain("INTACT");
        intact.StandardOutput.ShouldContain("0 newer events not yet sealed");

        await host.SignInStaff(Api.DoctorEmail);
        (await VerifyEvents()).StandardOutput.ShouldMatch(@"INTACT: .*; [1-9]\d* newer events not yet sealed");
        await sealer.SealSettled(CancellationToken.None);
        (await sealer.SealSettled(CancellationToken.None)).ShouldBeEmpty("nothing new to seal");

        // The database owner backdates a sign-in: the seal over it no longer holds.
        var first = await Scalar<long>($"SELECT min(seq_id) FROM {server.Schema}.mt_events WHERE type = 'signed_in'");
        var original = await Scalar<string>($"SELECT data::text FROM {server.Schema}.mt_events WHERE seq_id = {first}");
        await Scalar<int>($"""UPDATE {server.Schema}.mt_events SET data = jsonb_set(data, ARRAY['at'], '"2020-01-01T00:00:00+00:00"') WHERE seq_id = {first} RETURNING 1""");
        var altered = await VerifyEvents();
        altered.ExitCode.ShouldBe(1);
        altered.StandardOutput.ShouldContain("TAMPERED: ");
        altered.StandardOutput.ShouldContain("the hash does not match the seal");

        // Put back as it was, the chain holds again: it is the content that is judged.
        await Scalar<int>($"UPDATE {server.Schema}.mt_events SET data = '{original.Replace("'", "''", StringComparison.Ordinal)}'::jsonb WHERE seq_id = {first} RETURNING 1");
        (await VerifyEvents()).ExitCode.ShouldBe(0);

        await Scalar<int>($"DELETE FROM {server.Schema}.mt_events WHERE seq_id = {first} RETURNING 1");
        var deleted = await VerifyEvents();
        deleted.ExitCode.ShouldBe(1);
        deleted.StandardOutput.ShouldContain("(events were deleted or inserted)");
    }

    [Fact]
    public async Task Without_a_connection_string_or_with_a_bad_schema_name_nothing_is_read()
    {
        (await Tool.Run("dotnet", Cli, "verify-events")).ExitCode.ShouldBe(2);
        var badSchema = await Tool.Run(new Dictionary<string, string> { ["Database__ConnectionString"] = TestDatabase.ConnectionString },
            "dotnet", Cli, "verify-events", "--schema", "telemed; DROP TABLE x");
        badSchema.ExitCode.ShouldBe(2);
        badSchema.StandardError.ShouldContain("usage");
    }

    private static async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
