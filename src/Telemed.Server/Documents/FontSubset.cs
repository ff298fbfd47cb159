using System.Runtime.InteropServices;

namespace Telemed.Server.Documents;

/// <summary>
/// Cuts a font down to the glyphs a document uses. SkiaSharp's native build has no PDF font subsetting
/// (mono/SkiaSharp#2180), so Skia would embed DejaVu Sans whole (760 KB) in every prescription. HarfBuzzSharp wraps no
/// subsetting API, but its native library ships hb-subset, called here directly.
/// </summary>
internal static class FontSubset
{
    private const string HarfBuzz = "libHarfBuzzSharp";

    // hb_subset_flags_t: glyph ids stay as shaped, hinting programs are dropped (PDF viewers do not need them).
    private const uint NoHinting = 1 << 0;
    private const uint RetainGids = 1 << 1;
    private const uint NoLayoutClosure = 1 << 9;

    // hb_subset_sets_t
    private const int GlyphIndexSet = 0;
    private const int UnicodeSet = 1;
    private const int DropTableSet = 3;

    // The text is shaped already: layout tables are dead weight in the PDF.
    private static readonly uint[] DroppedTables = [Tag("GSUB"), Tag("GPOS"), Tag("GDEF"), Tag("BASE"), Tag("JSTF"), Tag("kern")];

    /// <summary>The subset font file, or null when HarfBuzz cannot subset this font.</summary>
    public static byte[]? Create(PdfFace face, IEnumerable<ushort> glyphs, IEnumerable<int> codepoints)
    {
        try
        {
            return Subset(face, glyphs, codepoints);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // A HarfBuzzSharp build without hb-subset must not stop prescriptions; the size test catches the regression.
            return null;
        }
    }

    private static byte[]? Subset(PdfFace face, IEnumerable<ushort> glyphs, IEnumerable<int> codepoints)
    {
        var input = hb_subset_input_create_or_fail();
        if (input == IntPtr.Zero)
        {
            return null;
        }
        try
        {
            hb_subset_input_set_flags(input, NoHinting | RetainGids | NoLayoutClosure);
            var glyphSet = hb_subset_input_set(input, GlyphIndexSet);
            hb_set_add(glyphSet, 0);
            foreach (var glyph in glyphs)
            {
                hb_set_add(glyphSet, glyph);
            }
            // The cmap keeps these characters, so Skia's ToUnicode map covers every glyph that stands for one character.
            var unicodeSet = hb_subset_input_set(input, UnicodeSet);
            foreach (var codepoint in codepoints)
            {
                hb_set_add(unicodeSet, (uint)codepoint);
            }
            var dropSet = hb_subset_input_set(input, DropTableSet);
            foreach (var table in DroppedTables)
            {
                hb_set_add(dropSet, table);
            }
            var subset = hb_subset_or_fail(face.Face.Handle, input);
            if (subset == IntPtr.Zero)
            {
                return null;
            }
            var blob = hb_face_reference_blob(subset);
            try
            {
                var data = hb_blob_get_data(blob, out var length);
                if (data == IntPtr.Zero || length == 0)
                {
                    return null;
                }
                var bytes = new byte[length];
                Marshal.Copy(data, bytes, 0, (int)length);
                return bytes;
            }
            finally
            {
                hb_blob_destroy(blob);
                hb_face_destroy(subset);
            }
        }
        finally
        {
            hb_subset_input_destroy(input);
        }
    }

    private static uint Tag(string tag) => (uint)(tag[0] << 24 | tag[1] << 16 | tag[2] << 8 | tag[3]);

    [DllImport(HarfBuzz)]
    private static extern IntPtr hb_subset_input_create_or_fail();

    [DllImport(HarfBuzz)]
    private static extern void hb_subset_input_destroy(IntPtr input);

    [DllImport(HarfBuzz)]
    private static extern void hb_subset_input_set_flags(IntPtr input, uint flags);

    [DllImport(HarfBuzz)]
    private static extern IntPtr hb_subset_input_set(IntPtr input, int setType);

    [DllImport(HarfBuzz)]
    private static extern void hb_set_add(IntPtr set, uint codepoint);

    [DllImport(HarfBuzz)]
    private static extern IntPtr hb_subset_or_fail(IntPtr face, IntPtr input);

    [DllImport(HarfBuzz)]
    private static extern IntPtr hb_face_reference_blob(IntPtr face);

    [DllImport(HarfBuzz)]
    private static extern IntPtr hb_blob_get_data(IntPtr blob, out uint length);

    [DllImport(HarfBuzz)]
    private static extern void hb_blob_destroy(IntPtr blob);

    [DllImport(HarfBuzz)]
    private static extern void hb_face_destroy(IntPtr face);
}
