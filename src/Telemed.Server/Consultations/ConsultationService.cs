using System.Collections.Concurrent;
using JasperFx.Events;
using Marten;
using Telemed.Domain;
using Telemed.Domain.Consultations;

namespace Telemed.Server.Consultations;

/// <summary>Loads consultations from their events and records decisions with the expected stream version.</summary>
public sealed class ConsultationService(IDocumentStore store, TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> writeLocks = new();

    public async Task<Consultation?> Load(Guid consultationId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await Load(session, consultationId, cancellationToken);
    }

    public async Task<IReadOnlyList<IEvent>> History(Guid consultationId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.Events.FetchStreamAsync(consultationId, token: cancellationToken);
    }

    /// <summary>Decides and records; returns the events recorded (none when nothing changed) or the refusal.</summary>
    public async Task<Result<(Consultation State, IReadOnlyList<IConsultationEvent> Events), ConsultationError>> Execute(
        Guid consultationId,
        Func<Consultation, DateTimeOffset, Result<IReadOnlyList<IConsultationEvent>, ConsultationError>> decide,
        CancellationToken cancellationToken,
        long? expectedVersion = null,
        Func<Consultation, long>? versionOf = null)
    {
        var writeLock = writeLocks.GetOrAdd(consultationId, _ => new SemaphoreSlim(1, 1));
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var session = store.LightweightSession();
                var state = await Load(session, consultationId, cancellationToken);
                if (state is null)
                {
                    return ConsultationError.NotFound;
                }
                var current = (versionOf ?? (c => c.Version))(state);
                if (expectedVersion is { } expected && expected != current)
                {
                    return ConsultationError.Stale(current);
                }
                var decision = decide(state, time.GetUtcNow());
                if (!decision.IsSuccess)
                {
                    return decision.Error;
                }
                if (decision.Value.Count == 0)
                {
                    return (state, decision.Value);
                }
                var next = decision.Value.Aggregate(state, Consultation.Evolve);
                session.Events.Append(consultationId, next.Version, decision.Value.Cast<object>().ToArray());
                try
                {
                    await session.SaveChangesAsync(cancellationToken);
                    return (next, decision.Value);
                }
                catch (EventStreamUnexpectedMaxEventIdException) when (attempt < 10)
                {
                    // Another node recorded first (or the queue completed the consultation): decide again on the new state,
                    // which re-checks the expected version.
                }
            }
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>Folds a consultation's events in the given session (which may be another service's transaction).</summary>
    public static async Task<Consultation?> Load(IQuerySession session, Guid consultationId, CancellationToken cancellationToken)
    {
        var events = await session.Events.FetchStreamAsync(consultationId, token: cancellationToken);
        return events.Count == 0 ? null : events.Select(e => (IConsultationEvent)e.Data).Aggregate((Consultation?)null, Consultation.Evolve);
    }
}
