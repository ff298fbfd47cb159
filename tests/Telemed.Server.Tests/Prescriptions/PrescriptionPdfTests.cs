using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkiaSharp;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Documents;
using Telemed.Server.Prescriptions;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Prescriptions;

public sealed partial class PrescriptionPdfTests : IDisposable
{
    private const string Url = "https://telemed.example.in/verify/3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private const string HindiName = "सुनीता देवी";
    private const string HindiInstruction = "दिन में दो बार खाने के बाद";

    private readonly PdfFonts fonts = new(Options.Create(new PdfOptions()));
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("telemed-pdf-");

    public void Dispose()
    {
        fonts.Dispose();
        directory.Delete(recursive: true);
    }

    internal static PrescriptionContent Sample(int medicines = 3)
    {
        PrescribedMedicine[] lines =
        [
            new("paracetamol", "500 mg", "tablet", "1 tablet", "twice a day", "oral", 5, 10, HindiInstruction, TpgGroup.O, MedicinePurpose.Start),
            new("cetirizine", "10 mg", "tablet", "1 tablet", "once at night", "oral", 5, 5, "May cause drowsiness", TpgGroup.O, MedicinePurpose.Start),
            new("amoxicillin", "500 mg", "capsule", "1 capsule", "three times a day", "oral", 7, 21, "Complete the course", TpgGroup.A, MedicinePurpose.Start),
        ];
        var list = medicines <= lines.Length
            ? lines[..medicines]
            : [.. Enumerable.Range(1, medicines).Select(i => lines[i % 3] with { Generic = $"medicine {i:00}" })];
        return new PrescriptionContent(
            Guid.Parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
            Guid.Parse("9b2d6c1e-2f0a-4c8e-8a51-6d1f0e7c4b22"),
            new DateTimeOffset(2025, 11, 25, 8, 35, 0, TimeSpan.Zero),
            new DateOnly(2025, 12, 25),
            ConsultKind.FirstConsult,
            ConsultationMedium.Video,
            new FacilityDetails(Guid.Parse("5d0c7a61-0b7e-4f0e-9c43-1f4a2b6d8e90"), "Sanjeevani Telehealth Clinic, Pune", "IN2710000123", "Pune, Maharashtra"),
            new PrescriberDetails(Guid.Parse("0f6e2d4c-8a1b-4c3d-9e5f-7a8b9c0d1e2f"), "Dr. Asha Verma", "MBBS, MD (General Medicine)", "MMC-2009-04512", "Maharashtra Medical Council",
                "71-1234-5678-9012", "asha.verma@sanjeevani.example"),
            new PatientDetails(Guid.Parse("a1b2c3d4-e5f6-4711-8899-aabbccddeeff"), HindiName, 34, Sex.Female, "91-5012-3456-7890", "sunita.devi@abdm"),
            "Sore throat and fever for 3 days",
            new Diagnosis("Acute pharyngitis", new CodedConcept(ClinicalRules.Icd10, "J02.9")),
            list,
            "Complete blood count",
            "Warm saline gargles; plenty of fluids",
            new DateOnly(2025, 12, 2),
            Vitals: new Vitals(128, 82, 96, 38.4m, 97, null).Summary(),
            Examination: "Throat congested, tonsils enlarged; chest clear");
    }

    private async Task<string> Save(byte[] pdf, string name = "prescription.pdf")
    {
        var path = Path.Combine(directory.FullName, name);
        await File.WriteAllBytesAsync(path, pdf, TestContext.Current.CancellationToken);
        return path;
    }

