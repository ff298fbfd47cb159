using System.Globalization;
using QRCoder;
using SkiaSharp;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Domain.Prescriptions;
using Telemed.Domain.Spokes;
using Telemed.Server.Documents;

namespace Telemed.Server.Prescriptions;

/// <summary>The printable prescription in the format of the Telemedicine Practice Guidelines 2020: one A4 page, more only for a long medicine list.</summary>
public sealed class PrescriptionPdf(PdfFonts fonts)
{
    // India has kept +05:30 without daylight saving since 1945, so no time zone database is needed.

    private static readonly SKColor Ink = new(0x1A, 0x1A, 0x1A);
    private static readonly SKColor Muted = new(0x55, 0x55, 0x55);
    private static readonly TextStyle Title = new(15, Ink);
    private static readonly TextStyle Heading = new(11, Ink);
    private static readonly TextStyle Body = new(9.5f, Ink);
    private static readonly TextStyle Cell = new(8.5f, Ink);
    private static readonly TextStyle Small = new(7.5f, Muted);
    private static readonly TextStyle Rx = new(18, Ink);

    // The QR code's budget, for a phone to read it off a 300 dpi print. Each module is 1.2 pt: 5 printer dots, 0.42 mm.
    // Error correction L, as SMART Health Cards choose: the signature, not the error correction, guards the content (a
    // misread fails to verify, it cannot pass as another prescription), and L keeps the code four versions smaller than M
    // for the same payload, so its modules can be this large. Version 30 (145 modules with the quiet zone, 61 mm) holds
    // a prescription of 15 to 20 medicines; a longer one prints the link alone (see Signature).
    private const float QrModule = 1.2f;
    public const int MaxOfflineQrVersion = 30;
    private const float LinkQrSize = 112;

    // Where the left column (facility, doctor, patient) ends and the right one (prescription, ABHA) begins.
    private const float Split = 0.58f;

    // Wide enough for the longest route ("subcutaneous") and English header word, so no word is cut.
    private static PdfColumn[] MedicineColumns(Labels labels) =>
    [
        new("#", 4, Align.Right), new(labels.Header("Medicine", PrescriptionLabel.Medicine), 24), new(labels.Header("Dose", PrescriptionLabel.Dose), 10),
        new(labels.Header("Frequency", PrescriptionLabel.Frequency), 12), new(labels.Header("Route", PrescriptionLabel.Route), 13),
        new(labels.Header("Days", PrescriptionLabel.Days), 6, Align.Right), new(labels.Header("Qty", PrescriptionLabel.Quantity), 5, Align.Right),
        new(labels.Header("Instructions", PrescriptionLabel.Instructions), 21), new("List", 5, Align.Center),
    ];

    /// <summary>The English labels, each with the patient's language's beside it (English alone when the patient reads English).</summary>
    private sealed record Labels(string Language)
    {
        public string Inline(string english, PrescriptionLabel label) =>
            PrescriptionLabels.In(Language, label) is { } translated ? $"{english} / {translated}" : english;

        public string Header(string english, PrescriptionLabel label) =>
            PrescriptionLabels.In(Language, label) is { } translated ? $"{english}\n{translated}" : english;
    }

    /// <param name="verificationUrl">Where the QR code points: the public page that checks this prescription's signature and status.</param>
    /// <param name="keyId">The signing key's id (JWS "kid"), printed so a pharmacist can match it against the published keys.</param>
    /// <param name="jws">The signature, embedded in the document's Keywords as "telemed-jws:…" so the PDF alone can be verified offline,
    /// and carried by the QR code after the link (<see cref="PrescriptionQr"/>) so the printed page can be too.</param>
    /// <param name="language">The patient's language (<see cref="MessageCatalogue.Languages"/>): its labels are printed beside the English ones.</param>
    public byte[] Render(PrescriptionContent content, string verificationUrl, string? keyId = null, string? jws = null, string language = MessageCatalogue.English)
    {
        var labels = new Labels(language);
        var page = new PdfComposer(fonts);
        page.NewPage();
        Letterhead(page, content);
        Parties(page, content, labels);
        Clinical(page, content, labels);
        Medicines(page, content, labels);
        Afterwards(page, content, labels);
        Signature(page, content, verificationUrl, keyId, jws);
        return page.ToPdf($"Prescription {content.PrescriptionId}", content.IssuedAt,
            (number, count) => $"Prescription {content.PrescriptionId} · page {number} of {count} · valid only with its digital signature",
            jws is null ? null : EmbeddedSignature.Prefix + jws);
    }

