using QRCoder;
using SkiaSharp;
using PageOp = System.Action<SkiaSharp.SKCanvas, System.Collections.Generic.IReadOnlyDictionary<Telemed.Server.Documents.PdfFace, SkiaSharp.SKTypeface>>;

namespace Telemed.Server.Documents;

internal enum Align
{
    Left,
    Center,
    Right,
}

internal readonly record struct TextStyle(float Size, SKColor Color)
{
    public float LineHeight => Size * 1.4f;

    // Below the top of the line box: room for Devanagari vowel signs above the headline.
    public float Baseline => Size * 1.05f;
}

/// <summary>A table column: its share of the table width.</summary>
internal sealed record PdfColumn(string Header, float Weight, Align Align = Align.Left);

/// <summary>
/// Lays out A4 pages top to bottom at a cursor, breaking pages as content needs. Drawing is recorded and only played into
/// a PDF at the end, once every glyph is known, so each font is embedded as a subset of exactly those glyphs.
/// </summary>
internal sealed class PdfComposer(PdfFonts fonts, float margin = 40)
{
    public const float PageWidth = 595;
    public const float PageHeight = 842;

    private const float CellPadding = 3;
    private static readonly SKColor RuleColor = new(0x99, 0x99, 0x99);
    private static readonly SKColor HeaderFill = new(0xEE, 0xEE, 0xEE);

    private readonly List<List<PageOp>> pages = [];
    private readonly Dictionary<PdfFace, (HashSet<ushort> Glyphs, HashSet<int> Codepoints)> used = [];

    public float Left => margin;

    public float Right => PageWidth - margin;

    public float Width => Right - Left;

    public float Bottom => PageHeight - margin;

    public float Y { get; set; }

    private List<PageOp> Page => pages[^1];

