using Telemed.Domain.Consultations;

namespace Telemed.Domain.Prescriptions;

/// <summary>One checked prescription line: a catalogue generic in one of its forms, with its TPG list.</summary>
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
    TpgList List,
    bool Refill);

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
        var route = input.Route?.Trim().ToLowerInvariant();
        if (route is null || !Routes.Contains(route))
        {
            errors.Add($"{field}.route", $"Route must be one of: {string.Join(", ", Routes)}.");
        }
        var strength = Required(input.Strength, $"{field}.strength", 50, errors);
        var dose = Required(input.Dose, $"{field}.dose", 50, errors);
        var frequency = Required(input.Frequency, $"{field}.frequency", 50, errors);
        var instructions = ClinicalRules.Text(input.Instructions, $"{field}.instructions", 500, errors);
        if (input.DurationDays is not (>= 1 and <= MaxDurationDays))
        {
            errors.Add($"{field}.durationDays", $"Duration is 1 to {MaxDurationDays} days.");
        }
        if (input.Quantity is not (>= 1 and <= MaxQuantity))
        {
            errors.Add($"{field}.quantity", $"Quantity is 1 to {MaxQuantity}.");
        }
        return errors.Count > before
            ? null
            : new PrescribedMedicine(medicine!.Generic, strength!, form!, dose!, frequency!, route!, input.DurationDays!.Value, input.Quantity!.Value,
                instructions, medicine.List, input.Refill);
    }

    private static string? Required(string? raw, string field, int maxLength, FieldErrors errors)
    {
        var text = ClinicalRules.Text(raw, field, maxLength, errors);
        if (text is null && raw?.Trim() is null or "")
        {
            errors.Add(field, "Required.");
        }
        return text;
    }

    /// <summary>Why TPG 2020 does not allow this line here, or null when it does.</summary>
    public static string? Refusal(PrescribedMedicine line, ConsultationMedium medium, ConsultKind kind) => line.List switch
    {
        TpgList.Prohibited =>
            $"{line.Generic} is a Schedule X / NDPS medicine and may never be prescribed by telemedicine.",
        TpgList.A when medium != ConsultationMedium.Video =>
            $"{line.Generic} is on List A: it needs a video consultation ({Describe(medium)} is not enough).",
        TpgList.A when kind == ConsultKind.FollowUp && !line.Refill =>
            $"{line.Generic} is on List A: on a follow-up it may only be re-prescribed as a refill.",
        TpgList.B when kind != ConsultKind.FollowUp =>
            $"{line.Generic} is on List B: it may only be added on a follow-up consultation.",
        _ => null,
    };

    private static string Describe(ConsultationMedium medium) => medium switch
    {
        ConsultationMedium.AudioOnly => "an audio-only call",
        ConsultationMedium.Chat => "a chat without a call",
        _ => "video",
    };
}
