namespace Telemed.Server.Tests.Support;

/// <summary>
/// A private PostgreSQL cluster on a loopback port, made and run by deploy/local/services.sh as ./test.sh does, for
/// tests that stop and start the database under a running server. Removed on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    // Under /var/tmp: the postgres user must reach it, which a test's private temporary folder may not allow.
    private readonly string directory = $"/var/tmp/telemed-pg-test-{Guid.NewGuid():N}";

    private PostgresServer(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=telemed;Timeout=3";

    public static async Task<PostgresServer> Start()
    {
        var server = new PostgresServer(ServerProcess.FreePort());
        await server.Resume();
        await Services($"pg_ensure_database {server.Port} telemed");
        return server;
    }

    /// <summary>Starts it (again) on the same port and data.</summary>
    public Task Resume() => Services($"PG_FSYNC=off pg_start {directory} {Port}");

    /// <summary>A fast shutdown: open connections are cut, as in a restart or a failover.</summary>
    public Task Stop() => Services($"pg_stop {directory}");

    public async ValueTask DisposeAsync()
    {
        await Stop();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
        File.Delete(directory + ".initdb.log");
    }

    private static async Task Services(string commands)
    {
        var script = Path.Combine(ServerProcess.RepositoryRoot(), "deploy", "local", "services.sh");
        var result = await Tool.Run("bash", "-c", $"source '{script}' && {commands}");
        result.ExitCode.ShouldBe(0, $"{commands}: {result.StandardError}");
    }
}
