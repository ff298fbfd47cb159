using System.Globalization;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Telemed.Domain.Abdm;
using Telemed.Domain.Consultations;
using Telemed.Server.Infrastructure;
using Telemed.Server.Records;

namespace Telemed.Server.Abdm;

public enum CareContextLinkState
{
    /// <summary>Waiting to be sent to ABDM (first time, or again after ABDM did not take it).</summary>
    Pending,

    /// <summary>Sent; waiting for the gateway's on_carecontext.</summary>
    Sent,
    Linked,

    /// <summary>ABDM refused it: its error is kept for staff to act on, and it is not sent again.</summary>
    Refused,
}

/// <summary>Who linked the care context: Telemed as HIP with the link token, or the patient from their PHR app.</summary>
public enum CareContextLinkedBy
{
    Hip,
    Patient,
}

/// <summary>
/// The link of one care context (a completed consultation, by its id) to its patient's verified ABHA. One per care
/// context, so it is never linked twice; saved before each send, so a restart picks up where it stopped.
/// </summary>
public sealed record CareContextLink(
    Guid Id,
    Guid PatientId,
    string AbhaNumber,
    CareContextLinkState State,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? RequestId,
    DateTimeOffset? SentAt,
    string? ErrorCode,
    string? Error,
    CareContextLinkedBy? LinkedBy,
    DateTimeOffset UpdatedAt);

/// <summary>How far the linker has looked through completed care contexts (one document).</summary>
public sealed record CareContextLinkSweep(string Id, DateTimeOffset EndedSince)
{
    public const string Key = "care-context-links";
}

/// <summary>A care context as linking describes it to ABDM: references and a display with no clinical content.</summary>
public sealed record LinkableCareContext(Guid ConsultationId, Guid PatientId, DateTimeOffset At, bool HasPrescription)
{
    public static LinkableCareContext Of(CareContext context) =>
        new(context.Id, context.PatientId, context.EndedAt ?? context.StartedAt, context.PrescriptionId is not null);

    public string Display => $"Teleconsultation on {At.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// ABDM's <c>patient</c> array: one entry per health-information type, each listing the care contexts that hold it
    /// (every consultation has an OPConsultRecord; those with a signed prescription a PrescriptionRecord too).
    /// </summary>
    public static JsonArray Patients(Guid patientId, string display, IReadOnlyList<LinkableCareContext> contexts)
    {
        var entries = new JsonArray();
        foreach (var (hiType, holding) in new[]
        {
            (HiTypes.OpConsultation, contexts),
            (HiTypes.Prescription, contexts.Where(c => c.HasPrescription).ToList()),
        })
        {
            if (holding.Count == 0)
            {
                continue;
            }
            entries.Add(new JsonObject
            {
                ["referenceNumber"] = patientId.ToString(),
                ["display"] = display,
                ["careContexts"] = new JsonArray([.. holding.Select(c => (JsonNode)new JsonObject
                {
                    ["referenceNumber"] = c.ConsultationId.ToString(),
                    ["display"] = c.Display,
                })]),
                ["hiType"] = hiType,
                ["count"] = holding.Count,
            });
        }
        return entries;
    }
}

