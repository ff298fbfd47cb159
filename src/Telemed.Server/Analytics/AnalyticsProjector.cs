using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Telemed.Domain.Analytics;
using Telemed.Domain.Consultations;
using Telemed.Domain.Prescriptions;
using Telemed.Domain.Queue;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Analytics;

public sealed class AnalyticsOptions
{
    public const string Section = "Analytics";

    /// <summary>How often the projection looks for new events.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int PollSeconds { get; set; } = 2;

    /// <summary>Counts below this are suppressed in every analytics answer (k-anonymity).</summary>
    [System.ComponentModel.DataAnnotations.Range(2, 100)]
    public int MinimumCellSize { get; set; } = Suppression.DefaultK;
}

/// <summary>Where the projection has read up to, and the lookups it needs to route events to their visit.</summary>
public sealed record ProjectionPosition(string Id, long Sequence);

public sealed record SessionPlace(Guid Id, Guid FacilityId, string District);

public sealed record VisitLink(Guid Id, string VisitId);

/// <summary>
/// The analytics projection: folds every queue, consultation and prescription event, in the event store's global
/// order, into <see cref="Visit"/> documents, storing its position in the same transaction (so each event counts once).
/// One node runs it at a time (<see cref="Leadership"/>). The position document is optimistically versioned as well, so two
/// writers could never both count a batch. Rebuilding deletes the visits and reads the store from the start.
/// </summary>
public sealed partial class AnalyticsProjector(
    IDocumentStore store, NpgsqlDataSource dataSource, OutbreakAlerts alerts, IOptions<AnalyticsOptions> options, ILogger<AnalyticsProjector> logger)
    : BackgroundService
{
    private const string PositionId = "analytics";
    private const long LeaderLock = 0x7e1e_0a11;
    private const int BatchSize = 500;

    private readonly SemaphoreSlim running = new(1, 1);

    /// <summary>Reads every event not yet projected. True when something was projected.</summary>
    public async Task<bool> CatchUp(CancellationToken cancellationToken)
    {
        await running.WaitAsync(cancellationToken);
        try
        {
            var any = false;
            while (await ProjectBatch(cancellationToken))
            {
                any = true;
            }
            return any;
        }
        finally
        {
            running.Release();
        }
    }

    public override void Dispose()
    {
        running.Dispose();
        base.Dispose();
    }

    public async Task Rebuild(CancellationToken cancellationToken)
    {
        await running.WaitAsync(cancellationToken);
        try
        {
            await Reset(cancellationToken);
        }
        finally
        {
            running.Release();
        }
        await CatchUp(cancellationToken);
    }

    private async Task Reset(CancellationToken cancellationToken)
    {
        await using (var session = store.LightweightSession())
        {
            session.DeleteWhere<Visit>(_ => true);
            session.DeleteWhere<VisitLink>(_ => true);
            session.DeleteWhere<SessionPlace>(_ => true);
            session.Delete<ProjectionPosition>(PositionId);
            await session.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task<bool> ProjectBatch(CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var position = (await session.LoadAsync<ProjectionPosition>(PositionId, cancellationToken))?.Sequence ?? 0;
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > position)
            .OrderBy(e => e.Sequence)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var ready = events.TakeWhile((e, i) => e.Sequence == position + i + 1 || e.Timestamp < DateTimeOffset.UtcNow.AddSeconds(-5)).ToList();
        if (ready.Count == 0)
        {
            // An event with a lower number may still be committing: wait for it (or for it to be surely rolled back).
            return false;
        }
        var batch = new Batch(session);
        await batch.Prefetch(ready.Select(e => e.Data).ToList(), cancellationToken);
        foreach (var @event in ready)
        {
            await Project(batch, @event.Data, cancellationToken);
        }
        batch.Store();
        session.Store(new ProjectionPosition(PositionId, ready[^1].Sequence));
        await session.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>What one batch has read and changed: later events in the batch must see what earlier ones wrote.</summary>
    private sealed class Batch(IDocumentSession session)
    {
        private readonly Dictionary<string, Visit?> visits = [];
        private readonly Dictionary<Guid, SessionPlace?> places = [];
        private readonly Dictionary<Guid, VisitLink?> links = [];

        public IDocumentSession Session => session;

        /// <summary>
        /// Loads the links and visits the events will touch in two queries: one query per event made each poll a burst
        /// of round trips that stalled the queue's own commands (the queue benchmark's p99; docs/benchmarks.md).
        /// </summary>
        public async Task Prefetch(IReadOnlyList<object> events, CancellationToken cancellationToken)
        {
            var linkIds = events.Select(LinkedBy).OfType<Guid>().Distinct().Where(id => !links.ContainsKey(id)).ToArray();
            var foundLinks = (await session.LoadManyAsync<VisitLink>(cancellationToken, linkIds)).ToDictionary(l => l.Id);
            foreach (var id in linkIds)
            {
                links[id] = foundLinks.GetValueOrDefault(id);
            }
            var visitIds = events.Select(VisitOf).Concat(linkIds.Select(id => links[id]?.VisitId)).OfType<string>()
                .Distinct().Where(id => !visits.ContainsKey(id)).ToArray();
            var foundVisits = (await session.LoadManyAsync<Visit>(cancellationToken, visitIds)).ToDictionary(v => v.Id);
            foreach (var id in visitIds)
            {
                visits[id] = foundVisits.GetValueOrDefault(id);
            }
        }

        private static Guid? LinkedBy(object data) => data switch
        {
            IConsultationEvent consultation => consultation.ConsultationId,
            PrescriptionSigned signed => signed.Content.ConsultationId,
            PrescriptionDispensed dispensed => dispensed.PrescriptionId,
            _ => null,
        };

        private static string? VisitOf(object data) => data switch
        {
            TokenConsultationStarted started => Visits.Id(started.SessionId, started.Token),
            IQueueEvent queued when TokenOf(queued) is { } token => Visits.Id(queued.SessionId, token),
            _ => null,
        };

        public async Task<Visit?> Visit(string id, CancellationToken cancellationToken) =>
            visits.TryGetValue(id, out var known) ? known : visits[id] = await session.LoadAsync<Visit>(id, cancellationToken);

        public void Put(Visit visit) => visits[visit.Id] = visit;

        public async Task<SessionPlace?> Place(Guid id, CancellationToken cancellationToken) =>
            places.TryGetValue(id, out var known) ? known : places[id] = await session.LoadAsync<SessionPlace>(id, cancellationToken);

        public void Put(SessionPlace place) => places[place.Id] = place;

        public async Task<VisitLink?> Link(Guid id, CancellationToken cancellationToken) =>
            links.TryGetValue(id, out var known) ? known : links[id] = await session.LoadAsync<VisitLink>(id, cancellationToken);

        public void Put(VisitLink link) => links[link.Id] = link;

        public void Store()
        {
            foreach (var visit in visits.Values.OfType<Visit>())
            {
                session.Store(visit);
            }
            foreach (var place in places.Values.OfType<SessionPlace>())
            {
                session.Store(place);
            }
            foreach (var link in links.Values.OfType<VisitLink>())
            {
                session.Store(link);
            }
        }
    }

    private static async Task Project(Batch batch, object data, CancellationToken cancellationToken)
    {
        switch (data)
        {
            case SessionOpened opened:
                var facility = await batch.Session.LoadAsync<Facility>(opened.FacilityId, cancellationToken);
                batch.Put(new SessionPlace(opened.SessionId, opened.FacilityId, facility?.District ?? ""));
                return;
            case PatientCheckedIn checkedIn:
                var place = await batch.Place(checkedIn.SessionId, cancellationToken);
                batch.Put(Visits.CheckedIn(checkedIn, place?.FacilityId ?? Guid.Empty, place?.District ?? ""));
                return;
            case TokenConsultationStarted started:
                batch.Put(new VisitLink(started.ConsultationId, Visits.Id(started.SessionId, started.Token)));
                await Update(batch, Visits.Id(started.SessionId, started.Token), data, cancellationToken);
                return;
            case PrescriptionSigned signed:
                if (await batch.Link(signed.Content.ConsultationId, cancellationToken) is { } link)
                {
                    batch.Put(new VisitLink(signed.PrescriptionId, link.VisitId));
                }
                return;
            case IQueueEvent queued when TokenOf(queued) is { } token:
                await Update(batch, Visits.Id(queued.SessionId, token), data, cancellationToken);
                return;
            case IConsultationEvent consultation:
                await UpdateLinked(batch, consultation.ConsultationId, data, cancellationToken);
                return;
            case PrescriptionDispensed dispensed:
                await UpdateLinked(batch, dispensed.PrescriptionId, data, cancellationToken);
                return;
        }
    }

    private static int? TokenOf(IQueueEvent @event) => @event switch
    {
        TokenCalled e => e.Token,
        TokenCompleted e => e.Token,
        TokenMarkedNoShow e => e.Token,
        TokenCancelled e => e.Token,
        TokenLeft e => e.Token,
        TokenNotHeld e => e.Token,
        TokenPaymentExpired e => e.Token,
        _ => null,
    };

    private static async Task UpdateLinked(Batch batch, Guid linkId, object data, CancellationToken cancellationToken)
    {
        if (await batch.Link(linkId, cancellationToken) is { } link)
        {
            await Update(batch, link.VisitId, data, cancellationToken);
        }
    }

    private static async Task Update(Batch batch, string visitId, object data, CancellationToken cancellationToken)
    {
        if (await batch.Visit(visitId, cancellationToken) is { } visit)
        {
            batch.Put(Visits.Apply(visit, data));
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Leadership.Lead(dataSource, LeaderLock, TimeSpan.FromSeconds(options.Value.PollSeconds), async cancellationToken =>
        {
            if (await CatchUp(cancellationToken))
            {
                await alerts.Raise(cancellationToken);
            }
        }, e => ProjectionFailed(logger, e.GetType().Name), stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics projection stopped with {ErrorType}; it resumes from its stored position.")]
    private static partial void ProjectionFailed(ILogger logger, string errorType);
}
