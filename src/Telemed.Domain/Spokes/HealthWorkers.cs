namespace Telemed.Domain.Spokes;

/// <summary>The health worker's cadre at a Health and Wellness Centre.</summary>
public enum Cadre
{
    /// <summary>Community health officer (mid-level health provider) who runs the centre.</summary>
    CommunityHealthOfficer,

    /// <summary>Auxiliary nurse midwife.</summary>
    Anm,
}

/// <summary>
/// A health worker brings patients in at their own spoke and acts only for them: a patient is theirs once they have
/// brought them in (registered or found them there), and a consultation is theirs once they checked the patient in to it.
/// </summary>
public static class HealthWorkerRules
{
    public static Result<Cadre, Invalid> ParseCadre(string? raw) => raw?.Trim().ToLowerInvariant() switch
    {
        "cho" or "communityhealthofficer" or "community-health-officer" => Cadre.CommunityHealthOfficer,
        "anm" => Cadre.Anm,
        null or "" => new Invalid("Cadre is required (communityHealthOfficer or anm)."),
        _ => new Invalid("Cadre must be communityHealthOfficer or anm."),
    };

    public static string Describe(Cadre cadre) => cadre switch
    {
        Cadre.CommunityHealthOfficer => "Community health officer",
        Cadre.Anm => "ANM",
        _ => cadre.ToString(),
    };

    /// <summary>
    /// Whether the health worker of <paramref name="spokeId"/> may act for a patient they brought in at
    /// <paramref name="broughtInAt"/> (null: never brought in by them).
    /// </summary>
    public static bool MayActFor(Guid spokeId, Guid? broughtInAt) => broughtInAt is { } facility && facility == spokeId;
}
