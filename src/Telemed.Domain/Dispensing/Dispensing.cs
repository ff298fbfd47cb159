using Telemed.Domain.Prescriptions;

namespace Telemed.Domain.Dispensing;

/// <summary>What a pharmacist is told when they check a prescription. Only <see cref="Valid"/> may be dispensed.</summary>
public enum Verdict
{
    Valid,
    InvalidSignature,
    Revoked,
    Expired,
    FullyDispensed,
}

/// <summary>One line of a dispense request as the pharmacist sends it.</summary>
public sealed record DispenseInput(int? Line, int? Quantity, string? Generic, string? Brand, string? Batch);

public static class Dispensation
{
    public const int MaxLines = MedicineRules.MaxLines;

    /// <summary>
    /// The verdict on a stored prescription. <paramref name="signatureHolds"/> says the JWS verifies against a published key
    /// and signs exactly the stored content; expiry is the end of its valid-until day in India.
    /// </summary>
    public static Verdict Check(Prescription prescription, bool signatureHolds, DateTimeOffset now) =>
        !signatureHolds ? Verdict.InvalidSignature
        : prescription.Status == PrescriptionStatus.Revoked ? Verdict.Revoked
        : IndianTime.Day(now) > prescription.Content.ValidUntil ? Verdict.Expired
        : prescription.FullyDispensed ? Verdict.FullyDispensed
        : Verdict.Valid;

    public static string Explain(Verdict verdict) => verdict switch
    {
        Verdict.Valid => "Valid: signed by the prescriber, not revoked, not expired, and not yet fully dispensed.",
        Verdict.InvalidSignature => "Invalid signature: this prescription was not signed by a published Telemed key, or was altered after signing. Do not dispense.",
        Verdict.Revoked => "Revoked by the prescribing doctor. Do not dispense.",
        Verdict.Expired => "Expired: past its valid-until date. The patient needs a new prescription.",
        Verdict.FullyDispensed => "Already fully dispensed.",
        _ => verdict.ToString(),
    };

    /// <summary>
    /// Records what a pharmacy hands out. A request id seen before is a retry and changes nothing. Every line's total stays
    /// within its prescribed quantity; brand substitution is allowed, substituting the generic is not.
    /// </summary>
    public static Result<IReadOnlyList<IPrescriptionEvent>, PrescriptionError> Dispense(
        Prescription prescription, Verdict verdict, Guid requestId, Guid pharmacyId, Guid pharmacistId, IReadOnlyList<DispenseInput>? lines, DateTimeOffset now)
    {
        if (prescription.Dispensations.Any(d => d.RequestId == requestId))
        {
            return Array.Empty<IPrescriptionEvent>();
        }
        if (verdict != Verdict.Valid)
        {
            return new PrescriptionError(verdict.ToString(), Explain(verdict));
        }
        if (lines is null || lines.Count == 0 || lines.Count > MaxLines)
        {
            return new PrescriptionError("NothingToDispense", "List what was handed out: at least one line.");
        }
        var problems = new List<string>();
        var dispensed = new List<DispensedLine>();
        foreach (var input in lines)
        {
            if (Line(prescription, input, dispensed) is { } problem)
            {
                problems.Add(problem);
                continue;
            }
            dispensed.Add(new DispensedLine(input.Line!.Value, input.Quantity!.Value, Clean(input.Brand), Clean(input.Batch)));
        }
        return problems.Count > 0
            ? new PrescriptionError("NotDispensable", string.Join(" ", problems))
            : new IPrescriptionEvent[] { new PrescriptionDispensed(prescription.Id, requestId, pharmacyId, pharmacistId, dispensed, now) };
    }

    private static string? Line(Prescription prescription, DispenseInput input, List<DispensedLine> earlier)
    {
        if (input.Line is not { } line || line < 0 || line >= prescription.Content.Medicines.Count)
        {
            return $"Line {input.Line} is not on this prescription (lines 0 to {prescription.Content.Medicines.Count - 1}).";
        }
        var medicine = prescription.Content.Medicines[line];
        if (earlier.Any(d => d.Line == line))
        {
            return $"Line {line} ({medicine.Generic}) is listed twice.";
        }
        if (input.Generic is { } generic && !string.Equals(generic.Trim(), medicine.Generic, StringComparison.OrdinalIgnoreCase))
        {
            return $"Line {line} is {medicine.Generic}: a different generic ({generic.Trim()}) may not be substituted; a different brand may.";
        }
        var remaining = prescription.Remaining(line);
        if (input.Quantity is not { } quantity || quantity < 1)
        {
            return $"Line {line} ({medicine.Generic}): the quantity handed out must be at least 1.";
        }
        if (quantity > remaining)
        {
            return $"Line {line} ({medicine.Generic}): only {remaining} of {medicine.Quantity} remain to be dispensed, not {quantity}.";
        }
        if ((input.Brand?.Length ?? 0) > 100 || (input.Batch?.Length ?? 0) > 50)
        {
            return $"Line {line}: brand is at most 100 characters and batch at most 50.";
        }
        return null;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
