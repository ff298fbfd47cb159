namespace Telemed.Domain.Abdm;

/// <summary>ABDM's registries of health professionals (HPR) and health facilities (HFR).</summary>
public enum Registry
{
    Hpr,
    Hfr,
}

public enum RegistryStatus
{
    /// <summary>The registry knows the ID, under the name given.</summary>
    Verified,

    /// <summary>The registry knows the ID under another name.</summary>
    NameDiffers,

    /// <summary>The registry does not know the ID.</summary>
    NotFound,

    /// <summary>The registry did not answer.</summary>
    Unavailable,

    /// <summary>No registry is configured on this server, so nothing was asked.</summary>
    NotChecked,
}

/// <summary>What a registry said of an ID: whether it knows it, and under which name.</summary>
public sealed record RegistryAnswer(RegistryStatus Status, string? RegisteredName);

/// <summary>How an HPR or HFR ID was checked when its doctor or facility was registered, and why an admin went on if it was not verified.</summary>
public sealed record RegistryCheck(Registry Registry, RegistryStatus Status, string? RegisteredName, string? ProceedReason, DateTimeOffset At)
{
    public bool Verified => Status == RegistryStatus.Verified;
}

/// <summary>An admin registered a doctor or facility after the registry check: verified, or unverified with the admin's reason.</summary>
public sealed record RegistryCheckRecorded(Guid SubjectId, string Identifier, RegistryCheck Check, Guid By, DateTimeOffset At);

/// <summary>Whether a doctor or facility may be registered after asking the registry about its ID.</summary>
public static class RegistryRules
{
    public const int MinReasonLength = 10;
    public const int MaxReasonLength = 300;

    private static readonly string[] Titles = ["dr", "dr.", "doctor", "prof", "prof.", "mr", "mr.", "mrs", "mrs.", "ms", "ms."];

    /// <summary>Compares the registry's answer with the name given.</summary>
    public static RegistryAnswer Compare(RegistryAnswer answer, string name) =>
        answer.Status == RegistryStatus.Verified && answer.RegisteredName is { } registered && !SameName(registered, name)
            ? answer with { Status = RegistryStatus.NameDiffers }
            : answer;

    /// <summary>
    /// A verified ID (or no registry to ask) is accepted; otherwise the admin must say why they register it anyway,
    /// and that reason is kept with the check.
    /// </summary>
    public static Result<RegistryCheck, Invalid> Accept(
        Registry registry, string identifier, RegistryAnswer answer, bool proceedUnverified, string? reason, DateTimeOffset now)
    {
        if (answer.Status is RegistryStatus.Verified or RegistryStatus.NotChecked)
        {
            return new RegistryCheck(registry, answer.Status, answer.RegisteredName, null, now);
        }
        var said = Describe(registry, identifier, answer);
        if (!proceedUnverified)
        {
            return new Invalid($"{said} Check the ID, or register anyway and say why.");
        }
        var why = reason?.Trim() ?? "";
        if (why.Length < MinReasonLength || why.Length > MaxReasonLength || why.Any(char.IsControl))
        {
            return new Invalid($"{said} To register anyway, give a reason of {MinReasonLength} to {MaxReasonLength} characters.");
        }
        return new RegistryCheck(registry, answer.Status, answer.RegisteredName, why, now);
    }

    /// <summary>The registry's answer in words for the admin.</summary>
    public static string Describe(Registry registry, string identifier, RegistryAnswer answer)
    {
        var name = registry == Registry.Hpr ? "the Healthcare Professionals Registry (HPR)" : "the Health Facility Registry (HFR)";
        return answer.Status switch
        {
            RegistryStatus.NotFound => $"{identifier} is not in {name}.",
            RegistryStatus.NameDiffers => $"{name} has {identifier} under another name: {answer.RegisteredName}.",
            RegistryStatus.Unavailable => $"{name} did not answer, so {identifier} could not be verified.",
            RegistryStatus.NotChecked => $"{identifier} was not checked: no registry is configured.",
            _ => $"{name} has {identifier} as {answer.RegisteredName}.",
        };
    }

    /// <summary>Names as people and registries write them: case, titles, dots and spacing aside.</summary>
    public static bool SameName(string a, string b) => Normalise(a) == Normalise(b);

    private static string Normalise(string name) => string.Join(' ', name
        .ToLowerInvariant()
        .Replace(",", " ", StringComparison.Ordinal)
        .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(word => !Titles.Contains(word))
        .Select(word => word.Trim('.')));
}
