using System.Globalization;
using System.Text;
using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Analytics;
using Telemed.Domain.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Realtime;

namespace Telemed.Server.Analytics;

public sealed record SyndromeDay(DateOnly Day, Syndrome Syndrome, int? Count, bool Flagged, double? Expected);

public sealed record OutbreakAlert(string District, Syndrome Syndrome, DateOnly Day, int? Count, double? Expected, IReadOnlyList<string> Detectors);

/// <summary>
/// Aggregates for health officers and admins, never a patient: OPD operations per facility and day, syndromic counts
/// per district and day with EARS outbreak flags. Every count below Analytics:MinimumCellSize is suppressed.
/// </summary>
public static class AnalyticsEndpoints
{
    /// <summary>EARS needs two weeks of history before the first day it judges.</summary>
    private const int History = 14;

    private const int MaxDays = 366;

    public static void MapAnalytics(this IEndpointRouteBuilder app)
    {
        // An expired access token closes the connection; the client reconnects with a fresh one. A client that does not
        // take what is sent to it within Hubs:SendTimeoutSeconds is cut (Pushes).
        app.MapHub<AlertHub>("/hubs/alerts", options =>
        {
            options.AllowStatefulReconnects = true;
            options.CloseOnAuthenticationExpiration = true;
            Pushes.Bound(options, app.ServiceProvider);
        });
        var analytics = app.MapGroup("/api/analytics").WithTags("Analytics").RequireAuthorization(Roles.HealthOfficer);
        analytics.MapGet("/operations", Operations).WithSummary("A facility's (or one of its doctors') OPD per day: counts, waits, call quality; ?format=csv or fhir (MeasureReports).");
        analytics.MapGet("/syndromes", SyndromeCounts).WithSummary("A district's diagnoses by syndrome per day, with EARS flags; ?format=csv or fhir (MeasureReports).");
        analytics.MapGet("/alerts", Alerts).WithSummary("Days on which a district's syndrome count exceeded what EARS C1/C2/C3 expect.");
    }

    private static async Task<IResult> Operations(
        Guid? facilityId, Guid? doctorId, DateOnly? from, DateOnly? to, string? format, IQuerySession db, IOptions<AnalyticsOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (facilityId is null)
        {
            return Problems.Invalid("facilityId", "Name the facility.");
        }
        if (Window(from, to, time) is not { } window)
        {
            return Problems.Invalid("to", $"Give from ≤ to, at most {MaxDays} days apart (dates, e.g. 2026-11-25).");
        }
        // The whole facility's visits even for one doctor's figures: they are suppressed consistently with the other doctors'.
        var visits = await db.Query<Visit>().Where(v => v.FacilityId == facilityId && v.Day >= window.From && v.Day <= window.To).ToListAsync(cancellationToken);
        var days = OperationsReport.Daily(visits, options.Value.MinimumCellSize, doctorId);
        if (format == "fhir")
        {
            var facility = await db.LoadAsync<Identity.Facility>(facilityId.Value, cancellationToken);
            return Fhir(FhirMeasureReports.Operations(facility?.HfrId ?? "", days, time.GetUtcNow()));
        }
        return format == "csv"
            ? Csv($"operations-{facilityId}.csv",
                "day,checked_in,seen,no_shows,cancelled,median_wait_min,p90_wait_min,median_consultation_min,audio_only_share,disconnection_rate,prescriptions_issued,prescriptions_dispensed,ratings,mean_rating",
                days.Select(d => Row(d.Day, d.CheckedIn, d.Seen, d.NoShows, d.Cancelled, d.MedianWaitMinutes, d.P90WaitMinutes, d.MedianConsultationMinutes,
                    d.AudioOnlyShare, d.DisconnectionRate, d.PrescriptionsIssued, d.PrescriptionsDispensed, d.Ratings, d.MeanRating)))
            : TypedResults.Ok(days);
    }

