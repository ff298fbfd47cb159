namespace Telemed.Domain.Messages;

public enum SmsEncoding
{
    Gsm7,
    Ucs2,
}

/// <summary>How long a text is as SMS, in the units operators bill and the segments phones reassemble.</summary>
public sealed record SmsMeasure(SmsEncoding Encoding, int Units, int Segments);

/// <summary>
/// GSM 03.38: a text of the default alphabet goes as GSM-7 (160 units in one SMS, 153 per segment when concatenated;
/// the extension characters take two units each); any other character — every Indian script — sends the whole text as
/// UCS-2 (70 in one SMS, 67 per segment), counted in UTF-16 code units.
/// </summary>
public static class SmsLength
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "^{}\\[~]|€\f";

    public static SmsMeasure Measure(string text)
    {
        var units = 0;
        foreach (var c in text)
        {
            if (Basic.Contains(c, StringComparison.Ordinal))
            {
                units += 1;
            }
            else if (Extension.Contains(c, StringComparison.Ordinal))
            {
                units += 2;
            }
            else
            {
                return Segmented(SmsEncoding.Ucs2, text.Length, single: 70, concatenated: 67);
            }
        }
        return Segmented(SmsEncoding.Gsm7, units, single: 160, concatenated: 153);
    }

    private static SmsMeasure Segmented(SmsEncoding encoding, int units, int single, int concatenated) =>
        new(encoding, units, units <= single ? 1 : (units + concatenated - 1) / concatenated);
}
