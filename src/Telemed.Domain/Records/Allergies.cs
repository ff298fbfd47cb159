namespace Telemed.Domain.Records;

public enum AllergySeverity
{
    Mild,
    Moderate,
    Severe,
}

/// <summary>
/// One allergy of a patient: the substance (a medicine's generic name, an ingredient, or a class such as "penicillin"),
/// the reaction it caused, how severe, and whether a doctor verified it. The patient's own word is unverified.
/// </summary>
public sealed record Allergy(
    Guid Id, Guid PatientId, string Substance, string Reaction, AllergySeverity Severity, bool Verified, Guid RecordedBy, DateTimeOffset RecordedAt)
{
    /// <summary>Set when a doctor marked it resolved (outgrown, or recorded in error): it is then no longer checked.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    public Guid? ResolvedBy { get; init; }

    public bool Active => ResolvedAt is null;

    public string Describe() =>
        $"{Substance} ({SeverityWord(Severity)} {Reaction}, {(Verified ? "verified by a doctor" : "reported, not verified")})";

    private static string SeverityWord(AllergySeverity severity) => severity switch
    {
        AllergySeverity.Mild => "mild",
        AllergySeverity.Moderate => "moderate",
        _ => "severe",
    };
}

/// <summary>An allergy recorded on the patient's stream: by a doctor in a consultation with them, or by the patient (unverified).</summary>
public sealed record AllergyRecorded(Allergy Allergy);

/// <summary>A doctor marked the allergy resolved; it stays in the patient's history.</summary>
public sealed record AllergyResolved(Guid PatientId, Guid AllergyId, Guid By, DateTimeOffset At);

public sealed record AllergyInput(string? Substance, string? Reaction, string? Severity, bool? Verified);

/// <summary>Checks what is recorded as an allergy; who may record it is the endpoint's to decide.</summary>
public static class AllergyRules
{
    public const int MaxSubstanceLength = 100;
    public const int MaxReactionLength = 200;

    /// <summary>
    /// The allergy to record, or null with the problems under the input's field names. Only a doctor marks it verified
    /// (<paramref name="byDoctor"/>); the patient's own report is unverified.
    /// </summary>
    public static Allergy? Parse(AllergyInput input, Guid allergyId, Guid patientId, Guid by, bool byDoctor, DateTimeOffset now, FieldErrors errors)
    {
        var substance = Consultations.ClinicalRules.Text(input.Substance, "substance", MaxSubstanceLength, errors);
        if (substance is null && input.Substance?.Trim() is null or "")
        {
            errors.Add("substance", "Name the substance: a medicine, an ingredient or a class such as penicillin.");
        }
        var reaction = Consultations.ClinicalRules.Text(input.Reaction, "reaction", MaxReactionLength, errors);
        if (reaction is null && input.Reaction?.Trim() is null or "")
        {
            errors.Add("reaction", "Describe the reaction (rash, swelling, breathlessness…).");
        }
        AllergySeverity? severity = input.Severity?.Trim().ToLowerInvariant() switch
        {
            "mild" => AllergySeverity.Mild,
            "moderate" => AllergySeverity.Moderate,
            "severe" => AllergySeverity.Severe,
            _ => null,
        };
        if (severity is null)
        {
            errors.Add("severity", "Severity must be mild, moderate or severe.");
        }
        if (input.Verified == true && !byDoctor)
        {
            errors.Add("verified", "Only a doctor verifies an allergy; yours is recorded as reported.");
        }
        return errors.Any
            ? null
            : new Allergy(allergyId, patientId, Normalised(substance!), reaction!, severity!.Value, byDoctor && input.Verified == true, by, now);
    }

    /// <summary>Lower case, single spaces: "Amoxicillin  " and "amoxicillin" are one substance.</summary>
    public static string Normalised(string substance) =>
        string.Join(' ', substance.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