    [Fact]
    public async Task An_assisted_consultation_s_prescription_names_the_health_worker_who_brought_the_patient_and_their_spoke()
    {
        var spoke = new FacilityDetails(Guid.Parse("5d0c7a61-0b7e-4f0e-9c43-1f4a2b6d8e91"), "HWC Rampur Khurd", "IN2710000456");
        var assisted = Sample() with { AssistedBy = new PrescriptionHealthWorker(Guid.Parse("0f6e2d4c-8a1b-4c3d-9e5f-7a8b9c0d1e30"), "Asha Kumari", Telemed.Domain.Spokes.Cadre.Anm, spoke) };

        var words = Whitespace().Replace(await Tool.Text("pdftotext", "-layout", await Save(new PrescriptionPdf(fonts).Render(assisted, Url)), "-"), " ");
        var unassisted = Whitespace().Replace(await Tool.Text("pdftotext", "-layout", await Save(new PrescriptionPdf(fonts).Render(Sample(), Url), "plain.pdf"), "-"), " ");

        words.ShouldContain("Brought by: Asha Kumari, ANM at HWC Rampur Khurd (HFR ID: IN2710000456)");
        words.ShouldContain("HPR ID: 71-1234-5678-9012");
        unassisted.ShouldNotContain("Brought by");
    }

    [Fact]
    public async Task A_minors_prescription_names_the_adult_who_came_with_them()
    {
        var child = Sample() with
        {
            Patient = Sample().Patient with { AgeYears = 9 },
            AccompaniedBy = new Telemed.Domain.Queue.AccompanyingAdult("Sunita Devi", Relation.LegalGuardian, null),
        };

        var words = Whitespace().Replace(await Tool.Text("pdftotext", "-layout", await Save(new PrescriptionPdf(fonts).Render(child, Url), "minor.pdf"), "-"), " ");

        words.ShouldContain("Accompanied by: Sunita Devi (legal guardian)");
    }

    [Fact]
    public async Task Text_extraction_gives_back_every_detail_with_hindi_in_logical_order()
    {
        var path = await Save(new PrescriptionPdf(fonts).Render(Sample(), Url, "kid-2025-a"));

        var text = await Tool.Text("pdftotext", "-layout", path, "-");

        // Columns and wrapped lines put runs of spaces and line breaks inside longer phrases.
        var words = Whitespace().Replace(text, " ");

        foreach (var expected in new[]
        {
            "Sanjeevani Telehealth Clinic, Pune", "HFR ID: IN2710000123", "Dr. Asha Verma", "MBBS, MD (General Medicine)",
            "Reg. no. MMC-2009-04512, Maharashtra Medical Council", "HPR ID: 71-1234-5678-9012", $"Patient: {HindiName}",
            "34 years / Female", "ABHA number: 91-5012-3456-7890", "paracetamol 500 mg",
            "cetirizine", "amoxicillin", "Acute pharyngitis (ICD-10 J02.9)", HindiInstruction, "First consult · video",
            "25 Nov 2025, 14:05 (IST)", "Valid until: 25 Dec 2025", "Follow-up: 2 Dec 2025", "Complete blood count", Url,
            "Digitally signed by Dr. Asha Verma, Reg. no. MMC-2009-04512, on 25 Nov 2025, 14:05 (IST)", "kid-2025-a",
        })
        {
            words.ShouldContain(expected, Case.Sensitive, $"pdftotext lost '{expected}':\n{text}");
        }
        // Logical order, not the visual order of the glyphs (which puts the vowel sign of "दि" before its consonant), and unbroken.
        text.ShouldContain(HindiInstruction);
        text.ShouldContain(HindiName);
    }

    public static TheoryData<string> LabelledLanguages => [.. PrescriptionLabels.Languages];

