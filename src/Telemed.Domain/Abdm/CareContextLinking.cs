using System.Globalization;
using System.Text;
using Telemed.Domain.Identity;

namespace Telemed.Domain.Abdm;

/// <summary>
/// When a link of a care context to an ABHA that did not reach ABDM is tried again: the first retry after
/// <c>first</c>, each next one twice as late, never later than <c>longest</c>; attempts never stop, since a care
/// context that never reaches the patient's ABHA is a record the patient cannot share.
/// </summary>
public static class LinkRetry
{
    public static TimeSpan Delay(int failedAttempts, TimeSpan first, TimeSpan longest)
    {
        if (failedAttempts <= 0)
        {
            return TimeSpan.Zero;
        }
        // 2^20 times any sensible first delay is past any sensible ceiling: no overflow beyond it.
        var factor = Math.Pow(2, Math.Min(failedAttempts - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, longest.Ticks));
        return delay < first ? first : delay;
    }
}

/// <summary>An identifier a PHR app sends with a discovery, as the consent manager verified it (or not).</summary>
public sealed record DiscoveryIdentifier(string Type, string Value);

/// <summary>Who the consent manager says is asking, in a discovery: their ABHA address, demographics and identifiers.</summary>
public sealed record DiscoveryQuery(
    string AbhaAddress, string? Name, Sex Sex, int? YearOfBirth, IReadOnlyList<DiscoveryIdentifier> VerifiedIdentifiers);

/// <summary>A Telemed patient as discovery compares them: their verified ABHA (if any) and their own record.</summary>
public sealed record DiscoveryCandidate(Guid PatientId, string? VerifiedAbhaNumber, string? VerifiedAbhaAddress, string Name, Sex Sex, int YearOfBirth, string Mobile);

/// <summary>How a discovery found its patient, as ABDM names it in <c>matchedBy</c>.</summary>
public enum DiscoveryMatch
{
    AbhaAddress,
    AbhaNumber,
    Mobile,
}

/// <summary>
/// Which patient a PHR app's discovery is about (ABDM's user-initiated linking). A verified ABHA on Telemed's side
/// decides it: the query's ABHA address or its verified ABHA number equal to one a patient proved here. Otherwise a
/// patient matches by the verified mobile together with name, sex and year of birth, all equal; when that is true of
/// more than one patient (a family sharing a mobile), nobody is found, so one person's records are never shown to another.
/// </summary>
public static class Discovery
{
    public const string MobileIdentifier = "MOBILE";
    public const string AbhaNumberIdentifier = "ABHA_NUMBER";

    public static (DiscoveryCandidate Patient, DiscoveryMatch By)? Match(DiscoveryQuery query, IReadOnlyCollection<DiscoveryCandidate> candidates)
    {
        var byAddress = candidates.Where(c => c.VerifiedAbhaAddress is { } address && string.Equals(address, query.AbhaAddress, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byAddress.Count == 1)
        {
            return (byAddress[0], DiscoveryMatch.AbhaAddress);
        }
        var number = Verified(query, AbhaNumberIdentifier) is { } given ? Digits(given) : null;
        var byNumber = number is null ? [] : candidates.Where(c => c.VerifiedAbhaNumber is { } held && Digits(held) == number).ToList();
        if (byNumber.Count == 1)
        {
            return (byNumber[0], DiscoveryMatch.AbhaNumber);
        }
        if (byAddress.Count > 1 || byNumber.Count > 1)
        {
            return null;
        }
        var mobile = Verified(query, MobileIdentifier) is { } verified ? LastTen(verified) : null;
        if (mobile is null || query.Name is null || query.YearOfBirth is null)
        {
            return null;
        }
        var byDemographics = candidates.Where(c =>
            c.VerifiedAbhaNumber is null
            && LastTen(c.Mobile) == mobile
            && NormalName(c.Name) == NormalName(query.Name)
            && c.YearOfBirth == query.YearOfBirth
            && c.Sex == query.Sex).ToList();
        return byDemographics.Count == 1 ? (byDemographics[0], DiscoveryMatch.Mobile) : null;
    }

    private static string? Verified(DiscoveryQuery query, string type) =>
        query.VerifiedIdentifiers.FirstOrDefault(i => string.Equals(i.Type, type, StringComparison.OrdinalIgnoreCase))?.Value;

    private static string Digits(string value) => new([.. value.Where(char.IsAsciiDigit)]);

    private static string LastTen(string mobile)
    {
        var digits = Digits(mobile);
        return digits.Length > 10 ? digits[^10..] : digits;
    }

    /// <summary>Case, accents' composition and spacing do not tell two names apart; letters do.</summary>
    public static string NormalName(string name)
    {
        var words = name.Normalize(NormalizationForm.FormKC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words).ToLower(CultureInfo.InvariantCulture);
    }
}

public enum LinkCodeOutcome
{
    Linked,
    WrongCode,
    Expired,
    Locked,
    AlreadyUsed,
}

/// <summary>A pending user-initiated link's OTP: when it expires, how many wrong codes it has taken, whether it was used.</summary>
public sealed record LinkCode(DateTimeOffset ExpiresAt, int WrongAttempts, bool Used);

public sealed record LinkCodeCheck(LinkCodeOutcome Outcome, LinkCode Code, int AttemptsLeft);

/// <summary>
/// The OTP a patient enters in their PHR app to confirm a user-initiated link: good once, until it expires, and
/// after <see cref="MaxAttempts"/> wrong codes not even the right one opens it (a new link must be started).
/// </summary>
public static class LinkCodes
{
    public const int MaxAttempts = 3;

    public static LinkCodeCheck Check(LinkCode code, bool matches, DateTimeOffset now)
    {
        if (code.Used)
        {
            return new(LinkCodeOutcome.AlreadyUsed, code, 0);
        }
        if (code.WrongAttempts >= MaxAttempts)
        {
            return new(LinkCodeOutcome.Locked, code, 0);
        }
        if (now >= code.ExpiresAt)
        {
            return new(LinkCodeOutcome.Expired, code, MaxAttempts - code.WrongAttempts);
        }
        if (matches)
        {
            return new(LinkCodeOutcome.Linked, code with { Used = true }, MaxAttempts - code.WrongAttempts);
        }
        var wrong = code with { WrongAttempts = code.WrongAttempts + 1 };
        var left = MaxAttempts - wrong.WrongAttempts;
        return new(left == 0 ? LinkCodeOutcome.Locked : LinkCodeOutcome.WrongCode, wrong, left);
    }
}