    public void NewPage()
    {
        pages.Add([]);
        Y = margin;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> more fits on this one.</summary>
    public void KeepTogether(float height)
    {
        if (pages.Count == 0 || Y + height > Bottom)
        {
            NewPage();
        }
    }

    public IReadOnlyList<TextLine> Layout(IReadOnlyList<Phrase> text, TextStyle style, float width) =>
        TextLayout.Wrap(fonts, text, style.Size, width);

    /// <summary>Draws laid-out lines with their top at <paramref name="top"/>, without breaking pages; returns their height.</summary>
    public float Draw(IReadOnlyList<TextLine> lines, TextStyle style, float x, float top, float width, Align align = Align.Left)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var dx = align switch
            {
                Align.Right => width - line.Width,
                Align.Center => (width - line.Width) / 2,
                _ => 0,
            };
            DrawLine(line, style, x + dx, top + i * style.LineHeight + style.Baseline);
        }
        return lines.Count * style.LineHeight;
    }

    public float Text(IReadOnlyList<Phrase> text, TextStyle style, float x, float top, float width, Align align = Align.Left) =>
        Draw(Layout(text, style, width), style, x, top, width, align);

    /// <summary>Text across the full width at the cursor, flowing onto new pages line by line.</summary>
    public void Paragraph(IReadOnlyList<Phrase> text, TextStyle style, float spaceAfter = 0, Align align = Align.Left)
    {
        foreach (var line in Layout(text, style, Width))
        {
            KeepTogether(style.LineHeight);
            Y += Draw([line], style, Left, Y, Width, align);
        }
        Y += spaceAfter;
    }

    public void Rule(float thickness = 0.5f, float spaceAround = 6)
    {
        KeepTogether(2 * spaceAround);
        Y += spaceAround;
        Line(Left, Y, Right, Y, thickness, RuleColor);
        Y += spaceAround;
    }

    public void Line(float x0, float y0, float x1, float y1, float thickness, SKColor color) =>
        Page.Add((canvas, _) =>
        {
            using var paint = new SKPaint { Color = color, StrokeWidth = thickness, Style = SKPaintStyle.Stroke, IsAntialias = true };
            canvas.DrawLine(x0, y0, x1, y1, paint);
        });

    public void Fill(SKRect rect, SKColor color) =>
        Page.Add((canvas, _) =>
        {
            using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Fill };
            canvas.DrawRect(rect, paint);
        });

    /// <summary>
    /// Rows of wrapped cells at the cursor. A row that does not fit goes to the next page, under the header drawn again;
    /// a single row taller than a page is not split.
    /// </summary>
    public void Table(IReadOnlyList<PdfColumn> columns, IEnumerable<IReadOnlyList<IReadOnlyList<Phrase>>> rows, TextStyle style)
    {
        var total = columns.Sum(c => c.Weight);
        var widths = columns.Select(c => c.Weight / total * Width).ToArray();
        var header = columns.Select(c => (IReadOnlyList<Phrase>)[new Phrase(c.Header, Bold: true)]).ToList();
        var headerLines = Cells(header, widths, style);
        var headerHeight = RowHeight(headerLines, style);
        void Header()
        {
            Fill(new SKRect(Left, Y, Right, Y + headerHeight), HeaderFill);
            DrawRow(headerLines, columns, widths, style);
            Y += headerHeight;
            Line(Left, Y, Right, Y, 0.75f, RuleColor);
        }
        var first = true;
        foreach (var row in rows)
        {
            var lines = Cells(row, widths, style);
            var height = RowHeight(lines, style);
            if (first)
            {
                KeepTogether(headerHeight + height);
                Header();
                first = false;
            }
            else if (Y + height > Bottom)
            {
                NewPage();
                Header();
            }
            DrawRow(lines, columns, widths, style);
            Y += height;
            Line(Left, Y, Right, Y, 0.25f, RuleColor);
        }
    }

    private List<IReadOnlyList<TextLine>> Cells(IReadOnlyList<IReadOnlyList<Phrase>> row, float[] widths, TextStyle style) =>
        [.. row.Select((cell, i) => Layout(cell, style, widths[i] - 2 * CellPadding))];

    private static float RowHeight(List<IReadOnlyList<TextLine>> cells, TextStyle style) =>
        cells.Max(lines => lines.Count) * style.LineHeight + 2 * CellPadding;

    private void DrawRow(List<IReadOnlyList<TextLine>> cells, IReadOnlyList<PdfColumn> columns, float[] widths, TextStyle style)
    {
        var x = Left;
        for (var i = 0; i < cells.Count; i++)
        {
            Draw(cells[i], style, x + CellPadding, Y + CellPadding, widths[i] - 2 * CellPadding, columns[i].Align);
            x += widths[i];
        }
    }

    /// <summary>A QR code as filled squares, quiet zone included, <paramref name="size"/> points wide.</summary>
    public void QrCode(QRCodeData data, float x, float top, float size)
    {
        var matrix = data.ModuleMatrix;
        var module = size / matrix.Count;
        var rects = new List<SKRect>();
        for (var row = 0; row < matrix.Count; row++)
        {
            for (var column = 0; column < matrix.Count; column++)
            {
                if (!matrix[row][column])
                {
                    continue;
                }
                var start = column;
                while (column + 1 < matrix.Count && matrix[row][column + 1])
                {
                    column++;
                }
                rects.Add(new SKRect(x + start * module, top + row * module, x + (column + 1) * module, top + (row + 1) * module));
            }
        }
        Page.Add((canvas, _) =>
        {
            using var builder = new SKPathBuilder();
            foreach (var rect in rects)
            {
                builder.AddRect(rect, SKPathDirection.Clockwise);
            }
            // One path filled once: squares filled one by one get anti-aliased seams between them in viewers.
            using var path = builder.Detach();
            using var paint = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Fill };
            canvas.DrawPath(path, paint);
        });
    }

    /// <summary>The PDF: footers (given page number and count) are added last, then fonts are subset and pages played back.</summary>
    public byte[] ToPdf(string title, DateTimeOffset created, Func<int, int, string>? footer = null, string? keywords = null)
    {
        if (pages.Count == 0)
        {
            NewPage();
        }
        if (footer is not null)
        {
            var style = new TextStyle(7, RuleColor);
            for (var i = 0; i < pages.Count; i++)
            {
                var lines = Layout([new(footer(i + 1, pages.Count))], style, Width);
                var top = PageHeight - margin / 2 - lines.Count * style.LineHeight;
                for (var j = 0; j < lines.Count; j++)
                {
                    DrawLine(lines[j], style, Left, top + j * style.LineHeight + style.Baseline, pages[i]);
                }
            }
        }
        var typefaces = new Dictionary<PdfFace, SKTypeface>();
        try
        {
            foreach (var (face, (glyphs, codepoints)) in used)
            {
                typefaces[face] = Subset(face, glyphs, codepoints);
            }
            var metadata = SKDocumentPdfMetadata.Default with
            {
                Title = title,
                Keywords = keywords,
                Creator = "Telemed",
                Creation = created.UtcDateTime,
                Modified = created.UtcDateTime,
            };
            using var stream = new SKDynamicMemoryWStream();
            using (var document = SKDocument.CreatePdf(stream, metadata))
            {
                foreach (var page in pages)
                {
                    var canvas = document.BeginPage(PageWidth, PageHeight);
                    foreach (var draw in page)
                    {
                        draw(canvas, typefaces);
                    }
                    document.EndPage();
                }
                document.Close();
            }
            using var bytes = stream.DetachAsData();
            return bytes.ToArray();
        }
        finally
        {
            foreach (var (face, typeface) in typefaces)
            {
                if (typeface != face.Typeface)
                {
                    typeface.Dispose();
                }
            }
        }
    }

    private static SKTypeface Subset(PdfFace face, HashSet<ushort> glyphs, HashSet<int> codepoints)
    {
        if (FontSubset.Create(face, glyphs, codepoints) is { } subset)
        {
            using var data = SKData.CreateCopy(subset);
            if (SKTypeface.FromData(data) is { } typeface)
            {
                return typeface;
            }
        }
        // The whole font keeps the document right, only larger.
        return face.Typeface;
    }

    private void DrawLine(TextLine line, TextStyle style, float x, float baseline, List<PageOp>? page = null)
    {
        if (line.Runs.Count == 0)
        {
            return;
        }
        foreach (var run in line.Runs)
        {
            if (!used.TryGetValue(run.Face, out var usage))
            {
                used[run.Face] = usage = ([], []);
            }
            usage.Glyphs.UnionWith(run.Glyphs);
            foreach (var rune in System.Text.Encoding.UTF8.GetString(run.Text).EnumerateRunes())
            {
                usage.Codepoints.Add(rune.Value);
            }
        }
        (page ?? Page).Add((canvas, typefaces) =>
        {
            using var builder = new SKTextBlobBuilder();
            foreach (var run in line.Runs)
            {
                using var font = new SKFont(typefaces[run.Face], style.Size)
                {
                    Subpixel = true,
                    LinearMetrics = true,
                    Hinting = SKFontHinting.None,
                };
                var buffer = builder.AllocatePositionedTextRun(font, run.Glyphs.Length, run.Text.Length, null);
                run.Glyphs.CopyTo(buffer.Glyphs);
                run.Positions.CopyTo(buffer.Positions);
                run.Text.CopyTo(buffer.Text);
                run.Clusters.CopyTo(buffer.Clusters);
            }
            using var blob = builder.Build();
            using var paint = new SKPaint { Color = style.Color, IsAntialias = true };
            canvas.DrawText(blob, x, baseline, paint);
        });
    }
}
