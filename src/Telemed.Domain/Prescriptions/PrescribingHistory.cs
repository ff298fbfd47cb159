using Telemed.Domain.Consultations;

namespace Telemed.Domain.Prescriptions;

/// <summary>An earlier completed consultation of the patient: who saw them, when, for what, and the medicines prescribed.</summary>
public sealed record EarlierVisit(Guid ConsultationId, Guid DoctorId, DateTimeOffset At, Diagnosis? Diagnosis, IReadOnlyList<string> Medicines);

/// <summary>
/// The patient's earlier consultations in Telemed, from which TPG 2020's follow-up and refill are proved rather than
/// declared: a follow-up is the same condition with the same doctor within six months; a refill is a medicine of an
/// earlier prescription; an add-on joins earlier therapy for the same condition.
/// </summary>
public sealed record PrescribingHistory(IReadOnlyList<EarlierVisit> Visits)
{
    public const int FollowUpWithinMonths = 6;

    public static PrescribingHistory None { get; } = new([]);

    /// <summary>The latest visit that makes this one a follow-up, or null.</summary>
    public EarlierVisit? FollowUpProof(Guid doctorId, Diagnosis? diagnosis, DateTimeOffset now) =>
        diagnosis is null
            ? null
            : Visits
                .Where(v => v.DoctorId == doctorId && v.At <= now && v.At >= now.AddMonths(-FollowUpWithinMonths)
                    && v.Diagnosis is { } earlier && SameCondition(earlier, diagnosis))
                .MaxBy(v => v.At);

    /// <summary>Whether any earlier prescription for this patient holds the medicine.</summary>
    public bool Prescribed(string generic) => Visits.Any(v => v.Medicines.Contains(generic, StringComparer.Ordinal));

    /// <summary>Whether the patient already has medicines prescribed for this condition.</summary>
    public bool TreatedFor(Diagnosis diagnosis) =>
        Visits.Any(v => v.Medicines.Count > 0 && v.Diagnosis is { } earlier && SameCondition(earlier, diagnosis));

    /// <summary>
    /// Same condition: the same code when both are coded in one system (ICD-10 by its three-character category, so
    /// E11.9 and E11.65 are both type 2 diabetes), otherwise the same words.
    /// </summary>
    public static bool SameCondition(Diagnosis a, Diagnosis b) =>
        a.Code is { } x && b.Code is { } y && x.System == y.System
            ? x.System == ClinicalRules.Icd10 ? Category(x.Code) == Category(y.Code) : x.Code == y.Code
            : Words(a.Text) == Words(b.Text);

    private static string Category(string icd10) => icd10.Split('.')[0].ToUpperInvariant();

    private static string Words(string text) => string.Join(' ', text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