    private static void Letterhead(PdfComposer page, PrescriptionContent content)
    {
        var split = page.Width * Split;
        var left = page.Text([new(content.Facility.Name, Bold: true)], Title, page.Left, page.Y, split);
        left += page.Text([new((content.Facility.Address is { } address ? $"{address} · " : "") + $"HFR ID: {content.Facility.HfrId}")],
            Small, page.Left, page.Y + left, split);
        var right = page.Text([new("e-Prescription", Bold: true)], Heading, page.Left + split, page.Y, page.Width - split, Align.Right);
        right += page.Text([new("Telemedicine Practice Guidelines 2020")], Small, page.Left + split, page.Y + right, page.Width - split, Align.Right);
        page.Y += Math.Max(left, right);
        page.Rule(1.2f);
    }

    private static void Parties(PdfComposer page, PrescriptionContent content, Labels labels)
    {
        var doctor = content.Doctor;
        var split = page.Width * Split;
        var left = page.Text([new(doctor.Name, Bold: true)], Heading, page.Left, page.Y, split);
        left += page.Text(
            [new($"{doctor.Qualification}\nReg. no. {doctor.RegistrationNumber}, {doctor.StateCouncil}"
                + (string.IsNullOrWhiteSpace(doctor.HprId) ? "" : $"\nHPR ID: {doctor.HprId}")
                + (string.IsNullOrWhiteSpace(doctor.Email) ? "" : $"\nE-mail: {doctor.Email}"))],
            Body, page.Left, page.Y + left, split);
        var right = page.Text(
            [
                new("Prescription no. ", Bold: true), new($"{content.PrescriptionId}\n"),
                new("Date: ", Bold: true), new($"{IndianTime.Stamp(content.IssuedAt)}\n"),
                new($"{Kind(content.Kind)} · {Medium(content.Medium)}\n"),
                new($"{labels.Inline("Valid until", PrescriptionLabel.ValidUntil)}: ", Bold: true), new(Date(content.ValidUntil)),
            ],
            Body, page.Left + split, page.Y, page.Width - split, Align.Right);
        page.Y += Math.Max(left, right);
        page.Rule();

        var patient = content.Patient;
        left = page.Text([new($"{labels.Inline("Patient", PrescriptionLabel.Patient)}: ", Bold: true), new(patient.Name, Bold: true)], Heading, page.Left, page.Y, split);
        left += page.Text([new($"{labels.Inline("Age / sex", PrescriptionLabel.AgeSex)}: ", Bold: true), new($"{patient.AgeYears} years / {Describe(patient.Sex)}")],
            Body, page.Left, page.Y + left, split);
        var abha = new List<Phrase>();
        if (!string.IsNullOrWhiteSpace(patient.AbhaNumber))
        {
            abha.AddRange([new("ABHA number: ", Bold: true), new(patient.AbhaNumber)]);
        }
        if (!string.IsNullOrWhiteSpace(patient.AbhaAddress))
        {
            abha.AddRange([new(abha.Count > 0 ? "\nABHA address: " : "ABHA address: ", Bold: true), new(patient.AbhaAddress)]);
        }
        right = abha.Count > 0 ? page.Text(abha, Body, page.Left + split, page.Y, page.Width - split, Align.Right) : 0;
        page.Y += Math.Max(left, right);
        if (content.AssistedBy is { } assisted)
        {
            page.Y += page.Text(
                [
                    new("Brought by: ", Bold: true),
                    new($"{assisted.Name}, {HealthWorkerRules.Describe(assisted.Cadre)} at {assisted.Spoke.Name} (HFR ID: {assisted.Spoke.HfrId})"),
                ],
                Body, page.Left, page.Y, page.Width);
        }
        if (content.AccompaniedBy is { } adult)
        {
            page.Y += page.Text([new("Accompanied by: ", Bold: true), new($"{adult.Name} ({Relation(adult.Relation)})")], Body, page.Left, page.Y, page.Width);
        }
        page.Rule();
    }

    /// <summary>The adult's relation to the patient in words: "legal guardian" for LegalGuardian.</summary>
    private static string Relation(Domain.Identity.Relation relation) => relation switch
    {
        Domain.Identity.Relation.LegalGuardian => "legal guardian",
        _ => relation.ToString().ToLowerInvariant(),
    };

    private static void Clinical(PdfComposer page, PrescriptionContent content, Labels labels)
    {
        Labelled(page, labels.Inline("Chief complaints", PrescriptionLabel.ChiefComplaints), content.ChiefComplaints);
        Labelled(page, labels.Inline("Vitals", PrescriptionLabel.Vitals), content.Vitals);
        Labelled(page, labels.Inline("Examination findings", PrescriptionLabel.Examination), content.Examination);
        var diagnosis = content.Diagnosis;
        var code = diagnosis.Code switch
        {
            { System: ClinicalRules.Icd10 } c => $" (ICD-10 {c.Code})",
            { System: ClinicalRules.Snomed } c => $" (SNOMED CT {c.Code})",
            { } c => $" ({c.System} {c.Code})",
            null => "",
        };
        Labelled(page, labels.Inline("Provisional diagnosis", PrescriptionLabel.ProvisionalDiagnosis), diagnosis.Text + code);
    }

