using Microsoft.Extensions.Options;

namespace Telemed.Server.Documents;

public sealed class PdfOptions
{
    public const string Section = "Pdf";

    /// <summary>TrueType font for everything that is not Devanagari (Debian: fonts-dejavu-core).</summary>
    public string LatinFont { get; set; } = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    public string LatinBoldFont { get; set; } = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

    /// <summary>TrueType font for Hindi, Marathi and other Devanagari text (Debian: fonts-lohit-deva).</summary>
    public string DevanagariFont { get; set; } = "/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf";

    internal IEnumerable<(string Setting, string Path)> Fonts =>
        [(nameof(LatinFont), LatinFont), (nameof(LatinBoldFont), LatinBoldFont), (nameof(DevanagariFont), DevanagariFont)];
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
