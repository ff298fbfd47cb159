using System.Collections.Immutable;

namespace Telemed.Domain.Prescriptions;

public interface IPrescriptionEvent
{
    Guid PrescriptionId { get; }

    DateTimeOffset At { get; }
}

/// <summary>
/// The first event of a prescription stream: the signed content, exactly as it was signed — by the doctor's key
/// (<paramref name="KeyId"/>) with the facility key's <paramref name="Countersignature"/>, or, before doctors had keys
/// of their own, by the facility key alone (no countersignature).
/// </summary>
public sealed record PrescriptionSigned(
    Guid PrescriptionId, PrescriptionContent Content, string Jws, string KeyId, DateTimeOffset At, string? Countersignature = null) : IPrescriptionEvent;

public sealed record PrescriptionRevoked(Guid PrescriptionId, Guid By, string Reason, DateTimeOffset At) : IPrescriptionEvent;

/// <summary>What one pharmacy handed out, per prescription line (0-based), under the client's request id.</summary>
public sealed record PrescriptionDispensed(
    Guid PrescriptionId, Guid RequestId, Guid PharmacyId, Guid PharmacistId, IReadOnlyList<DispensedLine> Lines, DateTimeOffset At) : IPrescriptionEvent;

/// <summary>A quantity handed out for one line; the brand may differ from any other pharmacy's, the generic never.</summary>
public sealed record DispensedLine(int Line, int Quantity, string? Brand, string? Batch);

public enum PrescriptionStatus
{
    Valid,
    Revoked,
}

/// <summary>A prescription's life after signing, built from its stream.</summary>
public sealed record Prescription(
    Guid Id,
    long Version,
    PrescriptionContent Content,
    string Jws,
    string KeyId,
    PrescriptionStatus Status,
    string? RevocationReason,
    DateTimeOffset? RevokedAt,
    ImmutableArray<int> Dispensed,
    ImmutableList<PrescriptionDispensed> Dispensations,
    string? Countersignature = null)
{
    public int Remaining(int line) => Content.Medicines[line].Quantity - Dispensed[line];

    public bool FullyDispensed => Enumerable.Range(0, Dispensed.Length).All(line => Remaining(line) == 0);

    public static Prescription Evolve(Prescription? state, IPrescriptionEvent @event) => @event switch
    {
        PrescriptionSigned e => new Prescription(e.PrescriptionId, 1, e.Content, e.Jws, e.KeyId, PrescriptionStatus.Valid, null, null,
            [.. e.Content.Medicines.Select(_ => 0)], [], e.Countersignature),
        _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before PrescriptionSigned on {@event.PrescriptionId}."),
        PrescriptionRevoked e => state with { Version = state.Version + 1, Status = PrescriptionStatus.Revoked, RevocationReason = e.Reason, RevokedAt = e.At },
        PrescriptionDispensed e => state with
        {
            Version = state.Version + 1,
            Dispensed = e.Lines.Aggregate(state.Dispensed, (totals, line) => totals.SetItem(line.Line, totals[line.Line] + line.Quantity)),
            Dispensations = state.Dispensations.Add(e),
        },
        _ => throw new InvalidOperationException($"Unknown prescription event {@event.GetType().Name}."),
    };
}

public sealed record PrescriptionError(string Code, string Message);

public static class PrescriptionDecisions
{
    public const int MaxReasonLength = 500;

    public static Result<IReadOnlyList<IPrescriptionEvent>, PrescriptionError> Revoke(Prescription prescription, Guid by, string? reason, DateTimeOffset now)
    {
        if (by != prescription.Content.Doctor.Id)
        {
            return new PrescriptionError("NotTheDoctor", "Only the doctor who signed a prescription may revoke it.");
        }
        var why = reason?.Trim() ?? "";
        if (why.Length is < 3 or > MaxReasonLength || why.Any(char.IsControl))
        {
            return new PrescriptionError("ReasonRequired", $"Give the reason for revoking in 3 to {MaxReasonLength} characters (it is shown to the pharmacy).");
        }
        if (prescription.Status == PrescriptionStatus.Revoked)
        {
            return Array.Empty<IPrescriptionEvent>();
        }
        return new IPrescriptionEvent[] { new PrescriptionRevoked(prescription.Id, by, why, now) };
    }
}