    [Theory]
    [MemberData(nameof(LabelledLanguages))]
    public async Task Labels_in_the_patient_s_language_stand_beside_the_english_ones_and_come_back_from_text_extraction(string language)
    {
        var path = await Save(new PrescriptionPdf(fonts).Render(Sample(), Url, language: language), $"prescription-{language}.pdf");

        var text = await Tool.Text("pdftotext", "-layout", path, "-");

        // pdftotext guesses word breaks from glyph gaps and puts a space inside some conjuncts (Telugu's "ర్ధా"), so
        // beyond the patient's line the characters are compared in order without the spaces.
        var words = Whitespace().Replace(text, " ");
        var characters = Whitespace().Replace(text, "");
        string Label(PrescriptionLabel label) => PrescriptionLabels.In(language, label)!;
        words.ShouldContain($"Patient / {Label(PrescriptionLabel.Patient)}: {HindiName}", Case.Sensitive, text);
        foreach (var expected in new[]
        {
            $"Chief complaints / {Label(PrescriptionLabel.ChiefComplaints)}: Sore throat and fever for 3 days",
            $"Provisional diagnosis / {Label(PrescriptionLabel.ProvisionalDiagnosis)}: Acute pharyngitis",
            $"Vitals / {Label(PrescriptionLabel.Vitals)}: BP 128/82 mmHg · pulse 96/min · temperature 38.4 °C · SpO2 97%",
            $"Examination findings / {Label(PrescriptionLabel.Examination)}: Throat congested, tonsils enlarged; chest clear",
            "E-mail: asha.verma@sanjeevani.example",
            "Pune, Maharashtra · HFR ID: IN2710000123",
            $"Advice / {Label(PrescriptionLabel.Advice)}: Warm saline gargles",
            $"Follow-up / {Label(PrescriptionLabel.FollowUp)}: 2 Dec 2025",
            "paracetamol 500 mg",
        })
        {
            characters.ShouldContain(Whitespace().Replace(expected, ""), Case.Sensitive, $"pdftotext lost '{expected}' in {language}:\n{text}");
        }
        // Each script's font is embedded (a missing one would print empty boxes that extract as nothing).
        var embedded = await Tool.Text("pdffonts", path);
        embedded.ShouldContain("Lohit", Case.Sensitive, embedded);
    }

    [Fact]
    public async Task An_english_reader_s_prescription_prints_the_english_labels_alone()
    {
        var words = Whitespace().Replace(await Tool.Text("pdftotext", "-layout", await Save(new PrescriptionPdf(fonts).Render(Sample(), Url, language: "en"), "en.pdf"), "-"), " ");

        words.ShouldContain("Chief complaints: Sore throat");
        words.ShouldNotContain("Chief complaints /");
    }

    [Fact]
    public void Every_language_a_patient_s_messages_are_written_in_has_every_prescription_label()
    {
        foreach (var language in MessageCatalogue.Languages.Where(l => l != MessageCatalogue.English))
        {
            foreach (var label in Enum.GetValues<PrescriptionLabel>())
            {
                PrescriptionLabels.In(language, label).ShouldNotBeNullOrWhiteSpace($"{language} {label}");
            }
        }
    }

    [Fact]
    public async Task The_page_is_printed_and_its_qr_code_scans_to_the_verification_url()
    {
        var path = await Save(new PrescriptionPdf(fonts).Render(Sample(), Url));
        var png = Path.Combine(directory.FullName, "page");

        await Tool.Text("pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", path, png);

        using (var bitmap = SKBitmap.Decode(png + ".png"))
        {
            var dark = 0;
            for (var y = 0; y < bitmap.Height; y++)
            {
                for (var x = 0; x < bitmap.Width; x++)
                {
                    var pixel = bitmap.GetPixel(x, y);
                    dark += pixel.Red + pixel.Green + pixel.Blue < 3 * 128 ? 1 : 0;
                }
            }
            ((double)dark / (bitmap.Width * bitmap.Height)).ShouldBeInRange(0.015, 0.25);
        }
        (await Tool.Text("zbarimg", "--raw", "-q", png + ".png")).Trim().ShouldBe(Url);
    }

