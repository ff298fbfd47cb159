using Telemed.Domain.Identity;

namespace Telemed.Domain.Abdm;

/// <summary>How the holder proved an ABHA is theirs before it was linked.</summary>
public enum AbhaProof
{
    /// <summary>An OTP ABDM sent to the mobile number on the ABHA.</summary>
    MobileOtp,

    /// <summary>An OTP UIDAI sent to the mobile number linked to the Aadhaar behind the ABHA.</summary>
    AadhaarOtp,

    /// <summary>The ABHA was created here with an Aadhaar OTP.</summary>
    CreatedWithAadhaar,

    /// <summary>The holder shared their profile from their PHR app at a facility's counter (ABDM vouches for it).</summary>
    ScanAndShare,
}

/// <summary>The profile ABDM holds for an ABHA, read after its holder proved it is theirs.</summary>
public sealed record AbhaProfile(
    string Number, string? Address, string Name, Sex Sex, int YearOfBirth, DateOnly? DateOfBirth, string? Mobile);

/// <summary>A patient's ABHA, proved and read from ABDM: the only ABHA Telemed uses to exchange records through ABDM.</summary>
public sealed record AbhaVerified(Guid PatientId, AbhaProfile Profile, AbhaProof Proof, DateTimeOffset At);

/// <summary>
/// Another patient proved the ABHA this patient had only declared: the declaration is taken off this patient's record
/// (a typing slip, or a claim to someone else's ABHA), and the proof wins.
/// </summary>
public sealed record AbhaDeclarationWithdrawn(Guid PatientId, string Abha, Guid ProvedBy, DateTimeOffset At);

/// <summary>What Telemed knows of a patient for matching them with an ABHA profile.</summary>
public sealed record AbhaHolderFacts(Guid PatientId, Sex Sex, int YearOfBirth);

/// <summary>The verified ABHA of a patient (one document per patient who has one).</summary>
public sealed record PatientAbha(Guid Id, AbhaProfile Profile, AbhaProof Proof, DateTimeOffset VerifiedAt)
{
    public static PatientAbha Evolve(PatientAbha? state, AbhaVerified verified) => new(verified.PatientId, verified.Profile, verified.Proof, verified.At);
}

public enum AbhaRefusalCode
{
    LinkedToAnotherPatient,
    AnotherAbhaLinked,
    NotThisPatient,
}

public sealed record AbhaRefusal(AbhaRefusalCode Code, string Message);

/// <summary>When an ABHA, proved by its holder, may be linked to a patient.</summary>
public static class AbhaLinking
{
    /// <summary>Years of birth may differ by one: many records hold a year worked back from an age told at a desk.</summary>
    private const int YearOfBirthTolerance = 1;

    /// <param name="current">The patient's verified ABHA, if they have one.</param>
    /// <param name="holderElsewhere">The patient this ABHA is verified for already, if any.</param>
    public static Result<AbhaVerified, AbhaRefusal> Link(
        PatientAbha? current, AbhaHolderFacts patient, AbhaProfile profile, AbhaProof proof, Guid? holderElsewhere, DateTimeOffset now)
    {
        if (holderElsewhere is { } other && other != patient.PatientId)
        {
            return new AbhaRefusal(AbhaRefusalCode.LinkedToAnotherPatient,
                $"ABHA {profile.Number} is already linked to another patient's record, so it was not linked to yours. " +
                "Each ABHA belongs to one person: if it is yours, ask the facility to check the other record.");
        }
        if (current is not null && current.Profile.Number != profile.Number)
        {
            return new AbhaRefusal(AbhaRefusalCode.AnotherAbhaLinked,
                $"Your record is already linked to ABHA {current.Profile.Number}; a person has one ABHA number. Nothing was changed.");
        }
        var mismatches = Mismatches(patient, profile);
        if (mismatches.Count > 0)
        {
            return new AbhaRefusal(AbhaRefusalCode.NotThisPatient,
                $"ABHA {profile.Number} does not match your record ({string.Join("; ", mismatches)}), so it was not linked. " +
                "If it belongs to a family member, link it to their own record.");
        }
        return new AbhaVerified(patient.PatientId, profile, proof, now);
    }

    /// <summary>The facts on which the ABHA and the patient's record disagree, in words for the patient.</summary>
    public static IReadOnlyList<string> Mismatches(AbhaHolderFacts patient, AbhaProfile profile)
    {
        var mismatches = new List<string>();
        if (patient.Sex is not (Sex.Unknown or Sex.Other) && profile.Sex is not (Sex.Unknown or Sex.Other) && patient.Sex != profile.Sex)
        {
            mismatches.Add($"the ABHA is for a {Describe(profile.Sex)} person, your record says {Describe(patient.Sex)}");
        }
        if (Math.Abs(patient.YearOfBirth - profile.YearOfBirth) > YearOfBirthTolerance)
        {
            mismatches.Add($"the ABHA holder was born in {profile.YearOfBirth}, your record says {patient.YearOfBirth}");
        }
        return mismatches;
    }

    private static string Describe(Sex sex) => sex.ToString().ToLowerInvariant();
}