    private static void Medicines(PdfComposer page, PrescriptionContent content, Labels labels)
    {
        page.KeepTogether(Rx.LineHeight + 3 * Cell.LineHeight);
        page.Y += page.Text([new("℞", Bold: true)], Rx, page.Left, page.Y, page.Width);
        var rows = content.Medicines.Select((m, i) => (IReadOnlyList<IReadOnlyList<Phrase>>)
        [
            [new($"{i + 1}")],
            [new(m.Generic, Bold: true), new($" {m.Strength} {m.Form}{m.Purpose switch { MedicinePurpose.Refill => " (refill)", MedicinePurpose.AddOn => " (add-on)", _ => "" }}")],
            [new(m.Dose)],
            [new(m.Frequency)],
            [new(m.Route)],
            [new(m.DurationDays.ToString(CultureInfo.InvariantCulture))],
            [new(m.Quantity.ToString(CultureInfo.InvariantCulture))],
            [new(m.Instructions ?? "")],
            [new(m.List.ToString())],
        ]);
        page.Table(MedicineColumns(labels), rows, Cell);
        page.Y += 2;
        page.Paragraph([new("List: the medicine's list under the Telemedicine Practice Guidelines 2020 (O, A or B).")], Small, 6);
    }

    private static void Afterwards(PdfComposer page, PrescriptionContent content, Labels labels)
    {
        Labelled(page, labels.Inline("Investigations advised", PrescriptionLabel.InvestigationsAdvised), content.InvestigationsAdvised);
        Labelled(page, labels.Inline("Advice", PrescriptionLabel.Advice), content.Advice);
        if (content.FollowUpOn is { } followUp)
        {
            Labelled(page, labels.Inline("Follow-up", PrescriptionLabel.FollowUp), Date(followUp));
        }
    }

    private static void Signature(PdfComposer page, PrescriptionContent content, string verificationUrl, string? keyId, string? jws)
    {
        using var code = OfflineCode(verificationUrl, jws);
        using var link = code is null ? QRCodeGenerator.GenerateQrCode(verificationUrl, QRCodeGenerator.ECCLevel.M) : null;
        var data = code ?? link!;
        var qr = code is null ? LinkQrSize : data.ModuleMatrix.Count * QrModule;
        page.KeepTogether(qr + 2 * Small.LineHeight + 12);
        page.Rule();
        var doctor = content.Doctor;
        var width = page.Width - qr - 16;
        var height = page.Text(
            [new("Digitally signed by "), new(doctor.Name, Bold: true), new($", Reg. no. {doctor.RegistrationNumber}, on {IndianTime.Stamp(content.IssuedAt)}")],
            Body, page.Left, page.Y, width);
        height += 4;
        height += page.Text(
            [new("Signed as a JSON Web Signature (ES256) over the prescription's contents"
                + (keyId is null ? "" : $" with key id {keyId}") + ". "
                + (code is not null
                    ? "The QR code carries the signed prescription: a Telemed pharmacy checks it even without a network. Open the link below to check that it has not been revoked or fully dispensed."
                    : jws is null
                        ? "Scan the QR code or open the link below to check the signature and that the prescription has not been revoked or fully dispensed."
                        : "This prescription is too long for its QR code to carry it: scan the code or open the link below to check it online; the PDF file itself can be checked offline with telemed verify."))],
            Small, page.Left, page.Y + height, width);
        page.QrCode(data, page.Right - qr, page.Y, qr);
        page.Y += Math.Max(height, qr);
        page.Y += page.Text([new("Verify: ", Bold: true), new(verificationUrl)], Small, page.Left, page.Y, page.Width, Align.Right);
    }

    /// <summary>The QR code carrying the signed prescription (<see cref="PrescriptionQr"/>), or null when it would exceed the budget.</summary>
    public static QRCodeData? OfflineCode(string verificationUrl, string? jws)
    {
        if (jws is null)
        {
            return null;
        }
        try
        {
            var data = QRCodeGenerator.GenerateQrCode(PrescriptionQr.Encode(verificationUrl, jws), QRCodeGenerator.ECCLevel.L);
            if (data.Version <= MaxOfflineQrVersion)
            {
                return data;
            }
            data.Dispose();
            return null;
        }
        catch (QRCoder.Exceptions.DataTooLongException)
        {
            return null;
        }
    }

    private static void Labelled(PdfComposer page, string label, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            page.Paragraph([new($"{label}: ", Bold: true), new(text.Trim())], Body, 4);
        }
    }

    private static string Date(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static string Kind(ConsultKind kind) => kind == ConsultKind.FollowUp ? "Follow-up" : "First consult";

    private static string Medium(ConsultationMedium medium) => medium switch
    {
        ConsultationMedium.AudioOnly => "audio only",
        ConsultationMedium.Chat => "chat",
        _ => "video",
    };

    private static string Describe(Sex sex) => sex == Sex.Unknown ? "not recorded" : sex.ToString();
}
