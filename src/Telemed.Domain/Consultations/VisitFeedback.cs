namespace Telemed.Domain.Consultations;

/// <summary>
/// The patient's word on a completed visit: a rating from 1 to 5 and, if they like, a comment. <paramref name="By"/> is
/// who gave it: the patient, or their guardian acting for them. <paramref name="DoctorId"/> is the consultation's doctor,
/// who reads the feedback on their visits without learning whose it is.
/// </summary>
public sealed record FeedbackGiven(Guid ConsultationId, Guid DoctorId, int Rating, string? Comment, Guid By, DateTimeOffset At) : IConsultationEvent;

/// <summary>
/// Rules of post-visit feedback: given once per consultation, after it completed, by its patient (a guardian acts with
/// the dependant's account, so the account is the patient's either way).
/// </summary>
public static class VisitFeedback
{
    public const int MinRating = 1;
    public const int MaxRating = 5;
    public const int MaxCommentLength = 1000;

    public static ConsultationError NotThePatient { get; } = new("NotThePatient", "Only the consultation's patient may give feedback on it.");

    public static ConsultationError NotCompleted { get; } = new("ConsultationNotCompleted", "Feedback is given once the consultation is completed.");

    public static ConsultationError AlreadyGiven { get; } = new("FeedbackAlreadyGiven", "Feedback on this consultation was already given.");

    /// <summary>The rating and the trimmed comment (null when blank), or null with the errors by field.</summary>
    public static (int Rating, string? Comment)? Read(int? rating, string? comment, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        if (rating is not (>= MinRating and <= MaxRating))
        {
            errors.Add("rating", $"Give a rating from {MinRating} to {MaxRating}.");
        }
        var text = ClinicalRules.Text(comment, "comment", MaxCommentLength, errors);
        return errors.Count > before ? null : (rating!.Value, text);
    }

    /// <param name="account">The account the caller acts as: the patient's own, or the dependant's a guardian holds.</param>
    /// <param name="actor">Who is giving it: the patient, or the guardian acting for them.</param>
    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> Give(
        Consultation consultation, Guid account, Guid actor, int rating, string? comment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(consultation);
        if (account != consultation.PatientId)
        {
            return NotThePatient;
        }
        if (consultation.Status != ConsultationStatus.Completed)
        {
            return NotCompleted;
        }
        if (consultation.Feedback is not null)
        {
            return AlreadyGiven;
        }
        return new IConsultationEvent[] { new FeedbackGiven(consultation.Id, consultation.DoctorId, rating, comment, actor, now) };
    }
}
