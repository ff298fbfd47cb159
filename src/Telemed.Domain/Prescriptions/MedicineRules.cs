using Telemed.Domain.Consultations;

namespace Telemed.Domain.Prescriptions;

/// <summary>
/// One checked prescription line: a catalogue generic in one of its forms, why it is prescribed, and so its TPG list.
/// <see cref="Schedule"/> is the structured dose; <see cref="Dose"/> and <see cref="Frequency"/> are its words as printed and
/// signed ("1 tablet", "1-0-1"). Lines written before doses were structured have only the words (no schedule).
/// </summary>
public sealed record PrescribedMedicine(
    string Generic,
    string Strength,
    string Form,
    string Dose,
    string Frequency,
    string Route,
    int DurationDays,
    int Quantity,
    string? Instructions,
    TpgGroup Group,
    MedicinePurpose Purpose,
    DoseSchedule? Schedule = null)
{
    public TpgList List => MedicineRules.ListOf(Group, Purpose);
}

/// <summary>Prescription lines: well-formed against the catalogue, and allowed by TPG 2020 for how and why the patient was seen.</summary>
public static class MedicineRules
{
    public const int MaxLines = 30;
    public const int MaxQuantity = 1000;
    public const int MaxDurationDays = 365;

    public static IReadOnlyList<string> Routes { get; } =
    [
        "oral", "sublingual", "topical", "ophthalmic", "otic", "nasal", "inhalation", "rectal", "vaginal", "transdermal",
        "subcutaneous", "intramuscular", "intravenous",
    ];

    /// <summary>Parses the lines against the catalogue; every problem is reported under "medicines[i].field".</summary>
    public static IReadOnlyList<PrescribedMedicine>? Lines(IReadOnlyList<MedicineInput>? input, MedicineCatalogue catalogue, FieldErrors errors)
    {
        if (input is null || input.Count == 0)
        {
            errors.Add("medicines", "List at least one medicine (to prescribe nothing, leave the prescription out).");
            return null;
        }
        if (input.Count > MaxLines)
        {
            errors.Add("medicines", $"At most {MaxLines} medicines per prescription.");
            return null;
        }
        var lines = new List<PrescribedMedicine>();
        for (var i = 0; i < input.Count; i++)
        {
            if (Line(input[i], $"medicines[{i}]", catalogue, errors) is { } line)
            {
                if (lines.Any(l => l.Generic == line.Generic && l.Strength == line.Strength && l.Form == line.Form))
                {
                    errors.Add($"medicines[{i}]", $"{line.Generic} {line.Strength} {line.Form} is listed twice.");
                }
                lines.Add(line);
            }
        }
        return errors.Any ? null : lines;
    }

    private static PrescribedMedicine? Line(MedicineInput input, string field, MedicineCatalogue catalogue, FieldErrors errors)
    {
        var before = errors.Count;
        var medicine = catalogue.Find(input.Generic);
        if (medicine is null)
        {
            errors.Add($"{field}.generic", string.IsNullOrWhiteSpace(input.Generic)
                ? "A generic name is required."
                : $"'{input.Generic}' is not in the medicine catalogue; prescribe by its generic name.");
        }
        var form = input.Form?.Trim().ToLowerInvariant();
        if (medicine is not null && (form is null || !medicine.Forms.Contains(form)))
        {
            errors.Add($"{field}.form", $"Form must be one of: {string.Join(", ", medicine.Forms)}.");
        }
        var purpose = Purpose(input.Purpose, $"{field}.purpose", errors);
        if (medicine is { Group: TpgGroup.Chronic } && purpose == MedicinePurpose.Start)
        {
            errors.Add($"{field}.purpose", $"{medicine.Generic} treats a chronic disease: TPG 2020 lets telemedicine refill it or add it on at a follow-up, "
                + "not start it. Start it after seeing the patient in person.");
        }
        var route = input.Route?.Trim().ToLowerInvariant();
        if (route is null || !Routes.Contains(route))
        {
            errors.Add($"{field}.route", $"Route must be one of: {string.Join(", ", Routes)}.");
        }
        var strength = Required(input.Strength, $"{field}.strength", 50, errors);
        var dose = DoseRules.Parse(input.Dose, medicine is not null && form is not null && medicine.Forms.Contains(form) ? form : null, $"{field}.dose", errors);
        var instructions = ClinicalRules.Text(input.Instructions, $"{field}.instructions", 500, errors);
        if (input.DurationDays is not (>= 1 and <= MaxDurationDays))
        {
            errors.Add($"{field}.durationDays", $"Duration is 1 to {MaxDurationDays} days.");
        }
        if (input.Quantity is not (>= 1 and <= MaxQuantity))
        {
            errors.Add($"{field}.quantity", $"Quantity is 1 to {MaxQuantity}.");
        }
        if (errors.Count > before)
        {
            return null;
        }
        DoseRules.CheckQuantity(dose!, form!, input.DurationDays!.Value, input.Quantity!.Value, $"{field}.quantity", errors);
        return errors.Count > before
            ? null
            : new PrescribedMedicine(medicine!.Generic, strength!, form!, dose!.DoseText(), dose.FrequencyText(), route!, input.DurationDays.Value,
                input.Quantity.Value, instructions, medicine.Group, purpose!.Value, dose);
    }

