using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Telemed.Domain.Consultations;

namespace Telemed.Domain.Analytics;

/// <summary>Syndrome groups for IDSP-style syndromic surveillance (one group per diagnosis).</summary>
public enum Syndrome
{
    /// <summary>None of the groups below, or nothing recognisable.</summary>
    Other = 0,

    /// <summary>Fever without a more specific group (ICD-10 R50.x).</summary>
    Fever,

    /// <summary>Acute respiratory infection: J00–J22, and COVID-19 (U07.1).</summary>
    AcuteRespiratoryInfection,

    /// <summary>Acute diarrhoeal disease: A00–A09 except typhoid (A01), and K52.9.</summary>
    AcuteDiarrhoealDisease,

    /// <summary>Dengue-like illness: dengue (A90, A91; A97 in ICD-10 2019) and chikungunya (A92.0).</summary>
    DengueLikeIllness,

    /// <summary>Malaria: B50–B54.</summary>
    Malaria,

    /// <summary>Typhoid and paratyphoid (enteric) fever: A01.0–A01.4.</summary>
    EntericFever,

    /// <summary>Jaundice or acute viral hepatitis: B15–B17, R17.</summary>
    AcuteHepatitis,

    /// <summary>Acute encephalitis syndrome: viral encephalitis A83–A86, encephalitis G04.</summary>
    AcuteEncephalitisSyndrome,
}

/// <summary>What the group was read from, most to least trustworthy.</summary>
public enum SyndromeBasis
{
    /// <summary>The diagnosis carried an ICD-10 code, which alone decided the group (even when it is Other).</summary>
    Icd10Code,

    /// <summary>The diagnosis carried one of the few SNOMED CT concepts mapped here.</summary>
    SnomedCode,

    /// <summary>
    /// Keywords in the free text (English, Hindi, Hinglish). Lower confidence: doctors' wording varies, keywords miss
    /// spellings and can be fooled by context the simple negation handling does not see. Report these separately
    /// or weight them lower.
    /// </summary>
    Text,
}

public sealed record SyndromeClassification(Syndrome Syndrome, SyndromeBasis Basis);

/// <summary>
/// Sorts a provisional diagnosis into one syndrome group. An ICD-10 code decides on its own; a SNOMED CT code decides
/// when it is one of the mapped concepts; otherwise conservative keyword matching on the text decides, and anything
/// unclear is <see cref="Syndrome.Other"/>.
/// </summary>
public static partial class Syndromes
{
    public static Syndrome Classify(Diagnosis diagnosis) => Classification(diagnosis).Syndrome;

    public static SyndromeClassification Classification(Diagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        if (diagnosis.Code is { } coded)
        {
            if (string.Equals(coded.System, ClinicalRules.Icd10, StringComparison.OrdinalIgnoreCase) && FromIcd10(coded.Code) is { } byIcd)
            {
                return new SyndromeClassification(byIcd, SyndromeBasis.Icd10Code);
            }
            if (string.Equals(coded.System, ClinicalRules.Snomed, StringComparison.OrdinalIgnoreCase)
                && SnomedConcepts.TryGetValue(coded.Code.Trim(), out var bySnomed))
            {
                return new SyndromeClassification(bySnomed, SyndromeBasis.SnomedCode);
            }
        }
        return new SyndromeClassification(FromText(diagnosis.Text), SyndromeBasis.Text);
    }

