using HarfBuzzSharp;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Telemed.Server.Documents;

/// <summary>
/// The fonts documents are printed in, each loaded once. Safe to share between threads: shaping uses a buffer per call
/// (HarfBuzz fonts and Skia typefaces are read-only once built).
/// </summary>
public sealed class PdfFonts : IDisposable
{
    public PdfFonts(IOptions<PdfOptions> options)
    {
        var settings = options.Value;
        Latin = PdfFace.Load(settings.LatinFont, nameof(PdfOptions.LatinFont));
        LatinBold = PdfFace.Load(settings.LatinBoldFont, nameof(PdfOptions.LatinBoldFont));
        Scripts = [.. settings.ScriptFonts.Select(font => PdfFace.Load(font.Path, font.Setting))];
    }

    internal PdfFace Latin { get; }

    internal PdfFace LatinBold { get; }

    /// <summary>One font per Indian script (Devanagari, Bengali, Gurmukhi, Gujarati, Odia, Tamil, Telugu, Kannada, Malayalam).</summary>
    internal IReadOnlyList<PdfFace> Scripts { get; }

    /// <summary>
    /// The script font a character is printed in: always for an Indian script (the Latin font's few Devanagari glyphs
    /// would not shape with their neighbours), otherwise only for what the Latin font lacks; null for the Latin font.
    /// </summary>
    internal PdfFace? ScriptFaceFor(int codepoint, PdfFace latin) =>
        IsIndic(codepoint) || !latin.Covers(codepoint) ? Scripts.FirstOrDefault(face => face.Covers(codepoint)) : null;

    /// <summary>The Unicode blocks from Devanagari to Malayalam, and the Vedic signs and Devanagari extensions.</summary>
    private static bool IsIndic(int codepoint) =>
        codepoint is (>= 0x0900 and <= 0x0D7F) or (>= 0xA8E0 and <= 0xA8FF) or (>= 0x1CD0 and <= 0x1CFF);

    public void Dispose()
    {
        Latin.Dispose();
        LatinBold.Dispose();
        foreach (var face in Scripts)
        {
            face.Dispose();
        }
    }
}

internal sealed class PdfFace : IDisposable
{
    private PdfFace(string path, SKTypeface typeface, Blob blob, Face face, HarfBuzzSharp.Font font)
    {
        Path = path;
        Typeface = typeface;
        Blob = blob;
        Face = face;
        Font = font;
        UnitsPerEm = face.UnitsPerEm;
    }

    public string Path { get; }

    public SKTypeface Typeface { get; }

    public Blob Blob { get; }

    public Face Face { get; }

    /// <summary>Scaled to font units, so positions keep full precision until multiplied by size / <see cref="UnitsPerEm"/>.</summary>
    public HarfBuzzSharp.Font Font { get; }

    public int UnitsPerEm { get; }

    public static PdfFace Load(string path, string setting)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{PdfOptions.Section}:{setting}: no font file at '{path}'.", path);
        }
        var typeface = SKTypeface.FromFile(path)
            ?? throw new InvalidOperationException($"{PdfOptions.Section}:{setting}: '{path}' is not a font Skia can read.");
        var blob = Blob.FromFile(path);
        var face = new Face(blob, 0);
        var font = new HarfBuzzSharp.Font(face);
        font.SetFunctionsOpenType();
        font.SetScale(face.UnitsPerEm, face.UnitsPerEm);
        return new PdfFace(path, typeface, blob, face, font);
    }

    public bool Covers(int codepoint) => Font.TryGetNominalGlyph(codepoint, out _);

    public void Dispose()
    {
        Font.Dispose();
        Face.Dispose();
        Blob.Dispose();
        Typeface.Dispose();
    }
}
