using System.Security.Claims;
using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.Tokens;
using Telemed.Domain.Consultations;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Consultations;

public sealed record GuestRequest(string? Name, GuestRelation? Relation);

/// <summary>The link's secret (only ever in the answer to the patient's side) and until when it admits its guest.</summary>
public sealed record GuestLink(Guid GuestId, string Name, GuestRelation Relation, string Token, DateTimeOffset ExpiresAt);

public sealed record AdmitRequest(string? Token);

/// <summary>What the guest's browser needs for the call: a token that opens this consultation's call and nothing else.</summary>
public sealed record GuestAdmission(Guid GuestId, Guid ConsultationId, string Name, string AccessToken, int ExpiresIn);

/// <summary>A guest link, stored only as the hash of its secret.</summary>
public sealed record GuestPass(string Id, Guid ConsultationId, Guid GuestId);

/// <summary>
/// Guests in a call (<see cref="GuestDecisions"/>): the patient's side asks for a link naming the guest; the guest opens
/// it once and gets a token for the consultation hub of this consultation (and its ICE servers), which no other endpoint
/// or hub accepts.
/// </summary>
public static class GuestEndpoints
{
    public static void MapGuests(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/consultations/{consultationId:guid}/guests", Invite).WithTags("Consultations")
            .WithSummary("The patient's side lets a family member or an interpreter into the call: a one-time link, for this consultation, expiring.");
        app.MapPost("/api/guests/admit", Admit).AllowAnonymous().RequireRateLimiting(Security.SignInLimit).WithTags("Consultations")
            .WithSummary("A guest opens their link: once, before it expires, while the consultation is open.");
    }

    private static async Task<Results<Created<GuestLink>, ProblemHttpResult>> Invite(
        Guid consultationId, GuestRequest request, ClaimsPrincipal user, ConsultationService consultations, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (request.Relation is not { } relation || !Enum.IsDefined(relation))
        {
            return Problems.Invalid("relation", "Say who the guest is: family or interpreter.");
        }
        var guestId = Ids.New();
        var token = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var recorded = await consultations.Execute(
            consultationId,
            (state, now) => GuestDecisions.Invite(state, user.AccountId(), guestId, request.Name, relation, now),
            cancellationToken,
            alongside: session => session.Store(new GuestPass(Tokens.Hash(token), consultationId, guestId)));
        if (!recorded.IsSuccess)
        {
            var error = recorded.Error;
            if (error == ConsultationError.NotFound)
            {
                return Problems.NotFound(error.Message);
            }
            if (error == GuestDecisions.NotPatientSide)
            {
                await audit.Refused(user.AccountId(), $"consultation/{consultationId}", "invite a guest", cancellationToken);
                return Problems.Forbidden(error.Message);
            }
            return error.Code == "InvalidGuestName" ? Problems.Invalid("name", error.Message) : Problem(error, StatusCodes.Status409Conflict);
        }
        var invited = recorded.Value.Events.OfType<GuestInvited>().Single();
        return TypedResults.Created($"/api/consultations/{consultationId}/guests/{guestId}", new GuestLink(guestId, invited.Name, relation, token, invited.ExpiresAt));
    }

    private static async Task<Results<Ok<GuestAdmission>, ProblemHttpResult>> Admit(
        AdmitRequest request, IQuerySession db, ConsultationService consultations, Tokens tokens, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Token) || request.Token.Length > 100)
        {
            return Problems.Invalid("token", "Give the token from the guest link.");
        }
        if (await db.LoadAsync<GuestPass>(Tokens.Hash(request.Token), cancellationToken) is not { } pass)
        {
            return Problem(GuestDecisions.UnknownGuest, StatusCodes.Status404NotFound);
        }
        var recorded = await consultations.Execute(pass.ConsultationId, (state, now) => GuestDecisions.Admit(state, pass.GuestId, now), cancellationToken);
        if (!recorded.IsSuccess)
        {
            return Problem(recorded.Error, recorded.Error == ConsultationError.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone);
        }
        var guest = recorded.Value.State.Guests.Single(g => g.Id == pass.GuestId);
        var (accessToken, expiresIn) = tokens.IssueGuest(guest.Id);
        return TypedResults.Ok(new GuestAdmission(guest.Id, pass.ConsultationId, guest.Name, accessToken, expiresIn));
    }

    private static ProblemHttpResult Problem(ConsultationError error, int status) =>
        TypedResults.Problem(error.Message, statusCode: status, title: error.Code, extensions: new Dictionary<string, object?> { ["code"] = error.Code });
}
