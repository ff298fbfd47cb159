using Hl7.Fhir.Model;
using Telemed.Domain.Analytics;
using Telemed.Server.Records;

namespace Telemed.Server.Analytics;

/// <summary>
/// The aggregate figures as FHIR R4 MeasureReports (type summary), one per day, in a collection Bundle: what a state
/// or national system ingests. Suppressed figures are left out of the report rather than sent as zero.
/// </summary>
public static class FhirMeasureReports
{
    public const string OperationsMeasure = "https://telemed.example.in/fhir/Measure/opd-operations";
    public const string SyndromesMeasure = "https://telemed.example.in/fhir/Measure/syndromic-surveillance";

    public static Bundle Operations(string facilityHfrId, IReadOnlyList<OperationsDay> days, DateTimeOffset now) =>
        Collection(now, days.Select(day => Report(OperationsMeasure, day.Day, facilityHfrId, now,
        [
            ("checked-in", day.CheckedIn, "1"), ("seen", day.Seen, "1"), ("no-shows", day.NoShows, "1"), ("cancelled", day.Cancelled, "1"),
            ("median-wait", day.MedianWaitMinutes, "min"), ("p90-wait", day.P90WaitMinutes, "min"),
            ("median-consultation", day.MedianConsultationMinutes, "min"), ("audio-only-share", day.AudioOnlyShare, "1"),
            ("prescriptions-issued", day.PrescriptionsIssued, "1"), ("prescriptions-dispensed", day.PrescriptionsDispensed, "1"),
            ("ratings", day.Ratings, "1"), ("mean-rating", day.MeanRating, "1"),
        ])));

    public static Bundle Syndromes(string district, IReadOnlyList<SyndromeDay> days, DateTimeOffset now) =>
        Collection(now, days.GroupBy(d => d.Day).Select(day => Report(SyndromesMeasure, day.Key, null, now,
            [.. day.Select(d => ($"{district}/{d.Syndrome}", (double?)d.Count, "1"))])));

    private static Bundle Collection(DateTimeOffset now, IEnumerable<MeasureReport> reports)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Collection, Timestamp = now };
        foreach (var report in reports)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"urn:uuid:{report.Id}", Resource = report });
        }
        return bundle;
    }

    private static MeasureReport Report(string measure, DateOnly day, string? facilityHfrId, DateTimeOffset now, IReadOnlyList<(string Code, double? Value, string Unit)> figures)
    {
        var id = Infrastructure.Ids.NameBased(Guid.Empty, $"{measure}/{facilityHfrId}/{day:yyyy-MM-dd}/{string.Join(',', figures.Select(f => f.Code))}");
        var report = new MeasureReport
        {
            Id = id.ToString(),
            Status = MeasureReport.MeasureReportStatus.Complete,
            Type = MeasureReport.MeasureReportType.Summary,
            Measure = measure,
            Date = now.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
            Period = new Period { Start = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), End = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
        };
        if (facilityHfrId is not null)
        {
            report.Reporter = new ResourceReference { Identifier = new Identifier(FhirCodes.HfrSystem, facilityHfrId) };
        }
        foreach (var (code, value, unit) in figures.Where(f => f.Value is not null))
        {
            report.Group.Add(new MeasureReport.GroupComponent
            {
                Code = new CodeableConcept { Text = code },
                MeasureScore = new Quantity((decimal)value!.Value, unit, "http://unitsofmeasure.org"),
            });
        }
        return report;
    }
}
