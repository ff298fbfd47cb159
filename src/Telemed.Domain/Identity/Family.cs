namespace Telemed.Domain.Identity;

/// <summary>How the guardian is related to the person they act for, as the guardian says it: "I am their …".</summary>
public enum Relation
{
    Parent,
    Child,
    Spouse,
    Sibling,
    Grandparent,
    Grandchild,
    LegalGuardian,
    Other,
}

/// <summary>
/// One mobile number holds a family. The patient who signs in with the number is the guardian; they register dependants
/// (a child, an elderly parent) who have no sign-in of their own, and act for them. Each dependant is a patient with
/// records of their own, which the guardian reaches by being their guardian.
/// </summary>
public static class Family
{
    /// <summary>Below this age a patient consults only with an accompanying adult (Telemedicine Practice Guidelines 2020).</summary>
    public const int AdultAge = 18;

    public const int MaxDependants = 10;

    /// <summary>Whole years on <paramref name="today"/>; with only the year of birth known, the age reached this year.</summary>
    public static int Age(int yearOfBirth, DateOnly? dateOfBirth, DateOnly today)
    {
        if (dateOfBirth is not { } born)
        {
            return today.Year - yearOfBirth;
        }
        var age = today.Year - born.Year;
        return today < born.AddYears(age) ? age - 1 : age;
    }

    public static bool IsMinor(int yearOfBirth, DateOnly? dateOfBirth, DateOnly today) => Age(yearOfBirth, dateOfBirth, today) < AdultAge;

    /// <summary>The caller may act for a patient who is themselves, or whose guardian they are; for nobody else.</summary>
    public static bool MayActFor(Guid callerId, Guid patientId, Guid? guardianOfPatient) => callerId == patientId || IsGuardian(callerId, guardianOfPatient);

    /// <summary>Whether the caller is the guardian of a patient whose guardian is <paramref name="guardianOfPatient"/> (none for a patient who is nobody's dependant).</summary>
    public static bool IsGuardian(Guid callerId, Guid? guardianOfPatient) => guardianOfPatient is { } guardian && guardian == callerId;

    /// <summary>
    /// Whether this patient may register one more dependant: an adult who is no one's dependant, below the family limit.
    /// Null when they may; otherwise why not.
    /// </summary>
    public static Invalid? RefuseNewDependant(Guid? guardianOfCaller, int callerYearOfBirth, DateOnly? callerDateOfBirth, int dependantsSoFar, DateOnly today) =>
        guardianOfCaller is not null ? new Invalid("A dependant cannot register dependants of their own; their guardian does.")
        : IsMinor(callerYearOfBirth, callerDateOfBirth, today) ? new Invalid($"Only an adult ({AdultAge} or older) can register family members.")
        : dependantsSoFar >= MaxDependants ? new Invalid($"A family holds at most {MaxDependants} dependants.")
        : null;

    public static Result<Relation, Invalid> ParseRelation(string? raw) => raw?.Trim().ToLowerInvariant() switch
    {
        "parent" => Relation.Parent,
        "child" => Relation.Child,
        "spouse" => Relation.Spouse,
        "sibling" => Relation.Sibling,
        "grandparent" => Relation.Grandparent,
        "grandchild" => Relation.Grandchild,
        "legalguardian" or "legal-guardian" or "guardian" => Relation.LegalGuardian,
        "other" => Relation.Other,
        null or "" => new Invalid("Relation is required (parent, child, spouse, sibling, grandparent, grandchild, legalGuardian or other)."),
        _ => new Invalid("Relation must be parent, child, spouse, sibling, grandparent, grandchild, legalGuardian or other."),
    };
}
