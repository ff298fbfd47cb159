namespace Telemed.Domain.Identity;

public enum Role
{
    Patient,
    Doctor,
    Pharmacist,
    Admin,

    /// <summary>District or state health officials: aggregate analytics and outbreak alerts, never a patient.</summary>
    HealthOfficer,

    /// <summary>A community health officer or auxiliary nurse midwife at a spoke centre, who sits with the patient and connects them to a hub doctor.</summary>
    HealthWorker,
}

/// <summary>Role names as they appear in tokens and authorisation policies.</summary>
public static class Roles
{
    public const string Patient = "patient";
    public const string Doctor = "doctor";
    public const string Pharmacist = "pharmacist";
    public const string Admin = "admin";
    public const string HealthOfficer = "health-officer";
    public const string HealthWorker = "health-worker";

    public static string Name(Role role) => role switch
    {
        Role.Patient => Patient,
        Role.Doctor => Doctor,
        Role.Pharmacist => Pharmacist,
        Role.Admin => Admin,
        Role.HealthOfficer => HealthOfficer,
        Role.HealthWorker => HealthWorker,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };
}

/// <summary>Administrative sex as FHIR records it.</summary>
public enum Sex
{
    Female,
    Male,
    Other,
    Unknown,
}

public static class PersonRules
{
    public const int MaxNameLength = 100;
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 128;

    public static Result<string, Invalid> Name(string? raw, string what = "Name")
    {
        var name = string.Join(' ', (raw ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (name.Length == 0)
        {
            return new Invalid($"{what} is required.");
        }
        if (name.Length > MaxNameLength)
        {
            return new Invalid($"{what} may be at most {MaxNameLength} characters.");
        }
        return name.Any(char.IsControl) ? new Invalid($"{what} may not contain control characters.") : name;
    }

    public static Result<Sex, Invalid> ParseSex(string? raw) => raw?.Trim().ToLowerInvariant() switch
    {
        "f" or "female" => Sex.Female,
        "m" or "male" => Sex.Male,
        "o" or "other" => Sex.Other,
        "u" or "unknown" => Sex.Unknown,
        null or "" => new Invalid("Sex is required (female, male, other or unknown)."),
        _ => new Invalid("Sex must be female, male, other or unknown."),
    };

    /// <summary>
    /// Patients give a full date of birth or only the year (common in India where birth dates are often not recorded).
    /// Returns the year of birth, which is always known afterwards.
    /// </summary>
    public static Result<int, Invalid> YearOfBirth(DateOnly? dateOfBirth, int? yearOfBirth, DateOnly today)
    {
        if (dateOfBirth is { } date)
        {
            if (date > today)
            {
                return new Invalid("Date of birth may not be in the future.");
            }
            if (yearOfBirth is { } year && year != date.Year)
            {
                return new Invalid("Year of birth does not match the date of birth.");
            }
            return date.Year >= 1900 ? date.Year : new Invalid("Date of birth may not be before 1900.");
        }
        return yearOfBirth switch
        {
            null => new Invalid("Date of birth or year of birth is required."),
            < 1900 => new Invalid("Year of birth may not be before 1900."),
            var year when year > today.Year => new Invalid("Year of birth may not be in the future."),
            var year => year.Value,
        };
    }

    public static Result<string, Invalid> Email(string? raw)
    {
        var email = raw?.Trim().ToLowerInvariant() ?? "";
        if (email.Length == 0)
        {
            return new Invalid("Email is required.");
        }
        if (email.Length > 254)
        {
            return new Invalid("Email may be at most 254 characters.");
        }
        var at = email.IndexOf('@', StringComparison.Ordinal);
        var valid = at > 0
            && at == email.LastIndexOf('@')
            && email.IndexOf('.', at) > at + 1
            && !email.EndsWith('.')
            && !email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
        return valid ? email : new Invalid("Email must look like name@example.org.");
    }

    public static Result<string, Invalid> NewPassword(string? raw)
    {
        var password = raw ?? "";
        if (password.Length < MinPasswordLength)
        {
            return new Invalid($"Password must be at least {MinPasswordLength} characters.");
        }
        if (password.Length > MaxPasswordLength)
        {
            return new Invalid($"Password may be at most {MaxPasswordLength} characters.");
        }
        return BreachedPasswords.Contains(password)
            ? new Invalid("This password is in the lists of passwords leaked from other sites, which attackers try first: choose another.")
            : password;
    }

    /// <summary>A free-text professional field (qualification, registration number, council): required and bounded.</summary>
    public static Result<string, Invalid> Text(string? raw, string what, int maxLength)
    {
        var text = raw?.Trim() ?? "";
        if (text.Length == 0)
        {
            return new Invalid($"{what} is required.");
        }
        if (text.Length > maxLength)
        {
            return new Invalid($"{what} may be at most {maxLength} characters.");
        }
        return text.Any(char.IsControl) ? new Invalid($"{what} may not contain control characters.") : text;
    }
}
