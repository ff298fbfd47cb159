using System.Globalization;
using System.Text;

namespace Telemed.Domain.Prescriptions;

/// <summary>
/// Prescription PDFs carry their JWS in the document information's Keywords ("telemed-jws:…"), so a PDF on its own can be
/// verified offline with nothing but the published JWKS.
/// </summary>
public static class EmbeddedSignature
{
    public const string Prefix = "telemed-jws:";

    /// <summary>The JWS inside a prescription PDF, or the input itself when it is a JWS already; null when there is none.</summary>
    public static string? Find(byte[] input)
    {
        if (input.AsSpan().StartsWith("%PDF"u8))
        {
            return FromPdf(Encoding.Latin1.GetString(input));
        }
        var text = Encoding.UTF8.GetString(input).Trim();
        return text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..] : text;
    }

    private static string? FromPdf(string pdf)
    {
        var key = pdf.LastIndexOf("/Keywords", StringComparison.Ordinal);
        if (key < 0)
        {
            return null;
        }
        var start = key + "/Keywords".Length;
        while (start < pdf.Length && char.IsWhiteSpace(pdf[start]))
        {
            start++;
        }
        var value = start >= pdf.Length ? null : pdf[start] switch
        {
            '(' => Literal(pdf, start + 1),
            '<' => Hex(pdf, start + 1),
            _ => null,
        };
        return value is not null && value.StartsWith(Prefix, StringComparison.Ordinal) ? value[Prefix.Length..] : null;
    }

    /// <summary>A PDF literal string (balanced parentheses, backslash escapes).</summary>
    private static string? Literal(string pdf, int from)
    {
        var text = new StringBuilder();
        var depth = 0;
        for (var i = from; i < pdf.Length; i++)
        {
            var c = pdf[i];
            if (c == '\\' && i + 1 < pdf.Length)
            {
                text.Append(pdf[++i]);
            }
            else if (c == '(')
            {
                depth++;
                text.Append(c);
            }
            else if (c == ')' && depth-- == 0)
            {
                return text.ToString();
            }
            else
            {
                text.Append(c);
            }
        }
        return null;
    }

    /// <summary>A PDF hex string: PDFDocEncoding bytes, or UTF-16BE after a FE FF mark.</summary>
    private static string? Hex(string pdf, int from)
    {
        var end = pdf.IndexOf('>', from);
        if (end < 0)
        {
            return null;
        }
        var digits = string.Concat(pdf[from..end].Where(char.IsAsciiHexDigit));
        if (digits.Length % 2 == 1)
        {
            digits += "0";
        }
        var bytes = Enumerable.Range(0, digits.Length / 2).Select(i => byte.Parse(digits.AsSpan(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
        return bytes is [0xFE, 0xFF, ..] ? Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2) : Encoding.Latin1.GetString(bytes);
    }
}
