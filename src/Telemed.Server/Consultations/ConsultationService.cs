using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Telemed.Domain;
using Telemed.Domain.Consultations;

namespace Telemed.Server.Consultations;

/// <summary>A consultation folded by the domain's own <see cref="Consultation.Evolve"/>.</summary>
public sealed class ConsultationProjection : SingleStreamProjection<Consultation, Guid>
{
    public override Consultation Evolve(Consultation? snapshot, Guid id, IEvent e) =>
        e.Data is IConsultationEvent consultationEvent ? Consultation.Evolve(snapshot, consultationEvent) : snapshot!;
}

/// <summary>
/// Loads consultations from their events and records decisions through Marten's write workflow: the stream is fetched
/// for exclusive writing, so a note saved while the queue completes the consultation waits for it and is then decided
/// on what the completion left.
/// </summary>
public sealed class ConsultationService(IDocumentStore store, TimeProvider time)
{
    public async Task<Consultation?> Load(Guid consultationId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.Events.AggregateStreamAsync<Consultation>(consultationId, token: cancellationToken);
    }

    public async Task<IReadOnlyList<IEvent>> History(Guid consultationId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.Events.FetchStreamAsync(consultationId, token: cancellationToken);
    }

    /// <summary>
    /// Decides and records; returns the events recorded (none when nothing changed) or the refusal. What
    /// <paramref name="alongside"/> stores is saved in the same transaction as the events, and only with them.
    /// </summary>
    public async Task<Result<(Consultation State, IReadOnlyList<IConsultationEvent> Events), ConsultationError>> Execute(
        Guid consultationId,
        Func<Consultation, DateTimeOffset, Result<IReadOnlyList<IConsultationEvent>, ConsultationError>> decide,
        CancellationToken cancellationToken,
        long? expectedVersion = null,
        Func<Consultation, long>? versionOf = null,
        Action<IDocumentSession>? alongside = null)
    {
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForExclusiveWriting<Consultation>(consultationId, cancellationToken);
        if (stream.Aggregate is not { } state)
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
        stream.AppendMany(decision.Value.Cast<object>().ToArray());
        alongside?.Invoke(session);
        await session.SaveChangesAsync(cancellationToken);
        return (decision.Value.Aggregate(state, Consultation.Evolve), decision.Value);
    }
}
