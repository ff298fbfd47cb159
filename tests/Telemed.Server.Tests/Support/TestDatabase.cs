using Npgsql;

namespace Telemed.Server.Tests.Support;

/// <summary>The PostgreSQL that ./test.sh starts; each test class works in a schema of its own and drops it after.</summary>
public static class TestDatabase
{
    public static string ConnectionString => Environment.GetEnvironmentVariable("TELEMED_TEST_PG")
        ?? throw new InvalidOperationException("TELEMED_TEST_PG is not set. Run the tests with ./test.sh, which starts PostgreSQL and sets it.");

    public static string NewSchema() => $"t_{Guid.NewGuid():N}"[..20];

    public static async Task DropSchema(string schema)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
