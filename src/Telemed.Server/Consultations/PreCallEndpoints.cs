using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain.Consultations;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Consultations;

public sealed record PreCallCheckRequest(bool? Camera, bool? Microphone, NetworkPath? Network);

/// <summary>The result of a pre-call device and network test, on the account's stream (support can see what failed).</summary>
public sealed record PreCallCheckRecorded(Guid AccountId, bool Camera, bool Microphone, NetworkPath Network, PreCallVerdict Verdict, DateTimeOffset At);

public static class PreCallEndpoints
{
    public static void MapPreCall(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/precall").WithTags("Consultations");
        group.MapGet("/ice-servers", (ClaimsPrincipal user, ConsultationRooms rooms) => TypedResults.Ok(rooms.ServersFor(user.AccountId())))
            .WithSummary("ICE servers (with TURN credentials) for testing connectivity before a call.");
        group.MapPost("/checks", Record).WithSummary("Record a pre-call test (camera, microphone, network) and get the verdict.");
    }

    private static async Task<Results<Created<PreCallAssessment>, ProblemHttpResult>> Record(
        PreCallCheckRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
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
        session.Events.Append(accountId, new PreCallCheckRecorded(accountId, request.Camera.Value, request.Microphone.Value, request.Network.Value, assessment.Verdict, time.GetUtcNow()));
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Created("/api/precall/checks", assessment);
    }
}