/// <summary>
/// HIP-initiated linking: each completed consultation of a patient whose ABHA is verified and whose link token is
/// ready is linked to that ABHA (<c>/api/hiecm/hip/v3/link/carecontext</c> with the token in X-LINK-TOKEN), answered
/// by the gateway's <c>/api/v3/link/on_carecontext</c>. A link ABDM does not take (unreachable, server errors, no
/// callback in time) is sent again under a new REQUEST-ID after a doubling wait (<see cref="LinkRetry"/>); a refusal is
/// kept with ABDM's error, shown to admins, and not sent again.
/// </summary>
public sealed partial class CareContextLinks(
    AbdmHttp abdm, IDocumentStore store, IDataProtectionProvider dataProtection, IOptions<AbdmOptions> options, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<CareContextLinks> logger) : BackgroundService
{
    public const string Path = "/api/hiecm/hip/v3/link/carecontext";
    public const string CallbackPath = "/api/v3/link/on_carecontext";
    public const string LinkTokenHeader = "X-LINK-TOKEN";

    /// <summary>Care contexts committed a little out of order (by EndedAt) are still seen by the next sweep.</summary>
    private static readonly TimeSpan SweepOverlap = TimeSpan.FromMinutes(5);
    private const int Batch = 50;

    private readonly IDataProtector protector = dataProtection.CreateProtector(LinkTokens.Purpose);
    private readonly Doorbell wake = new();

    public void Wake() => wake.Ring();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Configured || options.Value.HipId is null)
        {
            return;
        }
        // Not before the server listens: the gateway's on_carecontext to a link sent earlier would find nobody.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Pass(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                PassFailed(logger, e.GetType().Name);
            }
            await wake.Wait(TimeSpan.FromSeconds(options.Value.LinkSweepSeconds), stoppingToken);
        }
    }

    /// <summary>One pass: new completed care contexts queued, then every link that is due sent.</summary>
    public async Task Pass(CancellationToken cancellationToken)
    {
        await Sweep(cancellationToken);
        // PostgreSQL keeps microseconds, rounded: a link due this very tick must not miss by the rounding.
        var now = time.GetUtcNow().AddTicks(TimeSpan.TicksPerMicrosecond);
        var unanswered = now.AddSeconds(-options.Value.CallbackTimeoutSeconds);
        IReadOnlyList<CareContextLink> due;
        await using (var query = store.QuerySession())
        {
            due = await query.Query<CareContextLink>()
                .Where(l => (l.State == CareContextLinkState.Pending && l.NextAttemptAt <= now) || (l.State == CareContextLinkState.Sent && l.SentAt! <= unanswered))
                .OrderBy(l => l.NextAttemptAt).Take(Batch).ToListAsync(cancellationToken);
        }
        foreach (var link in due)
        {
            await Send(link, cancellationToken);
        }
    }

    /// <summary>Queues the completed care contexts of one patient that have no link yet (their link token just became ready).</summary>
    public async Task Enqueue(Guid patientId, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var completed = await session.Query<CareContext>()
            .Where(c => c.PatientId == patientId && c.Status == ConsultationStatus.Completed).ToListAsync(cancellationToken);
        await Queue(session, completed, cancellationToken);
        Wake();
    }

    private async Task Sweep(CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var mark = await session.LoadAsync<CareContextLinkSweep>(CareContextLinkSweep.Key, cancellationToken)
            ?? new CareContextLinkSweep(CareContextLinkSweep.Key, time.GetUtcNow() - SweepOverlap);
        var since = mark.EndedSince - SweepOverlap;
        var ended = await session.Query<CareContext>()
            .Where(c => c.Status == ConsultationStatus.Completed && c.EndedAt! >= since)
            .OrderBy(c => c.EndedAt).Take(500).ToListAsync(cancellationToken);
        await Queue(session, ended, cancellationToken);
        if (ended.Count > 0 && ended[^1].EndedAt is { } last && last > mark.EndedSince)
        {
            session.Store(mark with { EndedSince = last });
            await session.SaveChangesAsync(cancellationToken);
        }
        else if (ended.Count == 0)
        {
            session.Store(mark);
            await session.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>A link, pending, for each care context without one whose patient has a ready link token; saved.</summary>
    private async Task Queue(IDocumentSession session, IReadOnlyList<CareContext> contexts, CancellationToken cancellationToken)
    {
        if (contexts.Count == 0)
        {
            return;
        }
        var existing = (await session.LoadManyAsync<CareContextLink>(cancellationToken, contexts.Select(c => c.Id))).Select(l => l.Id).ToHashSet();
        var tokens = (await session.LoadManyAsync<AbhaLinkToken>(cancellationToken, contexts.Select(c => c.PatientId).Distinct()))
            .Where(t => t.State == LinkTokenState.Ready).ToDictionary(t => t.Id);
        var now = time.GetUtcNow();
        var added = 0;
        foreach (var context in contexts.Where(c => !existing.Contains(c.Id)))
        {
            if (tokens.TryGetValue(context.PatientId, out var token))
            {
                session.Insert(new CareContextLink(context.Id, context.PatientId, token.AbhaNumber, CareContextLinkState.Pending, 0, now, null, null, null, null, null, now));
                added++;
            }
        }
        if (added == 0)
        {
            return;
        }
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            // Another node queued them first: theirs stand.
        }
    }

    private async Task Send(CareContextLink due, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        // Loaded again in this session: with optimistic concurrency, only one node's claim of it saves.
        if (await session.LoadAsync<CareContextLink>(due.Id, cancellationToken) is not { } link || link.State != due.State || link.RequestId != due.RequestId)
        {
            return;
        }
        var token = await session.LoadAsync<AbhaLinkToken>(link.PatientId, cancellationToken);
        var context = await session.LoadAsync<CareContext>(link.Id, cancellationToken);
        var abha = await session.LoadAsync<PatientAbha>(link.PatientId, cancellationToken);
        if (context is null || abha is null || abha.Profile.Number != link.AbhaNumber)
        {
            session.Store(link with
            {
                State = CareContextLinkState.Refused, ErrorCode = null, UpdatedAt = now,
                Error = "The patient's verified ABHA is no longer the one this care context was to be linked to.",
            });
            await Save(session, cancellationToken);
            return;
        }
        var retryWait = LinkRetry.Delay(link.Attempts + 1, TimeSpan.FromSeconds(options.Value.LinkRetrySeconds), TimeSpan.FromMinutes(options.Value.LinkRetryMaxMinutes));
        if (link.State == CareContextLinkState.Sent)
        {
            // Sent, and no on_carecontext in time: tried again, under a new REQUEST-ID, when the schedule says.
            var lost = LinkRetry.Delay(link.Attempts, TimeSpan.FromSeconds(options.Value.LinkRetrySeconds), TimeSpan.FromMinutes(options.Value.LinkRetryMaxMinutes));
            session.Store(link with { State = CareContextLinkState.Pending, NextAttemptAt = now + lost, Error = "The gateway did not answer the link (on_carecontext) in time.", UpdatedAt = now });
            await Save(session, cancellationToken);
            return;
        }
        var linkToken = Unprotected(token);
        if (linkToken is null)
        {
            session.Store(link with
            {
                State = CareContextLinkState.Pending, NextAttemptAt = now + retryWait, UpdatedAt = now,
                Error = "The link token for this ABHA is not ready, or cannot be read with this server's data-protection keys.",
            });
            await Save(session, cancellationToken);
            return;
        }
        var requestId = Guid.NewGuid().ToString();
        var sending = link with { State = CareContextLinkState.Sent, Attempts = link.Attempts + 1, RequestId = requestId, SentAt = now, UpdatedAt = now };
        session.Store(sending);
        if (!await Save(session, cancellationToken))
        {
            return;
        }
        CareContextLink outcome;
        try
        {
            var linkable = LinkableCareContext.Of(context);
            await abdm.Send(HttpMethod.Post, options.Value.Gateway(Path), new JsonObject
            {
                ["abhaNumber"] = long.Parse(abha.Profile.Number.Replace("-", "", StringComparison.Ordinal), CultureInfo.InvariantCulture),
                ["abhaAddress"] = abha.Profile.Address,
                ["patient"] = LinkableCareContext.Patients(link.PatientId, abha.Profile.Name, [linkable]),
            }, cancellationToken, request =>
            {
                request.Headers.Add(AbdmHeaders.RequestId, requestId);
                request.Headers.Add(AbdmHeaders.HipId, options.Value.HipId);
                request.Headers.Add(LinkTokenHeader, linkToken);
            });
            return;
        }
        catch (AbdmUnavailableException e)
        {
            outcome = sending with { State = CareContextLinkState.Pending, NextAttemptAt = time.GetUtcNow() + retryWait, Error = e.Message, UpdatedAt = time.GetUtcNow() };
            NotTaken(logger, sending.Attempts, retryWait);
        }
        catch (AbdmRefusedException e)
        {
            outcome = sending with { State = CareContextLinkState.Refused, ErrorCode = e.Error.Code, Error = e.Error.Message, UpdatedAt = time.GetUtcNow() };
            Refused(logger, e.Error.Code);
        }
        await using var record = store.LightweightSession();
        // Only if its callback has not come meanwhile (what is stored is still the request sent).
        if (await record.LoadAsync<CareContextLink>(link.Id, CancellationToken.None) is { State: CareContextLinkState.Sent } current && current.RequestId == requestId)
        {
            record.Store(outcome);
            await Save(record, CancellationToken.None);
        }
    }

    private string? Unprotected(AbhaLinkToken? token)
    {
        if (token is not { State: LinkTokenState.Ready, ProtectedToken: { } protectedToken })
        {
            return null;
        }
        try
        {
            return protector.Unprotect(protectedToken);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            TokenUnreadable(logger);
            return null;
        }
    }

    /// <summary>False when another node changed the link since it was loaded (its change stands).</summary>
    private static async Task<bool> Save(IDocumentSession session, CancellationToken cancellationToken)
    {
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (JasperFx.ConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>The gateway's answer to a link: linked, or refused with ABDM's error; only for a link Telemed sent and waits on.</summary>
    public static async Task<IResult> Receive(HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await CallbackBodies.Read(http, cancellationToken);
        var requestId = AbhaProfiles.Text(body["response"]?["requestId"]);
        session.Insert(new ReceivedCallback(GatewayCallbacks.RequestId(http), CallbackPath, time.GetUtcNow()));
        var link = requestId is null ? null
            : await session.Query<CareContextLink>().Where(l => l.RequestId == requestId && l.State == CareContextLinkState.Sent).FirstOrDefaultAsync(cancellationToken);
        if (link is null)
        {
            return Problems.Invalid("response.requestId", "This callback answers no care-context link Telemed is waiting on.");
        }
        var now = time.GetUtcNow();
        var code = AbhaProfiles.Text(body["error"]?["code"]);
        var message = AbhaProfiles.Text(body["error"]?["message"]);
        var alreadyLinked = message?.Contains("already linked", StringComparison.OrdinalIgnoreCase) == true;
        session.Store(code is null && message is null || alreadyLinked
            ? link with { State = CareContextLinkState.Linked, LinkedBy = CareContextLinkedBy.Hip, ErrorCode = null, Error = null, UpdatedAt = now }
            : link with { State = CareContextLinkState.Refused, ErrorCode = code, Error = message ?? "ABDM refused the link without a message.", UpdatedAt = now });
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            await GatewayCallbacks.Replayed(http);
        }
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>What admins see of a link: ids, state and ABDM's error, nothing clinical.</summary>
    public sealed record LinkView(
        Guid ConsultationId, Guid PatientId, CareContextLinkState State, int Attempts, DateTimeOffset? NextAttemptAt, string? ErrorCode, string? Error,
        CareContextLinkedBy? LinkedBy, DateTimeOffset UpdatedAt);

    public static async Task<IResult> List(string? state, IQuerySession session, CancellationToken cancellationToken)
    {
        CareContextLinkState? wanted = null;
        if (state is not null)
        {
            if (!Enum.TryParse<CareContextLinkState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Problems.Invalid("state", $"state is one of {string.Join(", ", Enum.GetNames<CareContextLinkState>().Select(n => n.ToLowerInvariant()))}.");
            }
            wanted = parsed;
        }
        var links = await session.Query<CareContextLink>().Where(l => wanted == null || l.State == wanted)
            .OrderByDescending(l => l.UpdatedAt).Take(200).ToListAsync(cancellationToken);
        return TypedResults.Ok(links.Select(l => new LinkView(l.Id, l.PatientId, l.State, l.Attempts,
            l.State == CareContextLinkState.Pending ? l.NextAttemptAt : null, l.ErrorCode, l.Error, l.LinkedBy, l.UpdatedAt)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Care-context link not taken by ABDM (attempt {Attempts}); next try in {Wait}")]
    private static partial void NotTaken(ILogger logger, int attempts, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Care-context link refused by ABDM: {Code}")]
    private static partial void Refused(ILogger logger, string? code);

    [LoggerMessage(Level = LogLevel.Error, Message = "A link token cannot be unprotected: this node does not share the data-protection key ring of the node that stored it.")]
    private static partial void TokenUnreadable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Care-context linking pass failed with {ErrorType}; retrying on the next pass.")]
    private static partial void PassFailed(ILogger logger, string errorType);

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }
}
