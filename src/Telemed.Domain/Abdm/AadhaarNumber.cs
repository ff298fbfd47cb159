namespace Telemed.Domain.Abdm;

/// <summary>
/// An Aadhaar number as a person types it: 12 digits (spaces or hyphens between groups of four allowed), not starting
/// with 0 or 1, whose last digit is the Verhoeff check digit of the others — so a slip of one digit or two swapped
/// neighbours is caught before an OTP goes to somebody else's phone. Never stored: it only travels encrypted to ABDM.
/// </summary>
public sealed record AadhaarNumber
{
    // The dihedral group D5's multiplication table, the permutation applied by position, and the inverses (Verhoeff, 1969).
    private static readonly byte[,] Multiply =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 }, { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
        { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 }, { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
        { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 }, { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
        { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
    };

    private static readonly byte[,] Permute =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 }, { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
        { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 }, { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
        { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
    };

    private static readonly byte[] Inverse = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

    private AadhaarNumber(string digits) => Digits = digits;

    /// <summary>The 12 digits, without separators (the form ABDM decrypts and checks).</summary>
    public string Digits { get; }

    public static Result<AadhaarNumber, Invalid> Parse(string? raw)
    {
        var input = raw?.Trim() ?? "";
        if (input.Length == 0)
        {
            return new Invalid("Aadhaar number is required.");
        }
        if (input.Length > 20)
        {
            return new Invalid("Aadhaar number is too long: it has 12 digits.");
        }
        var digits = string.Concat(input.Where(c => c is not (' ' or '-')));
        if (!digits.All(char.IsAsciiDigit))
        {
            return new Invalid("Aadhaar number may contain only digits, spaces and hyphens.");
        }
        if (digits.Length != 12)
        {
            return new Invalid($"Aadhaar number must have 12 digits; this has {digits.Length}.");
        }
        if (digits[0] is '0' or '1')
        {
            return new Invalid("Aadhaar number cannot start with 0 or 1.");
        }
        return IsValid(digits) ? new AadhaarNumber(digits) : new Invalid("This is not a valid Aadhaar number: check the digits on the card.");
    }

    /// <summary>The Verhoeff check digit to append to <paramref name="digits"/>.</summary>
    public static char CheckDigit(string digits) => (char)('0' + Inverse[Checksum(digits + "0")]);

    private static bool IsValid(string digits) => Checksum(digits) == 0;

    private static int Checksum(string digits)
    {
        var check = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            check = Multiply[check, Permute[i % 8, digits[digits.Length - 1 - i] - '0']];
        }
        return check;
    }

    /// <summary>Only the last four digits, as Aadhaar numbers may be shown.</summary>
    public override string ToString() => $"XXXX XXXX {Digits[8..]}";
}
