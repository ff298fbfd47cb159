using System.Text;
using HarfBuzzSharp;
using SkiaSharp;
using Buffer = HarfBuzzSharp.Buffer;

namespace Telemed.Server.Documents;

/// <summary>A piece of text in one weight; a paragraph or table cell is a list of them.</summary>
internal readonly record struct Phrase(string Text, bool Bold = false);

/// <summary>
/// Shaped glyphs in one font, positioned relative to the start of their line, with the UTF-8 text they came from and, per glyph,
/// the offset of its cluster in that text: Skia writes these into the PDF as /ActualText, which is what lets text extraction give
/// Indian scripts back in logical order despite reordered vowel signs and conjunct glyphs.
/// </summary>
internal sealed record GlyphRun(PdfFace Face, ushort[] Glyphs, SKPoint[] Positions, byte[] Text, uint[] Clusters);

internal sealed record TextLine(IReadOnlyList<GlyphRun> Runs, float Width);

/// <summary>Shapes text with HarfBuzz, each Indian script in its own font and everything else in the Latin one, and wraps it into lines.</summary>
internal static class TextLayout
{
    private readonly record struct Item(int Start, int Length, PdfFace Face);

    private readonly record struct Glyph(PdfFace Face, ushort Id, int Cluster, float Advance, float OffsetX, float OffsetY);

    // Spaces and joiners go with the text before them: a joiner shaped apart from its consonants would not join them.
    private static bool IsNeutral(int codepoint) => codepoint is ' ' or 0x00A0 or 0x200C or 0x200D or 0x25CC;

    public static List<TextLine> Wrap(PdfFonts fonts, IReadOnlyList<Phrase> phrases, float size, float width)
    {
        var lines = new List<TextLine>();
        using var buffer = new Buffer();
        foreach (var paragraph in Paragraphs(phrases))
        {
            var (utf8, items) = Itemise(fonts, paragraph);
            var glyphs = Shape(buffer, utf8, items, size);
            foreach (var (start, end) in Break(glyphs, utf8, width))
            {
                lines.Add(Line(glyphs, utf8, start, end));
            }
        }
        return lines;
    }