    /// <summary>The group of an ICD-10 (WHO or -CM) code such as "J06.9" or "J069"; null when it does not look like a code.</summary>
    public static Syndrome? FromIcd10(string? code)
    {
        var value = code?.Trim().Replace(".", "", StringComparison.Ordinal).ToUpperInvariant() ?? "";
        if (value.Length < 3 || !char.IsAsciiLetterUpper(value[0]) || !char.IsAsciiDigit(value[1]) || !char.IsAsciiDigit(value[2])
            || !value.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }
        var chapter = value[0];
        var category = ((value[1] - '0') * 10) + (value[2] - '0');
        var sub = value[3..];
        return chapter switch
        {
            'R' when category == 50 => Syndrome.Fever,
            'J' when category <= 22 => Syndrome.AcuteRespiratoryInfection,
            'U' when category == 7 && sub.StartsWith('1') => Syndrome.AcuteRespiratoryInfection,
            // A01 is typhoid and paratyphoid (A01.0–A01.4), carved out of the intestinal infections A00–A09.
            'A' when category == 1 => Syndrome.EntericFever,
            'A' when category <= 9 => Syndrome.AcuteDiarrhoealDisease,
            'K' when category == 52 && sub.StartsWith('9') => Syndrome.AcuteDiarrhoealDisease,
            // A97 is dengue in the WHO ICD-10 2019 update, which replaced A90/A91.
            'A' when category is 90 or 91 or 97 => Syndrome.DengueLikeIllness,
            'A' when category == 92 && sub.StartsWith('0') => Syndrome.DengueLikeIllness,
            'B' when category is >= 50 and <= 54 => Syndrome.Malaria,
            'B' when category is >= 15 and <= 17 => Syndrome.AcuteHepatitis,
            'R' when category == 17 => Syndrome.AcuteHepatitis,
            'A' when category is >= 83 and <= 86 => Syndrome.AcuteEncephalitisSyndrome,
            'G' when category == 4 => Syndrome.AcuteEncephalitisSyndrome,
            _ => Syndrome.Other,
        };
    }

