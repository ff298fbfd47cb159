using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Telemed.Domain.Audit;

namespace Telemed.Cli;

/// <summary>
/// telemed verify-events [--schema NAME]: recomputes the event store's hash chain and compares it with every seal.
/// The connection string comes from Database__ConnectionString (as the server reads it), never the command line, where
/// other users of the machine could read its password. Exit codes: 0 intact, 1 tampered, 2 could not check.
/// </summary>
internal static partial class VerifyEvents
{
    public const string Usage = "usage: Database__ConnectionString=… telemed verify-events [--schema telemed]";

    public static async Task<int> Run(string[] args)
    {
        var schema = args switch
        {
            [] => Environment.GetEnvironmentVariable("Database__Schema") ?? "telemed",
            ["--schema", var name] => name,
            _ => null,
        };
        var connectionString = Environment.GetEnvironmentVariable("Database__ConnectionString");
        if (schema is null || !Identifier().IsMatch(schema) || string.IsNullOrEmpty(connectionString))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var seals = await Seals(connection, schema);
            // One transaction, one snapshot: events appended while the walk runs are not half seen.
            await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
            await using var command = new NpgsqlCommand(
                $"SELECT seq_id, id, stream_id::text, version, type, timestamp, data::text FROM {schema}.mt_events ORDER BY seq_id", connection, snapshot);
            await using var reader = await command.ExecuteReaderAsync();
            var report = EventChain.Verify(Read(reader), seals);
            if (!report.Intact)
            {
                Console.WriteLine($"TAMPERED: {report.Problem}");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The first {report.SealsChecked} seals hold (events up to {report.SealedUpTo})."));
                return 1;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"INTACT: {report.SealsChecked} seals hold, events up to {report.SealedUpTo}; {report.UnsealedEvents} newer events not yet sealed."));
            if (seals.Count > 0)
            {
                Console.WriteLine($"Compare the last seal with the one the server logged: {seals.MaxBy(s => s.ToSequence)!.Hash}");
            }
            return 0;
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"telemed: cannot read the event store: {e.Message}");
            return 2;
        }
    }

    private static async Task<List<EventSeal>> Seals(NpgsqlConnection connection, string schema)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT data->>'id', data->>'fromSequence', data->>'toSequence', data->>'events', data->>'hash', data->>'at' FROM {schema}.mt_doc_eventseal", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var seals = new List<EventSeal>();
        while (await reader.ReadAsync())
        {
            seals.Add(new EventSeal(Guid.Parse(reader.GetString(0)), long.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                long.Parse(reader.GetString(2), CultureInfo.InvariantCulture), int.Parse(reader.GetString(3), CultureInfo.InvariantCulture), reader.GetString(4),
                DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture)));
        }
        return seals;
    }

    private static IEnumerable<StoredEvent> Read(NpgsqlDataReader reader)
    {
        while (reader.Read())
        {
            yield return new StoredEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6));
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
