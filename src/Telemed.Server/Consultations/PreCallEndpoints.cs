using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain.Consultations;
using Telemed.Domain.Queue;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Queue;

namespace Telemed.Server.Consultations;

public sealed record PreCallCheckRequest(bool? Camera, bool? Microphone, NetworkPath? Network);

/// <summary>The result of a pre-call device and network test, on the account's stream (support can see what failed).</summary>
public sealed record PreCallCheckRecorded(Guid AccountId, bool Camera, bool Microphone, NetworkPath Network, PreCallVerdict Verdict, DateTimeOffset At);

public static class PreCallEndpoints
{
    public static void MapPreCall(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/precall").WithTags("Consultations");
        group.MapGet("/ice-servers", Servers)
            .WithSummary("ICE servers for testing connectivity before a call: STUN, and TURN credentials for a patient with a token in a queue.");
        group.MapPost("/checks", Record).WithSummary("Record a pre-call test (camera, microphone, network) and get the verdict.");
        group.MapGet("/speed-sample", SpeedSample).RequireRateLimiting(Security.SpeedSampleLimit)
            .WithSummary($"{SpeedSampleBytes} bytes that do not compress: the pre-call test times their download to estimate the connection's speed.");
    }

    /// <summary>Half a megabyte: a second or two on a 2G-like link, still measurable on a fast one, and no burden on a metered plan.</summary>
    public const int SpeedSampleBytes = 512 * 1024;

    // Random bytes, so no proxy or transport compression shortens the download and flatters the estimate.
    private static readonly byte[] Sample = System.Security.Cryptography.RandomNumberGenerator.GetBytes(SpeedSampleBytes);

    /// <summary>Like every API answer, marked no-store (Security): a cached copy would time the cache, not the network.</summary>
    private static FileContentHttpResult SpeedSample() => TypedResults.File(Sample, "application/octet-stream");

    private static async Task<Ok<IceServers>> Servers(
        ClaimsPrincipal user, ConsultationRooms rooms, IQuerySession db, QueueService queue, TimeProvider time, CancellationToken cancellationToken)
    {
        var accountId = user.AccountId();
        return TypedResults.Ok(rooms.ServersFor(accountId, relay: await IsCheckedIn(accountId, db, queue, time, cancellationToken)));
    }

    /// <summary>
    /// A patient holding a token that may still be called: the one who is about to need a relay. Tokens are for the day,
    /// so check-ins older than a day cannot be active and the look-up stays small.
    /// </summary>
    private static async Task<bool> IsCheckedIn(Guid accountId, IQuerySession db, QueueService queue, TimeProvider time, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().AddDays(-1);
        var sessionIds = await db.Events.QueryRawEventDataOnly<PatientCheckedIn>()
            .Where(e => e.PatientId == accountId && e.At > since)
            .Select(e => e.SessionId)
            .ToListAsync(cancellationToken);
        foreach (var sessionId in sessionIds.Distinct())
        {
            if (await queue.Load(sessionId, cancellationToken) is { } session && session.Entries.Any(e => e.PatientId == accountId && e.IsActive))
            {
                return true;
            }
        }
        return false;
    }

    private static async Task<Results<Created<PreCallAssessment>, ProblemHttpResult>> Record(
        PreCallCheckRequest request, ClaimsPrincipal user, IDocumentStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Telemed.Domain.FieldErrors();
        if (request.Camera is null)
        {
            errors.Add("camera", "Say whether the camera worked (true or false).");
        }
        if (request.Microphone is null)
        {
            errors.Add("microphone", "Say whether the microphone worked (true or false).");
        }
        if (request.Network is null)
        {
            errors.Add("network", "Network must be none, direct or relay.");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var assessment = PreCallCheck.Assess(request.Camera!.Value, request.Microphone!.Value, request.Network!.Value);
        var accountId = user.AccountId();
        await AccountJournal.Record(store, accountId, cancellationToken,
            new PreCallCheckRecorded(accountId, request.Camera.Value, request.Microphone.Value, request.Network.Value, assessment.Verdict, time.GetUtcNow()));
        return TypedResults.Created("/api/precall/checks", assessment);
    }
}