    /// <summary>
    /// The SNOMED CT concepts mapped here, exactly (no subsumption: a child concept such as a specific pneumonia is not
    /// recognised and falls back to the text).
    /// </summary>
    public static IReadOnlyDictionary<string, Syndrome> SnomedConcepts { get; } = new Dictionary<string, Syndrome>(StringComparer.Ordinal)
    {
        ["386661006"] = Syndrome.Fever, // Fever
        ["54150009"] = Syndrome.AcuteRespiratoryInfection, // Upper respiratory infection
        ["233604007"] = Syndrome.AcuteRespiratoryInfection, // Pneumonia
        ["6142004"] = Syndrome.AcuteRespiratoryInfection, // Influenza
        ["840539006"] = Syndrome.AcuteRespiratoryInfection, // COVID-19
        ["62315008"] = Syndrome.AcuteDiarrhoealDisease, // Diarrhoea
        ["25374005"] = Syndrome.AcuteDiarrhoealDisease, // Gastroenteritis
        ["63650001"] = Syndrome.AcuteDiarrhoealDisease, // Cholera
        ["38362002"] = Syndrome.DengueLikeIllness, // Dengue
        ["61462000"] = Syndrome.Malaria, // Malaria
        ["4834000"] = Syndrome.EntericFever, // Typhoid fever
        ["18165001"] = Syndrome.AcuteHepatitis, // Jaundice
        ["45170000"] = Syndrome.AcuteEncephalitisSyndrome, // Encephalitis
        ["52947006"] = Syndrome.AcuteEncephalitisSyndrome, // Japanese encephalitis virus disease
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Keyword matching on free text, lower confidence than a code. Phrases are matched as whole words within one
    /// clause (clauses end at , ; . : ! ? brackets, new lines and the danda); a phrase is ignored when, in its clause,
    /// a negating or excluding word stands up to three words before it ("no", "without", "h/o", "chronic",
    /// "nahi", "बिना" …) or up to two words after it ("negative", "-ve", "ruled out", "nahi", "नहीं" …). When several
    /// groups match, the most specific wins: encephalitis, dengue-like, malaria, enteric fever, hepatitis, diarrhoea,
    /// respiratory, and plain fever last (so "dengue fever" is dengue and "fever with cough" is respiratory).
    /// Devanagari is compared without nukta and with chandrabindu read as anusvara, so "बुख़ार" matches "बुखार".
    /// </summary>
    public static Syndrome FromText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Syndrome.Other;
        }
        var clauses = ClauseBreak().Split(Normalise(text)).Select(c => Word().Matches(c).Select(m => m.Value).ToArray()).Where(c => c.Length > 0).ToList();
        foreach (var (syndrome, phrases) in Keywords)
        {
            if (clauses.Any(words => phrases.Any(phrase => Mentions(words, phrase))))
            {
                return syndrome;
            }
        }
        return Syndrome.Other;
    }

    private static bool Mentions(string[] words, string[] phrase)
    {
        for (var start = 0; start + phrase.Length <= words.Length; start++)
        {
            var matches = true;
            for (var i = 0; i < phrase.Length && matches; i++)
            {
                matches = words[start + i] == phrase[i];
            }
            if (matches
                && !words.Skip(Math.Max(0, start - 3)).Take(Math.Min(3, start)).Any(CancelsBefore.Contains)
                && !words.Skip(start + phrase.Length).Take(2).Any(CancelsAfter.Contains))
            {
                return true;
            }
        }
        return false;
    }

    private static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormC).ToLower(CultureInfo.InvariantCulture))
        {
            switch (c)
            {
                case '\u093C' or '\u200C' or '\u200D': // nukta, zero-width non-joiner and joiner
                    break;
                case '\u0901': // chandrabindu, written interchangeably with anusvara
                    builder.Append('\u0902');
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
        return builder.ToString();
    }

    private static string[] Words(string phrase) => Word().Matches(Normalise(phrase)).Select(m => m.Value).ToArray();

    private static (Syndrome, string[][]) Group(Syndrome syndrome, params string[] phrases) => (syndrome, phrases.Select(Words).ToArray());

    private static readonly (Syndrome Syndrome, string[][] Phrases)[] Keywords =
    [
        Group(Syndrome.AcuteEncephalitisSyndrome,
            "encephalitis", "meningoencephalitis", "acute encephalitis syndrome", "aes", "brain fever",
            "dimagi bukhar", "दिमागी बुखार", "chamki bukhar", "चमकी बुखार"),
        Group(Syndrome.DengueLikeIllness,
            "dengue", "dhf", "डेंगू", "chikungunya", "chikungunia", "चिकनगुनिया"),
        Group(Syndrome.Malaria,
            "malaria", "maleria", "मलेरिया", "falciparum", "vivax"),
        Group(Syndrome.EntericFever,
            "typhoid", "paratyphoid", "enteric fever", "टाइफाइड", "miyadi bukhar", "मियादी बुखार", "motijhara", "मोतीझरा"),
        Group(Syndrome.AcuteHepatitis,
            "jaundice", "icterus", "acute hepatitis", "viral hepatitis", "hepatitis a", "hepatitis e",
            "piliya", "peeliya", "पीलिया"),
        Group(Syndrome.AcuteDiarrhoealDisease,
            "diarrhoea", "diarrhea", "diarrhoeal", "diarrheal", "loose stool", "loose stools", "loose motion", "loose motions",
            "watery stools", "gastroenteritis", "gastro enteritis", "dysentery", "cholera", "food poisoning",
            "dast", "दस्त", "pechish", "पेचिश", "haiza", "हैजा"),
        Group(Syndrome.AcuteRespiratoryInfection,
            "cough", "common cold", "coryza", "urti", "uri", "lrti", "ari", "ili", "sore throat", "pharyngitis",
            "nasopharyngitis", "tonsillitis", "laryngitis", "tracheitis", "croup", "epiglottitis", "sinusitis", "bronchitis",
            "bronchiolitis", "pneumonia", "influenza", "flu", "covid", "covid 19", "sars cov 2",
            "khansi", "khaansi", "खांसी", "zukam", "jukam", "zukaam", "jukaam", "जुकाम", "nazla", "नजला"),
        Group(Syndrome.Fever,
            "fever", "fevers", "febrile", "pyrexia", "pyrexial", "puo", "bukhar", "bukhaar", "बुखार", "jwar", "ज्वर"),
    ];

    private static readonly HashSet<string> CancelsBefore = new(
        new[]
        {
            "no", "not", "without", "denies", "denied", "nil", "absent", "negative", "excluded", "ruled",
            "h/o", "history", "hx", "past", "previous", "old", "treated", "post", "chronic", "neonatal", "physiological",
            "obstructive", "rheumatic", "hay", "nahi", "nahin", "nhi", "bina", "नहीं", "बिना",
        }.Select(Normalise),
        StringComparer.Ordinal);

    private static readonly HashSet<string> CancelsAfter = new(
        new[] { "negative", "ve", "ruled", "excluded", "unlikely", "nahi", "nahin", "nhi", "नहीं" }.Select(Normalise),
        StringComparer.Ordinal);

    [GeneratedRegex(@"[,;.:!?()\[\]{}|\r\n\u0964\u0965]")]
    private static partial Regex ClauseBreak();

    /// <summary>A word: letters, combining marks (Devanagari vowel signs, virama) and digits; or a slashed abbreviation like h/o.</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{M}\p{Nd}/])\p{L}/\p{L}(?:/\p{L})?(?![\p{L}\p{M}\p{Nd}/])|[\p{L}\p{M}\p{Nd}]+")]
    private static partial Regex Word();
}