    /// <summary>The printed page, at a printer's 300 dpi, read back the way a pharmacy's scanner reads it.</summary>
    private async Task<string> ScannedAt300Dpi(byte[] pdf, string name)
    {
        var path = await Save(pdf, $"{name}.pdf");
        var png = Path.Combine(directory.FullName, name);
        await Tool.Text("pdftoppm", "-png", "-r", "300", "-f", "1", "-l", "1", "-singlefile", path, png);
        return (await Tool.Text("zbarimg", "--raw", "-q", png + ".png")).Trim();
    }

    [Fact]
    public async Task The_qr_code_printed_at_300_dpi_carries_the_signed_prescription_which_verifies_offline_and_not_once_altered()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyId = Jwk.Thumbprint(key);
        ECDsa? Published(string kid) => kid == keyId ? key : null;
        var jws = PrescriptionSignature.Sign(Sample(), keyId, key);

        var pdf = new PrescriptionPdf(fonts).Render(Sample(), Url, keyId, jws);
        var scanned = await ScannedAt300Dpi(pdf, "signed");
        // The README's sample, refreshed only when asked, as the page screenshots are.
        if (Environment.GetEnvironmentVariable("TELEMED_SCREENSHOTS") == "1")
        {
            await File.WriteAllBytesAsync(Path.Combine(ServerProcess.RepositoryRoot(), "docs", "sample-prescription.pdf"), pdf, TestContext.Current.CancellationToken);
        }

