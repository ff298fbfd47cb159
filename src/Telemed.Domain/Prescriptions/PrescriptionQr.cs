using System.IO.Compression;
using System.Text;

namespace Telemed.Domain.Prescriptions;

/// <summary>
/// The text of a prescription's QR code: its verification link, then "#jws:" and the signed prescription itself, so a
/// pharmacy can verify the paper with no network. The JWS travels with its payload segment raw-DEFLATEd (RFC 1951) and
/// the whole written in digits as SMART Health Cards do (each base64url character as two digits, its code minus 45):
/// QR numeric mode holds a digit in 3⅓ bits, so the JWS costs 6⅔ bits a character instead of byte mode's 8, while the
/// link before it stays a link any phone camera opens (online check) and the pharmacy scanner still finds the id in.
/// Decoding inflates the payload back to exactly the bytes that were signed: the result is the very JWS the server
/// stored, standard and verifiable by any JOSE library; nothing is re-signed for the code.
/// </summary>
public static class PrescriptionQr
{
    public const string Marker = "#jws:";

    // Far above any prescription (a 30-line one is about 8 KB of JSON): refuses a code built to inflate without end.
    private const int MaxPayloadBytes = 64 * 1024;

    public static string Encode(string verificationUrl, string jws)
    {
        var parts = jws.Split('.');
        if (parts.Length != 3 || Base64Url.Decode(parts[1]) is not { } payload)
        {
            throw new ArgumentException("Not a compact JWS.", nameof(jws));
        }
        return verificationUrl + Marker + Digits($"{parts[0]}.{Base64Url.Encode(Deflate(payload))}.{parts[2]}");
    }

    /// <summary>True when the text is meant to carry a signed prescription (whether or not it survived intact).</summary>
    public static bool CarriesSignature(string text) => text.Contains(Marker, StringComparison.Ordinal);

    /// <summary>The compact JWS the code carries; null when it carries none or what it carries is damaged.</summary>
    public static string? Decode(string text)
    {
        var at = text.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0 || FromDigits(text.AsSpan(at + Marker.Length).Trim()) is not { } carried)
        {
            return null;
        }
        var parts = carried.Split('.');
        return parts.Length == 3 && Base64Url.Decode(parts[1]) is { } compressed && Inflate(compressed) is { } payload
            ? $"{parts[0]}.{Base64Url.Encode(payload)}.{parts[2]}"
            : null;
    }

    private static string Digits(string text)
    {
        var digits = new StringBuilder(text.Length * 2);
        foreach (var c in text)
        {
            digits.Append((char)('0' + (c - '-') / 10)).Append((char)('0' + (c - '-') % 10));
        }
        return digits.ToString();
    }

    private static string? FromDigits(ReadOnlySpan<char> digits)
    {
        if (digits.Length % 2 != 0)
        {
            return null;
        }
        var text = new StringBuilder(digits.Length / 2);
        for (var i = 0; i < digits.Length; i += 2)
        {
            if (!char.IsAsciiDigit(digits[i]) || !char.IsAsciiDigit(digits[i + 1]))
            {
                return null;
            }
            // '-' (45) to 'z' (122): every base64url character and the dots between the parts.
            var code = (digits[i] - '0') * 10 + (digits[i + 1] - '0');
            if (code > 'z' - '-')
            {
                return null;
            }
            text.Append((char)(code + '-'));
        }
        return text.ToString();
    }

    private static byte[] Deflate(byte[] payload)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize))
        {
            deflate.Write(payload);
        }
        return output.ToArray();
    }

    private static byte[]? Inflate(byte[] compressed)
    {
        try
        {
            using var inflate = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[4096];
            int read;
            while ((read = inflate.Read(buffer)) > 0)
            {
                if (output.Length + read > MaxPayloadBytes)
                {
                    return null;
                }
                output.Write(buffer, 0, read);
            }
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
