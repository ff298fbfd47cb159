namespace Telemed.Domain.Abdm;

/// <summary>Where a consent request Telemed made as HIU stands, as the consent manager last said.</summary>
public enum ConsentRequestStatus
{
    Requested,
    Granted,
    Denied,
    Expired,
    Revoked,
}

/// <summary>ABDM's purposes of use (the consent manager's <c>purpose.code</c>) and the text sent with each.</summary>
public static class ConsentPurposes
{
    public static readonly IReadOnlyDictionary<string, string> Texts = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CAREMGT"] = "Care Management",
        ["BTG"] = "Break the Glass",
        ["PUBHLTH"] = "Public Health",
        ["HPAYMT"] = "Healthcare Payment",
        ["DSRCH"] = "Disease Specific Healthcare Research",
        ["PATRQT"] = "Self Requested",
    };
}

/// <summary>ABDM's health-information types an HIU may ask for.</summary>
public static class RequestableHiTypes
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        HiTypes.OpConsultation, HiTypes.Prescription, "DischargeSummary", "DiagnosticReport", "ImmunizationRecord", "HealthDocumentRecord", "WellnessRecord",
    };
}

/// <summary>What a doctor asks a patient's consent for: why, which types of record, dated when, and until when Telemed may keep them.</summary>
public sealed record ConsentAsk(string PurposeCode, IReadOnlyList<string> HiTypes, DateTimeOffset From, DateTimeOffset To, DateTimeOffset ExpiresAt)
{
    /// <summary>The longest a consent may last: ABDM's PHR apps offer up to a year.</summary>
    public static readonly TimeSpan LongestExpiry = TimeSpan.FromDays(365);

    /// <summary>Checks every field at once; null (with the errors named by field) when any is wrong.</summary>
    public static ConsentAsk? Parse(
        string? purpose, IReadOnlyList<string>? hiTypes, DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset? expiresAt, DateTimeOffset now, FieldErrors errors)
    {
        var before = errors.Count;
        if (purpose is null || !ConsentPurposes.Texts.ContainsKey(purpose))
        {
            errors.Add("purpose", $"One of ABDM's purposes: {string.Join(", ", ConsentPurposes.Texts.Keys)}.");
        }
        var types = hiTypes?.Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (types.Count == 0 || types.Any(t => !RequestableHiTypes.All.Contains(t)))
        {
            errors.Add("hiTypes", $"At least one of ABDM's health-information types: {string.Join(", ", RequestableHiTypes.All)}.");
        }
        if (from is null || to is null || from > to)
        {
            errors.Add("from", "The records' date range needs from and to, from first.");
        }
        else if (from > now)
        {
            errors.Add("from", "The records' date range starts in the past: there are no records from the future.");
        }
        if (expiresAt is null || expiresAt <= now || expiresAt > now + LongestExpiry)
        {
            errors.Add("expiresAt", "The consent's expiry is in the future, at most a year from now.");
        }
        return errors.Count > before ? null : new ConsentAsk(purpose!, types, from!.Value, to!.Value, expiresAt!.Value);
    }
}

/// <summary>
/// The consent request's lifecycle: requested, then granted, denied or expired; a grant then revoked or expired. A
/// notification that repeats the current status changes nothing; one that would go back (a grant after a revocation)
/// is refused.
/// </summary>
public static class ConsentLifecycle
{
    public static Result<ConsentRequestStatus, Invalid> Next(ConsentRequestStatus current, ConsentRequestStatus notified) => (current, notified) switch
    {
        _ when current == notified => notified,
        (ConsentRequestStatus.Requested, ConsentRequestStatus.Granted or ConsentRequestStatus.Denied or ConsentRequestStatus.Expired) => notified,
        (ConsentRequestStatus.Granted, ConsentRequestStatus.Revoked or ConsentRequestStatus.Expired) => notified,
        _ => new Invalid($"A consent request that is {current} cannot become {notified}."),
    };

    /// <summary>Health information may be asked for, received and shown only under a granted artefact, until its dataEraseAt.</summary>
    public static bool Usable(ConsentRequestStatus status, DateTimeOffset dataEraseAt, DateTimeOffset now) =>
        status == ConsentRequestStatus.Granted && now < dataEraseAt;
}
