using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Telemed.Domain.Audit;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Audit;

public sealed class EventSealOptions
{
    public const string Section = "Audit";

    /// <summary>How often the leading node seals the events stored since the last seal.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int SealSeconds { get; set; } = 60;

    /// <summary>
    /// A gap in the store's numbering is a transaction still committing or one rolled back: events after a gap are
    /// sealed once they are this old, so a late commit does not land inside a sealed range.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 3600)]
    public int SettleSeconds { get; set; } = 60;
}

/// <summary>
/// Seals the event store into a hash chain (<see cref="EventChain"/>): the leading node folds the events stored since
/// the last seal, in sequence order, into an append-only <see cref="EventSeal"/>, and logs each seal's hash so that a
/// copy of the chain's head lives outside the database. `telemed verify-events` recomputes the chain.
/// </summary>
public sealed partial class EventSealer(
    IDocumentStore store, NpgsqlDataSource dataSource, IOptions<DatabaseOptions> database, IOptions<EventSealOptions> options, TimeProvider time,
    ILogger<EventSealer> logger) : BackgroundService
{
    private const long LeaderLock = 0x7e1e_5ea1;
    private const int MaxEventsPerSeal = 5000;

    private readonly SemaphoreSlim running = new(1, 1);

    /// <summary>Seals every settled event not yet sealed; returns the seals written.</summary>
    public async Task<IReadOnlyList<EventSeal>> SealSettled(CancellationToken cancellationToken)
    {
        await running.WaitAsync(cancellationToken);
        try
        {
            var written = new List<EventSeal>();
            await using var session = store.LightweightSession();
            var previous = await session.Query<EventSeal>().OrderByDescending(s => s.ToSequence).FirstOrDefaultAsync(cancellationToken);
            while (await Settled(previous?.ToSequence ?? 0, cancellationToken) is { Count: > 0 } events)
            {
                var seal = EventChain.Seal(Ids.New(), previous, events, time.GetUtcNow());
                session.Insert(seal);
                await session.SaveChangesAsync(cancellationToken);
                Sealed(logger, seal.FromSequence, seal.ToSequence, seal.Hash);
                written.Add(seal);
                previous = seal;
            }
            return written;
        }
        finally
        {
            running.Release();
        }
    }

    /// <summary>The events after <paramref name="after"/> up to the first gap that has not settled.</summary>
    private async Task<List<StoredEvent>> Settled(long after, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT seq_id, id, stream_id::text, version, type, timestamp, data::text, timestamp < now() - make_interval(secs => $3)
            FROM {database.Value.Schema}.mt_events WHERE seq_id > $1 ORDER BY seq_id LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = MaxEventsPerSeal });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = options.Value.SettleSeconds });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<StoredEvent>();
        var last = after;
        while (await reader.ReadAsync(cancellationToken))
        {
            var sequence = reader.GetInt64(0);
            if (sequence != last + 1 && !reader.GetBoolean(7))
            {
                break;
            }
            events.Add(new StoredEvent(sequence, reader.GetGuid(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6)));
            last = sequence;
        }
        return events;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Leadership.Lead(dataSource, LeaderLock, TimeSpan.FromSeconds(options.Value.SealSeconds), SealSettled,
            e => SealingFailed(logger, e.GetType().Name), stoppingToken);

    public override void Dispose()
    {
        running.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Events {From}–{To} sealed: {Hash}")]
    private static partial void Sealed(ILogger logger, long from, long to, string hash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sealing the event store stopped with {ErrorType}; it resumes from the last seal.")]
    private static partial void SealingFailed(ILogger logger, string errorType);
}