    private static MedicinePurpose? Purpose(string? raw, string field, FieldErrors errors)
    {
        switch (raw?.Trim())
        {
            case null or "" or "start":
                return MedicinePurpose.Start;
            case "refill":
                return MedicinePurpose.Refill;
            case "addOn":
                return MedicinePurpose.AddOn;
            default:
                errors.Add(field, "Purpose must be start, refill or addOn.");
                return null;
        }
    }

    /// <summary>TPG 2020's list for a medicine of this group prescribed for this purpose (a chronic-disease medicine is never started).</summary>
    public static TpgList ListOf(TpgGroup group, MedicinePurpose purpose) => (group, purpose) switch
    {
        (TpgGroup.Prohibited, _) => TpgList.Prohibited,
        (TpgGroup.O, _) => TpgList.O,
        (_, MedicinePurpose.AddOn) => TpgList.B,
        _ => TpgList.A,
    };

    private static string? Required(string? raw, string field, int maxLength, FieldErrors errors)
    {
        var text = ClinicalRules.Text(raw, field, maxLength, errors);
        if (text is null && raw?.Trim() is null or "")
        {
            errors.Add(field, "Required.");
        }
        return text;
    }

    /// <summary>
    /// Why TPG 2020 does not allow this line here, or null when it does. <paramref name="followUpOf"/> is the visit that
    /// proves this one a follow-up (null on a first consultation); <paramref name="diagnosis"/> the condition treated.
    /// </summary>
    public static string? Refusal(
        PrescribedMedicine line, ConsultationMedium medium, EarlierVisit? followUpOf, Diagnosis? diagnosis, PrescribingHistory history) => line switch
    {
        { List: TpgList.Prohibited } =>
            $"{line.Generic} is a Schedule X, NDPS or anti-cancer medicine and may never be prescribed by telemedicine.",
        { List: TpgList.A, Purpose: MedicinePurpose.Start } when medium != ConsultationMedium.Video =>
            $"{line.Generic} is on List A: it is started only when the patient has been seen on video with their camera on ({Describe(medium)} is not enough).",
        { Purpose: MedicinePurpose.Refill } when followUpOf is null =>
            $"{line.Generic} is prescribed as a refill, which TPG 2020 allows on a follow-up only.",
        { Purpose: MedicinePurpose.Refill } when !history.Prescribed(line.Generic) =>
            $"{line.Generic} is prescribed as a refill, but no earlier prescription for this patient holds it.",
        { Purpose: MedicinePurpose.Refill, Group: TpgGroup.A } when medium != ConsultationMedium.Video =>
            $"{line.Generic} is on List A: continuing it needs the patient seen on video ({Describe(medium)} is not enough); only chronic-disease medicines are refilled in any mode.",
        { List: TpgList.B } when followUpOf is null =>
            $"{line.Generic} is prescribed as an add-on (List B), which TPG 2020 allows on a follow-up only.",
        { List: TpgList.B } when diagnosis is null || !history.TreatedFor(diagnosis) =>
            $"{line.Generic} is prescribed as an add-on (List B), but the patient has no earlier prescription for this condition to add it to.",
        _ => null,
    };

    private static string Describe(ConsultationMedium medium) => medium switch
    {
        ConsultationMedium.AudioOnly => "an audio-only call",
        ConsultationMedium.Chat => "a chat without a call",
        _ => "video",
    };
}
