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
        Devanagari = PdfFace.Load(settings.DevanagariFont, nameof(PdfOptions.DevanagariFont));
    }

    internal PdfFace Latin { get; }

    internal PdfFace LatinBold { get; }

    internal PdfFace Devanagari { get; }

    public void Dispose()
    {
        Latin.Dispose();
        LatinBold.Dispose();
        Devanagari.Dispose();
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
