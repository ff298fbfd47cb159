namespace Telemed.Domain.Abdm;

/// <summary>The health-information types (ABDM's <c>hiTypes</c>) Telemed holds and can send as HIP.</summary>
public static class HiTypes
{
    /// <summary>A consultation's OPConsultRecord.</summary>
    public const string OpConsultation = "OPConsultation";

    /// <summary>A consultation's signed prescription as a PrescriptionRecord.</summary>
    public const string Prescription = "Prescription";
}

/// <summary>One care context an artefact covers: the HIP's patient and its care context, by the references the HIP gave them.</summary>
public sealed record ConsentedCareContext(string PatientReference, string CareContextReference);

/// <summary>
/// A consent artefact the consent manager sent Telemed as HIP: who asked (the HIU), why, for which types of health
/// information of which care contexts, dated within which range, and until when (<see cref="DataEraseAt"/>, ABDM's
/// expiry). Nothing outside it is ever sent. <see cref="HiuName"/> is the HIU's name as the consent manager gave it, for
/// the patient's access log.
/// </summary>
public sealed record ConsentArtefact(
    string Id,
    string PatientAbhaAddress,
    string? HiuId,
    string PurposeCode,
    string? PurposeText,
    IReadOnlyList<string> HiTypes,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset DataEraseAt,
    string? Frequency,
    IReadOnlyList<ConsentedCareContext> CareContexts,
    DateTimeOffset GrantedAt,
    DateTimeOffset? RevokedAt,
    string? HiuName = null)
{
    /// <summary>
    /// What a health-information request against this artefact may be answered with: records dated within both the
    /// artefact's range and the request's, while the artefact is neither revoked nor expired.
    /// </summary>
    public Result<HealthInformationScope, Invalid> Scope(DateTimeOffset requestedFrom, DateTimeOffset requestedTo, DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            return new Invalid("The consent was revoked.");
        }
        if (now >= DataEraseAt)
        {
            return new Invalid("The consent has expired.");
        }
        var from = requestedFrom > From ? requestedFrom : From;
        var to = requestedTo < To ? requestedTo : To;
        if (from > to)
        {
            return new Invalid("The requested date range is outside the consent's.");
        }
        return new HealthInformationScope(this, from, to);
    }
}

/// <summary>What one request may receive: the artefact's care contexts and types, dated within [From, To].</summary>
public sealed record HealthInformationScope(ConsentArtefact Artefact, DateTimeOffset From, DateTimeOffset To)
{
    public bool Covers(ConsentedCareContext careContext) => Artefact.CareContexts.Contains(careContext);

    public bool Covers(string hiType) => Artefact.HiTypes.Contains(hiType, StringComparer.Ordinal);

    public bool Covers(DateTimeOffset recordedAt) => recordedAt >= From && recordedAt <= To;
}