    private static IEnumerable<List<Phrase>> Paragraphs(IReadOnlyList<Phrase> phrases)
    {
        var current = new List<Phrase>();
        foreach (var phrase in phrases)
        {
            var parts = phrase.Text.ReplaceLineEndings("\n").Replace('\t', ' ').Split('\n');
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    yield return current;
                    current = [];
                }
                if (parts[i].Length > 0)
                {
                    current.Add(phrase with { Text = parts[i] });
                }
            }
        }
        yield return current;
    }

    private static (byte[] Utf8, List<Item> Items) Itemise(PdfFonts fonts, List<Phrase> phrases)
    {
        var utf8 = Encoding.UTF8.GetBytes(string.Concat(phrases.Select(p => p.Text)));
        var items = new List<Item>();
        var offset = 0;
        var pending = 0;
        foreach (var phrase in phrases)
        {
            foreach (var rune in phrase.Text.EnumerateRunes())
            {
                var length = rune.Utf8SequenceLength;
                if (IsNeutral(rune.Value))
                {
                    if (items.Count == 0)
                    {
                        pending += length;
                    }
                    else
                    {
                        items[^1] = items[^1] with { Length = items[^1].Length + length };
                    }
                    offset += length;
                    continue;
                }
                var latin = phrase.Bold ? fonts.LatinBold : fonts.Latin;
                // Indian scripts have no bold here: Skia would print a synthetic bold as a Type 3 font of outlines.
                var face = fonts.ScriptFaceFor(rune.Value, latin) ?? latin;
                if (items.Count > 0 && items[^1].Face == face)
                {
                    items[^1] = items[^1] with { Length = items[^1].Length + length };
                }
                else
                {
                    items.Add(new Item(offset - pending, length + pending, face));
                    pending = 0;
                }
                offset += length;
            }
        }
        if (pending > 0)
        {
            items.Add(new Item(0, pending, fonts.Latin));
        }
        return (utf8, items);
    }

    private static List<Glyph> Shape(Buffer buffer, byte[] utf8, List<Item> items, float size)
    {
        var glyphs = new List<Glyph>();
        foreach (var item in items)
        {
            buffer.ClearContents();
            // The whole paragraph is passed as context, so clusters come back as byte offsets into it.
            buffer.AddUtf8(utf8, item.Start, item.Length);
            buffer.Direction = Direction.LeftToRight;
            buffer.GuessSegmentProperties();
            item.Face.Font.Shape(buffer);
            var scale = size / item.Face.UnitsPerEm;
            var infos = buffer.GetGlyphInfoSpan();
            var positions = buffer.GetGlyphPositionSpan();
            for (var i = 0; i < infos.Length; i++)
            {
                glyphs.Add(new Glyph(item.Face, (ushort)infos[i].Codepoint, (int)infos[i].Cluster,
                    positions[i].XAdvance * scale, positions[i].XOffset * scale, -positions[i].YOffset * scale));
            }
        }
        return glyphs;
    }

    /// <summary>Greedy line breaking at spaces; a word wider than the line is cut between clusters.</summary>
    private static List<(int Start, int End)> Break(List<Glyph> glyphs, byte[] utf8, float width)
    {
        bool IsSpace(int i) => utf8[glyphs[i].Cluster] == (byte)' ';
        var lines = new List<(int, int)>();
        var lineStart = -1;
        var lineEnd = 0;
        var lineWidth = 0f;
        var spaceWidth = 0f;
        var i = 0;
        while (i < glyphs.Count)
        {
            if (IsSpace(i))
            {
                spaceWidth += glyphs[i].Advance;
                i++;
                continue;
            }
            var wordStart = i;
            var wordWidth = 0f;
            for (; i < glyphs.Count && !IsSpace(i); i++)
            {
                wordWidth += glyphs[i].Advance;
            }
            if (lineStart >= 0 && lineWidth + spaceWidth + wordWidth <= width)
            {
                lineEnd = i;
                lineWidth += spaceWidth + wordWidth;
            }
            else
            {
                if (lineStart >= 0)
                {
                    lines.Add((lineStart, lineEnd));
                }
                (lineStart, lineEnd, lineWidth) = (wordStart, i, wordWidth);
                while (lineWidth > width && Cut(glyphs, lineStart, lineEnd, width) is var cut && cut < lineEnd)
                {
                    lines.Add((lineStart, cut));
                    lineStart = cut;
                    lineWidth = glyphs[cut..lineEnd].Sum(g => g.Advance);
                }
            }
            spaceWidth = 0;
        }
        lines.Add(lineStart >= 0 ? (lineStart, lineEnd) : (0, 0));
        return lines;
    }

    /// <summary>Where to cut an over-long word: after the last whole cluster that fits, and after at least one cluster.</summary>
    private static int Cut(List<Glyph> glyphs, int start, int end, float width)
    {
        var x = 0f;
        var cut = start;
        for (var i = start; i < end; i++)
        {
            if (i > start && glyphs[i].Cluster != glyphs[i - 1].Cluster)
            {
                if (x > width && cut > start)
                {
                    return cut;
                }
                cut = i;
            }
            x += glyphs[i].Advance;
        }
        return x > width && cut > start ? cut : end;
    }

    private static TextLine Line(List<Glyph> glyphs, byte[] utf8, int start, int end)
    {
        var runs = new List<GlyphRun>();
        var x = 0f;
        var runStart = start;
        while (runStart < end)
        {
            var runEnd = runStart + 1;
            while (runEnd < end && glyphs[runEnd].Face == glyphs[runStart].Face)
            {
                runEnd++;
            }
            var textStart = glyphs[runStart].Cluster;
            var textEnd = runEnd < glyphs.Count ? glyphs[runEnd].Cluster : utf8.Length;
            var count = runEnd - runStart;
            var ids = new ushort[count];
            var positions = new SKPoint[count];
            var clusters = new uint[count];
            for (var i = 0; i < count; i++)
            {
                var glyph = glyphs[runStart + i];
                ids[i] = glyph.Id;
                positions[i] = new SKPoint(x + glyph.OffsetX, glyph.OffsetY);
                clusters[i] = (uint)(glyph.Cluster - textStart);
                x += glyph.Advance;
            }
            runs.Add(new GlyphRun(glyphs[runStart].Face, ids, positions, utf8[textStart..textEnd], clusters));
            runStart = runEnd;
        }
        return new TextLine(runs, x);
    }
}