    private static async Task<IResult> SyndromeCounts(
        string? district, DateOnly? from, DateOnly? to, string? format, IQuerySession db, IOptions<AnalyticsOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(district))
        {
            return Problems.Invalid("district", "Name the district.");
        }
        if (Window(from, to, time) is not { } window)
        {
            return Problems.Invalid("to", $"Give from ≤ to, at most {MaxDays} days apart (dates, e.g. 2026-11-25).");
        }
        var days = (await Series(db, district.Trim(), window.From.AddDays(-History), window.To, options.Value.MinimumCellSize, cancellationToken))
            .Where(d => d.Day >= window.From)
            .ToList();
        if (format == "fhir")
        {
            return Fhir(FhirMeasureReports.Syndromes(district.Trim(), days, time.GetUtcNow()));
        }
        return format == "csv"
            ? Csv($"syndromes-{district}.csv", "day,syndrome,count,flagged,expected", days.Select(d => Row(d.Day, d.Syndrome, d.Count, d.Flagged, d.Expected)))
            : TypedResults.Ok(days);
    }

    private static async Task<IResult> Alerts(DateOnly? from, DateOnly? to, IQuerySession db, IOptions<AnalyticsOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (Window(from, to, time) is not { } window)
        {
            return Problems.Invalid("to", $"Give from ≤ to, at most {MaxDays} days apart.");
        }
        return TypedResults.Ok(await AlertsBetween(db, window.From, window.To, options.Value.MinimumCellSize, cancellationToken));
    }

    public static async Task<IReadOnlyList<OutbreakAlert>> AlertsBetween(IQuerySession db, DateOnly from, DateOnly to, int k, CancellationToken cancellationToken)
    {
        var districts = await db.Query<Visit>().Where(v => v.Day >= from && v.Day <= to && v.Syndrome != null)
            .Select(v => v.District).Distinct().ToListAsync(cancellationToken);
        var alerts = new List<OutbreakAlert>();
        foreach (var district in districts)
        {
            await Series(db, district, from.AddDays(-History), to, k, cancellationToken, alerts);
        }
        return [.. alerts.Where(a => a.Day >= from).OrderBy(a => a.Day).ThenBy(a => a.District)];
    }

    /// <summary>Daily counts per syndrome (completed consultations of the district's facilities) with the EARS verdict per day.</summary>
    private static async Task<List<SyndromeDay>> Series(
        IQuerySession db, string district, DateOnly from, DateOnly to, int k, CancellationToken cancellationToken, List<OutbreakAlert>? alerts = null)
    {
        var visits = await db.Query<Visit>()
            .Where(v => v.District == district && v.Day >= from && v.Day <= to && v.Syndrome != null)
            .Select(v => new { v.Day, v.Syndrome })
            .ToListAsync(cancellationToken);
        var days = new List<SyndromeDay>();
        foreach (var syndrome in visits.Select(v => v.Syndrome!.Value).Distinct().Where(s => s != Syndrome.Other))
        {
            var counts = visits.Where(v => v.Syndrome == syndrome).GroupBy(v => v.Day).ToDictionary(g => g.Key, g => g.Count());
            foreach (var day in OutbreakDetection.Ears(counts, from, to))
            {
                var date = day.Date!.Value;
                var detectors = new[] { ("C1", day.C1), ("C2", day.C2), ("C3", day.C3) }.Where(d => d.Item2?.Flagged == true).Select(d => d.Item1).ToList();
                var expected = OutbreakDetection.PublishedExpected(day, counts, k);
                days.Add(new SyndromeDay(date, syndrome, Suppression.Cell(day.Count, k), detectors.Count > 0, expected));
                if (detectors.Count > 0)
                {
                    alerts?.Add(new OutbreakAlert(district, syndrome, date, Suppression.Cell(day.Count, k), expected, detectors));
                }
            }
        }
        return [.. days.Where(d => d.Count != 0 || d.Flagged).OrderBy(d => d.Day).ThenBy(d => d.Syndrome)];
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Fhir(Hl7.Fhir.Model.Bundle bundle) =>
        TypedResults.Text(Records.FhirDocuments.ToJson(bundle), "application/fhir+json");

    private static (DateOnly From, DateOnly To)? Window(DateOnly? from, DateOnly? to, TimeProvider time)
    {
        var end = to ?? IndianTime.Day(time.GetUtcNow());
        var start = from ?? end.AddDays(-29);
        return start <= end && end.DayNumber - start.DayNumber < MaxDays ? (start, end) : null;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult Csv(string fileName, string header, IEnumerable<string> rows)
    {
        var text = new StringBuilder(header).Append('\n');
        foreach (var row in rows)
        {
            text.Append(row).Append('\n');
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", fileName);
    }

    /// <summary>A CSV row; suppressed cells are empty, never zero.</summary>
    private static string Row(params object?[] cells) => string.Join(',', cells.Select(cell => cell switch
    {
        null => "",
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double value => value.ToString("0.###", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString(),
    }));
}
