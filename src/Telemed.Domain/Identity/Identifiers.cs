namespace Telemed.Domain.Identity;

/// <summary>Ayushman Bharat Health Account number: 14 digits, stored as XX-XXXX-XXXX-XXXX.</summary>
public sealed record AbhaNumber
{
    private AbhaNumber(string value) => Value = value;

    public string Value { get; }

    public static Result<AbhaNumber, Invalid> Parse(string? raw)
    {
        var normalised = GroupedDigits.Normalise(raw, "ABHA number", "XX-XXXX-XXXX-XXXX");
        return normalised.IsSuccess ? new AbhaNumber(normalised.Value) : normalised.Error;
    }

    public override string ToString() => Value;
}

/// <summary>
/// ABHA address, the patient's self-chosen health handle: <c>handle@abdm</c> (production) or <c>handle@sbx</c> (sandbox).
/// Handle rules follow ABDM: 8–18 letters or digits, at most one dot and one underscore, neither first nor last.
/// </summary>
public sealed record AbhaAddress
{
    private static readonly string[] Domains = ["abdm", "sbx"];

    private AbhaAddress(string value) => Value = value;

    public string Value { get; }

    public static Result<AbhaAddress, Invalid> Parse(string? raw)
    {
        var input = raw?.Trim().ToLowerInvariant() ?? "";
        if (input.Length == 0)
        {
            return new Invalid("ABHA address is required.");
        }
        if (input.Length > 64)
        {
            return new Invalid("ABHA address is too long.");
        }
        var at = input.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || at != input.LastIndexOf('@'))
        {
            return new Invalid("ABHA address must look like handle@abdm (or handle@sbx in the sandbox).");
        }
        var (handle, domain) = (input[..at], input[(at + 1)..]);
        if (!Domains.Contains(domain))
        {
            return new Invalid($"ABHA address must end in @abdm or @sbx, not @{domain}.");
        }
        if (handle.Length is < 8 or > 18)
        {
            return new Invalid("ABHA address handle must be 8 to 18 characters.");
        }
        if (!handle.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_'))
        {
            return new Invalid("ABHA address handle may contain only letters, digits, one dot and one underscore.");
        }
        if (handle.Count(c => c == '.') > 1 || handle.Count(c => c == '_') > 1)
        {
            return new Invalid("ABHA address handle may contain at most one dot and one underscore.");
        }
        if (handle[0] is '.' or '_' || handle[^1] is '.' or '_')
        {
            return new Invalid("ABHA address handle may not start or end with a dot or underscore.");
        }
        return new AbhaAddress(input);
    }

    public override string ToString() => Value;
}

/// <summary>Healthcare Professionals Registry ID: 14 digits beginning 71, stored as 71-XXXX-XXXX-XXXX.</summary>
public sealed record HprId
{
    private HprId(string value) => Value = value;

    public string Value { get; }

    public static Result<HprId, Invalid> Parse(string? raw)
    {
        var normalised = GroupedDigits.Normalise(raw, "HPR ID", "71-XXXX-XXXX-XXXX");
        if (!normalised.IsSuccess)
        {
            return normalised.Error;
        }
        return normalised.Value.StartsWith("71-", StringComparison.Ordinal)
            ? new HprId(normalised.Value)
            : new Invalid("HPR ID must begin with 71 (71-XXXX-XXXX-XXXX).");
    }

    public override string ToString() => Value;
}

/// <summary>Health Facility Registry ID: <c>IN</c> followed by 10 letters or digits, stored upper-case.</summary>
public sealed record HfrId
{
    private HfrId(string value) => Value = value;

    public string Value { get; }

    public static Result<HfrId, Invalid> Parse(string? raw)
    {
        var input = raw?.Trim().ToUpperInvariant() ?? "";
        if (input.Length == 0)
        {
            return new Invalid("HFR ID is required.");
        }
        if (!input.StartsWith("IN", StringComparison.Ordinal))
        {
            return new Invalid("HFR ID must begin with IN.");
        }
        if (input.Length != 12)
        {
            return new Invalid($"HFR ID must be IN followed by 10 letters or digits; this has {input.Length - 2} after IN.");
        }
        return input.All(char.IsAsciiLetterOrDigit)
            ? new HfrId(input)
            : new Invalid("HFR ID may contain only letters and digits.");
    }

    public override string ToString() => Value;
}

/// <summary>
/// Indian mobile number, stored E.164 (<c>+91</c> and 10 digits starting 6–9). Accepts the ways people write it:
/// with or without +91, 91 or a leading 0, with spaces or hyphens.
/// </summary>
public sealed record MobileNumber
{
    private MobileNumber(string value) => Value = value;

    public string Value { get; }

    public static Result<MobileNumber, Invalid> Parse(string? raw)
    {
        var input = raw?.Trim() ?? "";
        if (input.Length == 0)
        {
            return new Invalid("Mobile number is required.");
        }
        if (input.Length > 20)
        {
            return new Invalid("Mobile number is too long.");
        }
        var plus = input.StartsWith('+');
        var digits = string.Concat((plus ? input[1..] : input).Where(c => c is not (' ' or '-')));
        if (!digits.All(char.IsAsciiDigit))
        {
            return new Invalid("Mobile number may contain only digits, spaces, hyphens and a leading +.");
        }
        var national = (plus, digits.Length) switch
        {
            (true, 12) when digits.StartsWith("91", StringComparison.Ordinal) => digits[2..],
            (true, _) => null,
            (false, 12) when digits.StartsWith("91", StringComparison.Ordinal) => digits[2..],
            (false, 11) when digits[0] == '0' => digits[1..],
            (false, 10) => digits,
            _ => null,
        };
        if (national is null)
        {
            return new Invalid("Mobile number must be an Indian number: 10 digits, optionally preceded by +91.");
        }
        return national[0] is >= '6' and <= '9'
            ? new MobileNumber("+91" + national)
            : new Invalid("Mobile number must start with 6, 7, 8 or 9.");
    }

    public override string ToString() => Value;
}
