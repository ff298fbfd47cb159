using Npgsql;

namespace Telemed.Server.Infrastructure;

/// <summary>
/// Background work that one node does at a time: the holder of a PostgreSQL advisory lock. When that node dies its
/// connection, and with it the lock, goes, and another node takes over.
/// </summary>
public static class Leadership
{
    /// <summary>
    /// Runs <paramref name="work"/> every <paramref name="every"/> while this node holds the lock; a failure is reported
    /// to <paramref name="failed"/> and the node tries to lead again after five periods.
    /// </summary>
    public static async Task Lead(NpgsqlDataSource dataSource, long lockId, TimeSpan every, Func<CancellationToken, Task> work, Action<Exception> failed,
        CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var leadership = await dataSource.OpenConnectionAsync(stoppingToken);
                await using var claim = new NpgsqlCommand($"SELECT pg_try_advisory_lock({lockId})", leadership);
                if ((bool)(await claim.ExecuteScalarAsync(stoppingToken))!)
                {
                    while (!stoppingToken.IsCancellationRequested && leadership.State == System.Data.ConnectionState.Open)
                    {
                        await work(stoppingToken);
                        await Task.Delay(every, stoppingToken);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed(e);
            }
            await Task.Delay(every * 5, stoppingToken);
        }
    }
}
