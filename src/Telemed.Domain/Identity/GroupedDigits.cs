namespace Telemed.Domain.Identity;

/// <summary>
/// The shared shape of ABDM numeric identifiers (ABHA number, HPR ID): a fixed number of digits,
/// accepted either plain or hyphenated in fixed groups, stored hyphenated.
/// </summary>
internal static class GroupedDigits
{
    private static readonly int[] Groups = [2, 4, 4, 4];
    private const int DigitCount = 14;

    public static Result<string, Invalid> Normalise(string? raw, string what, string shape)
    {
        var input = raw?.Trim() ?? "";
        if (input.Length == 0)
        {
            return new Invalid($"{what} is required.");
        }
        if (input.Length > 32)
        {
            return new Invalid($"{what} is too long: it has {DigitCount} digits.");
        }
        var digits = input.Replace("-", "", StringComparison.Ordinal);
        if (!digits.All(char.IsAsciiDigit))
        {
            return new Invalid($"{what} may contain only digits and hyphens.");
        }
        if (digits.Length != DigitCount)
        {
            return new Invalid($"{what} must have {DigitCount} digits; this has {digits.Length}.");
        }
        var hyphenated = Hyphenate(digits);
        if (input.Contains('-', StringComparison.Ordinal) && input != hyphenated)
        {
            return new Invalid($"{what} must be written {shape} or as {DigitCount} digits without hyphens.");
        }
        return hyphenated;
    }

    private static string Hyphenate(string digits)
    {
        var parts = new string[Groups.Length];
        var start = 0;
        for (var i = 0; i < Groups.Length; i++)
        {
            parts[i] = digits.Substring(start, Groups[i]);
            start += Groups[i];
        }
        return string.Join('-', parts);
    }
}
