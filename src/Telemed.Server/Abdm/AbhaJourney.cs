using Telemed.Domain.Abdm;

namespace Telemed.Server.Abdm;

public enum JourneyKind
{
    VerifyNumber,
    VerifyAddress,
    Create,
}

public enum JourneyStep
{
    /// <summary>Waiting for the OTP sent to prove the ABHA (or the Aadhaar, to create one).</summary>
    Otp,

    /// <summary>The ABHA exists; waiting for the OTP sent to the communication mobile, which differs from the Aadhaar-linked one.</summary>
    MobileOtp,

    /// <summary>The ABHA is linked to the patient.</summary>
    Linked,

    /// <summary>Ended without linking (refused); start again.</summary>
    Ended,
}

/// <summary>
/// A patient's ABHA verification or creation in progress: ABDM's transaction (never the OTP) and, once proved, the
/// ABHA's user token for downloading its card — kept only as long as the journey lasts.
/// </summary>
public sealed record AbhaJourney(
    Guid Id, Guid PatientId, JourneyKind Kind, OtpVia Via, OtpSent Sent, JourneyStep Step, DateTimeOffset ExpiresAt, string? UserToken = null);

/// <summary>Where a journey stands, for the patient's page.</summary>
public sealed record JourneyView(Guid Id, JourneyStep Step, string SentTo, DateTimeOffset ExpiresAt, AbhaStatus? Abha = null)
{
    public static JourneyView Of(AbhaJourney journey, AbhaStatus? abha = null) => new(journey.Id, journey.Step, journey.Sent.Message, journey.ExpiresAt, abha);
}

/// <summary>A patient's ABHA as Telemed holds it: the one they declared (unverified) and the one they proved.</summary>
public sealed record AbhaStatus(bool AbdmAvailable, DeclaredAbha? Declared, VerifiedAbha? Verified);

public sealed record DeclaredAbha(string? Number, string? Address);

public sealed record VerifiedAbha(
    string Number, string? Address, string Name, int YearOfBirth, Telemed.Domain.Identity.Sex Sex, AbhaProof Proof, DateTimeOffset VerifiedAt, LinkTokenState RecordLinking);
