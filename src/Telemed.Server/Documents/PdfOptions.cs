using Microsoft.Extensions.Options;

namespace Telemed.Server.Documents;

public sealed class PdfOptions
{
    public const string Section = "Pdf";

    /// <summary>TrueType font for Latin text and everything no script font below covers (Debian: fonts-dejavu-core).</summary>
    public string LatinFont { get; set; } = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    public string LatinBoldFont { get; set; } = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

    /// <summary>Hindi, Marathi and other Devanagari text (Debian: fonts-lohit-deva).</summary>
    public string DevanagariFont { get; set; } = "/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf";

    /// <summary>Bengali and Assamese (Debian: fonts-lohit-beng-bengali).</summary>
    public string BengaliFont { get; set; } = "/usr/share/fonts/truetype/lohit-bengali/Lohit-Bengali.ttf";

    /// <summary>Punjabi in Gurmukhi (Debian: fonts-lohit-guru).</summary>
    public string GurmukhiFont { get; set; } = "/usr/share/fonts/truetype/lohit-punjabi/Lohit-Gurmukhi.ttf";

    /// <summary>Debian: fonts-lohit-gujr.</summary>
    public string GujaratiFont { get; set; } = "/usr/share/fonts/truetype/lohit-gujarati/Lohit-Gujarati.ttf";

    /// <summary>Debian: fonts-lohit-orya.</summary>
    public string OdiaFont { get; set; } = "/usr/share/fonts/truetype/lohit-oriya/Lohit-Odia.ttf";

    /// <summary>Debian: fonts-lohit-taml.</summary>
    public string TamilFont { get; set; } = "/usr/share/fonts/truetype/lohit-tamil/Lohit-Tamil.ttf";

    /// <summary>Debian: fonts-lohit-telu.</summary>
    public string TeluguFont { get; set; } = "/usr/share/fonts/truetype/lohit-telugu/Lohit-Telugu.ttf";

    /// <summary>Debian: fonts-lohit-knda.</summary>
    public string KannadaFont { get; set; } = "/usr/share/fonts/truetype/lohit-kannada/Lohit-Kannada.ttf";

    /// <summary>Debian: fonts-lohit-mlym.</summary>
    public string MalayalamFont { get; set; } = "/usr/share/fonts/truetype/lohit-malayalam/Lohit-Malayalam.ttf";

    /// <summary>The fonts of India's scripts, each with the setting that names it.</summary>
    internal IEnumerable<(string Setting, string Path)> ScriptFonts =>
    [
        (nameof(DevanagariFont), DevanagariFont), (nameof(BengaliFont), BengaliFont), (nameof(GurmukhiFont), GurmukhiFont),
        (nameof(GujaratiFont), GujaratiFont), (nameof(OdiaFont), OdiaFont), (nameof(TamilFont), TamilFont), (nameof(TeluguFont), TeluguFont),
        (nameof(KannadaFont), KannadaFont), (nameof(MalayalamFont), MalayalamFont),
    ];

    internal IEnumerable<(string Setting, string Path)> Fonts => [(nameof(LatinFont), LatinFont), (nameof(LatinBoldFont), LatinBoldFont), .. ScriptFonts];
}

internal sealed class PdfOptionsValidator : IValidateOptions<PdfOptions>
{
    public ValidateOptionsResult Validate(string? name, PdfOptions options)
    {
        var missing = options.Fonts
            .Where(font => string.IsNullOrWhiteSpace(font.Path) || !File.Exists(font.Path))
            .Select(font => $"{PdfOptions.Section}:{font.Setting}: no font file at '{font.Path}'.")
            .ToList();
        return missing.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(missing);
    }
}