        scanned.ShouldStartWith(Url + PrescriptionQr.Marker);
        PrescriptionQr.Decode(scanned).ShouldBe(jws);
        var verified = PrescriptionSignature.Verify(PrescriptionQr.Decode(scanned), Published);
        verified.IsSuccess.ShouldBeTrue(verified.ToString());
        PrescriptionSignature.Signs(PrescriptionQr.Decode(scanned)!, Sample(), Published).ShouldBeTrue();
        var digit = scanned.Length - 200;
        var altered = scanned[..digit] + (scanned[digit] == '1' ? '2' : '1') + scanned[(digit + 1)..];
        PrescriptionSignature.Verify(PrescriptionQr.Decode(altered), Published).IsSuccess.ShouldBeFalse();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = PrescriptionQr.Encode(Url, PrescriptionSignature.Sign(Sample(), keyId, other));
        PrescriptionSignature.Verify(PrescriptionQr.Decode(forged), Published).Error.ShouldBe(SignatureProblem.BadSignature);
    }

    [Fact]
    public async Task The_offline_code_keeps_within_its_budget_and_a_prescription_too_long_for_it_prints_the_link_alone_and_says_so()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyId = Jwk.Thumbprint(key);
        var usual = PrescriptionPdf.OfflineCode(Url, PrescriptionSignature.Sign(Sample(), keyId, key));
        usual.ShouldNotBeNull();
        usual.Version.ShouldBeLessThanOrEqualTo(PrescriptionPdf.MaxOfflineQrVersion);
        // Thirty lines that differ as a real list's do (repeated lines compress to almost nothing).
        var long30 = Sample(medicines: 30) with
        {
            Medicines = [.. Sample(medicines: 30).Medicines.Select((m, i) => m with { Instructions = $"{m.Instructions}; note {Convert.ToHexString(SHA256.HashData([(byte)i]))[..16]}" })],
        };
        var jws = PrescriptionSignature.Sign(long30, keyId, key);
        PrescriptionPdf.OfflineCode(Url, jws).ShouldBeNull();

        var pdf = new PrescriptionPdf(fonts).Render(long30, Url, keyId, jws);

        var path = await Save(pdf, "long.pdf");
        var count = int.Parse(PageCount().Match(await Tool.Text("pdfinfo", path)).Groups[1].Value, CultureInfo.InvariantCulture);
        var png = Path.Combine(directory.FullName, "long");
        await Tool.Text("pdftoppm", "-png", "-r", "300", "-f", $"{count}", "-l", $"{count}", "-singlefile", path, png);
        (await Tool.Text("zbarimg", "--raw", "-q", png + ".png")).Trim().ShouldBe(Url);
        Whitespace().Replace(await Tool.Text("pdftotext", "-layout", path, "-"), " ").ShouldContain("too long for its QR code to carry it");
        EmbeddedSignature.Find(pdf).ShouldBe(jws);
    }

    [Fact]
    public async Task Fonts_are_embedded_as_subsets_and_the_file_is_small()
    {
        var pdf = new PrescriptionPdf(fonts).Render(Sample(), Url);
        var path = await Save(pdf);

        pdf.Length.ShouldBeLessThan(150 * 1024);
        var embedded = (await Tool.Text("pdffonts", path)).Split('\n').Skip(2).Where(l => l.Length > 0).ToList();
        embedded.Count.ShouldBe(3);
        embedded.ShouldAllBe(font => FontRow().IsMatch(font));
    }

    [Fact]
    public async Task A_long_medicine_table_flows_onto_the_next_page_under_its_header()
    {
        var path = await Save(new PrescriptionPdf(fonts).Render(Sample(medicines: 40), Url));

        var count = int.Parse(PageCount().Match(await Tool.Text("pdfinfo", path)).Groups[1].Value, CultureInfo.InvariantCulture);
        var pages = (await Tool.Text("pdftotext", "-layout", path, "-")).Split('\f')[..count];

        count.ShouldBeGreaterThan(1);
        var header = MedicineHeader();
        pages[0].ShouldContain(" 1 medicine 01 ");
        header.Count(pages[0]).ShouldBe(1);
        string.Concat(pages[1..]).ShouldContain(" 40 medicine 40 ");
        header.Count(pages[1]).ShouldBe(1, "the header is repeated above the rows that flow onto page 2");
        pages[^1].ShouldContain(Url);
        pages[^1].ShouldContain($"page {count} of {count}");
    }

    [Fact]
    public void Rendering_is_deterministic_and_safe_in_parallel()
    {
        var renderer = new PrescriptionPdf(fonts);
        var expected = renderer.Render(Sample(), Url);

        var parallel = Enumerable.Range(0, 16).AsParallel().WithDegreeOfParallelism(4).Select(_ => renderer.Render(Sample(), Url)).ToList();

        parallel.Count(pdf => !pdf.AsSpan().SequenceEqual(expected)).ShouldBe(0);
    }

    [Fact]
    public void The_registered_fonts_are_the_defaults_and_render_a_prescription()
    {
        using var services = new ServiceCollection().AddTelemedDocuments(Configuration([])).BuildServiceProvider();

        services.GetRequiredService<IStartupValidator>().Validate();
        new PrescriptionPdf(services.GetRequiredService<PdfFonts>()).Render(Sample(), Url).Length.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void A_missing_font_file_is_named_at_start_up()
    {
        using var services = new ServiceCollection()
            .AddTelemedDocuments(Configuration(new() { ["Pdf:DevanagariFont"] = "/nonexistent/Lohit.ttf" }))
            .BuildServiceProvider();

        var failure = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        failure.Message.ShouldContain("Pdf:DevanagariFont: no font file at '/nonexistent/Lohit.ttf'");
        Should.Throw<FileNotFoundException>(() => new PdfFonts(Options.Create(new PdfOptions { DevanagariFont = "/nonexistent/Lohit.ttf" })).Dispose())
            .Message.ShouldContain("Pdf:DevanagariFont");
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^Pages:\s+(\d+)$", RegexOptions.Multiline)]
    private static partial Regex PageCount();

    [GeneratedRegex(@"# Medicine +Dose +Frequency +Route +Days +Qty +Instructions +List")]
    private static partial Regex MedicineHeader();

    // name, CID TrueType, Identity-H, embedded yes, subset yes, ToUnicode yes
    [GeneratedRegex(@"^[A-Z]{6}\+\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s")]
    private static partial Regex FontRow();
}
