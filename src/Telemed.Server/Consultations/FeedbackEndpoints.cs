using System.Security.Claims;
using Marten;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Consultations;

public sealed record FeedbackInput(int? Rating, string? Comment);

public sealed record FeedbackView(Guid ConsultationId, int Rating, string? Comment, DateTimeOffset At);

/// <summary>One piece of feedback as its doctor reads it: the day it was given, never whose or which visit it was.</summary>
public sealed record DoctorFeedbackItem(DateOnly Day, int Rating, string? Comment);

public sealed record DoctorFeedback(int Count, double? MeanRating, IReadOnlyList<DoctorFeedbackItem> Items);

/// <summary>
/// Post-visit feedback: the patient (or their guardian, acting with the dependant's account) rates a completed
/// consultation once, on the consultation's stream; its doctor reads the feedback on their own visits without the
/// patient's name, id or the consultation it came from.
/// </summary>
public static class FeedbackEndpoints
{
    public static void MapFeedback(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/consultations/{consultationId:guid}/feedback", Give).RequireAuthorization(Roles.Patient).WithTags("Consultations")
            .WithSummary("Patient: rate a completed consultation (1 to 5) with an optional comment; once per consultation.");
        app.MapGet("/api/consultations/{consultationId:guid}/feedback", Mine).RequireAuthorization(Roles.Patient).WithTags("Consultations")
            .WithSummary("Patient: the feedback I gave on a consultation of mine.");
        app.MapGet("/api/feedback/mine", OnMyVisits).RequireAuthorization(Roles.Doctor).WithTags("Consultations")
            .WithSummary("Doctor: the feedback on my consultations, newest first, with neither the patient nor the consultation named.");
    }

    private static async Task<IResult> Give(
        Guid consultationId, FeedbackInput input, ClaimsPrincipal user, ConsultationService consultations, AuditTrail audit, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (VisitFeedback.Read(input.Rating, input.Comment, errors) is not { } feedback)
        {
            return Problems.Invalid(errors);
        }
        var outcome = await consultations.Execute(consultationId,
            (state, now) => VisitFeedback.Give(state, user.AccountId(), user.ActorId(), feedback.Rating, feedback.Comment, now), cancellationToken);
        if (outcome.IsSuccess)
        {
            var given = outcome.Value.State.Feedback!;
            return TypedResults.Created($"/api/consultations/{consultationId}/feedback", new FeedbackView(consultationId, given.Rating, given.Comment, given.At));
        }
        if (outcome.Error == VisitFeedback.NotThePatient)
        {
            await audit.Refused(user.ActorId(), $"consultation/{consultationId}/feedback", "give feedback", cancellationToken);
        }
        return TypedResults.Problem(outcome.Error.Message, title: outcome.Error.Code, extensions: new Dictionary<string, object?> { ["code"] = outcome.Error.Code },
            statusCode: outcome.Error.Code switch
            {
                "ConsultationNotFound" => StatusCodes.Status404NotFound,
                "NotThePatient" => StatusCodes.Status403Forbidden,
                _ => StatusCodes.Status409Conflict,
            });
    }

    private static async Task<IResult> Mine(Guid consultationId, ClaimsPrincipal user, ConsultationService consultations, CancellationToken cancellationToken)
    {
        // Someone else's consultation answers as one without feedback would: it is not the caller's to know about.
        var consultation = await consultations.Load(consultationId, cancellationToken);
        return consultation?.PatientId == user.AccountId() && consultation.Feedback is { } given
            ? TypedResults.Ok(new FeedbackView(consultationId, given.Rating, given.Comment, given.At))
            : Problems.NotFound("There is no feedback of yours on this consultation.");
    }

    private static async Task<IResult> OnMyVisits(ClaimsPrincipal user, IQuerySession db, CancellationToken cancellationToken)
    {
        var doctorId = user.AccountId();
        var given = await db.Events.QueryRawEventDataOnly<FeedbackGiven>().Where(f => f.DoctorId == doctorId).ToListAsync(cancellationToken);
        var items = given.OrderByDescending(f => f.At).Select(f => new DoctorFeedbackItem(IndianTime.Day(f.At), f.Rating, f.Comment)).ToList();
        return TypedResults.Ok(new DoctorFeedback(items.Count, items.Count == 0 ? null : Math.Round(items.Average(f => f.Rating), 2), items));
    }
}
