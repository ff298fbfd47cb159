using Marten;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Telemed.Server.Records;

namespace Telemed.Server.Tests.Support;

/// <summary>
/// An append to an account's stream (an audited read of the queue) that is not yet committed: a request that appends to
/// the same stream meanwhile waits on its row lock and, once this commits, finds the stream a version further than it read.
/// </summary>
public sealed class HeldAppend : IAsyncDisposable
{
    private readonly NpgsqlDataSource database;
    private readonly NpgsqlConnection holder;
    private readonly NpgsqlTransaction transaction;

    private HeldAppend(NpgsqlDataSource database, NpgsqlConnection holder, NpgsqlTransaction transaction)
    {
        this.database = database;
        this.holder = holder;
        this.transaction = transaction;
    }

    public static async Task<HeldAppend> To(TelemedFactory host, Guid accountId)
    {
        var database = host.Services.GetRequiredService<NpgsqlDataSource>();
        var holder = await database.OpenConnectionAsync();
        var transaction = await holder.BeginTransactionAsync();
        await using (var audit = host.Services.GetRequiredService<IDocumentStore>().LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            audit.Events.Append(accountId, new RecordsRead(accountId, "read the queue", "SessionStaff", "opd-session/x", [], DateTimeOffset.UtcNow));
            await audit.SaveChangesAsync();
        }
        return new HeldAppend(database, holder, transaction);
    }

    /// <summary>Commits once <paramref name="request"/> waits behind this append (or has answered without appending), and returns its answer.</summary>
    public async Task<T> CommitWhenWaitedOnBy<T>(Task<T> request)
    {
        await using (var watcher = await database.OpenConnectionAsync())
        {
            await using var blocked = new NpgsqlCommand("select count(*) from pg_stat_activity where @holder = any(pg_blocking_pids(pid))", watcher);
            blocked.Parameters.AddWithValue("holder", holder.ProcessID);
            while ((long)(await blocked.ExecuteScalarAsync())! == 0 && !request.IsCompleted)
            {
                await Task.Delay(10);
            }
        }
        await transaction.CommitAsync();
        return await request;
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await holder.DisposeAsync();
    }
}
