using Telemed.Domain.Consultations;
using Telemed.Domain.Prescriptions;
using Telemed.Domain.Queue;

namespace Telemed.Domain.Analytics;

public enum VisitOutcome
{
    Open,
    Completed,
    NoShow,
    Cancelled,
    Left,
    NotHeld,
    PaymentExpired,
}

/// <summary>
/// One check-in, as analytics sees it: where and when, how long the wait and the consultation were, how the call
/// went, the syndrome of its diagnosis, whether a prescription came of it, the patient's rating. No names, no free text
/// (a feedback comment stays with the doctor it was written to).
/// </summary>
public sealed record Visit(
    string Id,
    Guid SessionId,
    int Token,
    Guid FacilityId,
    string District,
    DateOnly Day,
    DateTimeOffset CheckedInAt,
    Guid? DoctorId = null,
    DateTimeOffset? CalledAt = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? EndedAt = null,
    VisitOutcome Outcome = VisitOutcome.Open,
    Guid? ConsultationId = null,
    bool CallConnected = false,
    bool AudioOnly = false,
    int Disconnections = 0,
    Syndrome? Syndrome = null,
    bool PrescriptionIssued = false,
    bool Dispensed = false,
    int? Rating = null)
{
    public TimeSpan? Wait => CalledAt - CheckedInAt;

    public TimeSpan? ConsultationLength => Outcome == VisitOutcome.Completed ? EndedAt - StartedAt : null;
}

/// <summary>Builds visits from the queue, consultation and prescription events: the fold behind the analytics projection.</summary>
public static class Visits
{
    public static string Id(Guid sessionId, int token) => $"{sessionId:N}:{token}";

    public static Visit CheckedIn(PatientCheckedIn e, Guid facilityId, string district) =>
        new(Id(e.SessionId, e.Token), e.SessionId, e.Token, facilityId, district, IndianTime.Day(e.At), e.At);

    /// <summary>The visit after one more event about it; events that do not concern analytics leave it as it is.</summary>
    public static Visit Apply(Visit visit, object @event) => @event switch
    {
        TokenCalled e => visit with { CalledAt = visit.CalledAt ?? e.At, DoctorId = e.DoctorId },
        TokenConsultationStarted e => visit with { StartedAt = e.At, ConsultationId = e.ConsultationId, DoctorId = e.DoctorId },
        TokenCompleted e => visit with { Outcome = VisitOutcome.Completed, EndedAt = e.At },
        TokenMarkedNoShow => visit with { Outcome = VisitOutcome.NoShow },
        TokenCancelled => visit with { Outcome = VisitOutcome.Cancelled },
        TokenLeft => visit with { Outcome = VisitOutcome.Left },
        TokenNotHeld e => visit with { Outcome = VisitOutcome.NotHeld, EndedAt = e.At },
        TokenPaymentExpired => visit with { Outcome = VisitOutcome.PaymentExpired },
        CallConnected => visit with { CallConnected = true },
        CallModeChanged e => visit with { AudioOnly = visit.AudioOnly || e.Mode == CallMode.AudioOnly },
        ParticipantLeft e when e.Reason != "hung up" => visit with { Disconnections = visit.Disconnections + 1 },
        DiagnosisRecorded e => visit with { Syndrome = Syndromes.Classify(e.Diagnosis) },
        PrescriptionIssued => visit with { PrescriptionIssued = true },
        PrescriptionDispensed => visit with { Dispensed = true },
        FeedbackGiven e => visit with { Rating = e.Rating },
        _ => visit,
    };
}

/// <summary>One day of a facility's OPD, every count suppressed below k.</summary>
public sealed record OperationsDay(
    DateOnly Day,
    int? CheckedIn,
    int? Seen,
    int? NoShows,
    int? Cancelled,
    double? MedianWaitMinutes,
    double? P90WaitMinutes,
    double? MedianConsultationMinutes,
    double? AudioOnlyShare,
    double? DisconnectionRate,
    int? PrescriptionsIssued,
    int? PrescriptionsDispensed,
    int? Ratings = null,
    double? MeanRating = null);

public static class OperationsReport
{
    /// <summary>
    /// Figures per day, for the facility whose visits these are or, with <paramref name="doctorId"/>, for one of its
    /// doctors. A count below k is suppressed; so is every figure computed from fewer than k visits, since a median of two
    /// waits tells who waited. The facility's counts are the sums of its doctors', so every doctor's count is suppressed
    /// with complementary suppression across the day's doctors: a slice asked for alone then gives away nothing that the
    /// facility's figure and the other doctors' slices would.
    /// </summary>
    public static IReadOnlyList<OperationsDay> Daily(IEnumerable<Visit> visits, int k = Suppression.DefaultK, Guid? doctorId = null) =>
        [.. visits.GroupBy(v => v.Day).OrderBy(g => g.Key).SelectMany(day =>
        {
            var all = day.ToList();
            if (doctorId is not { } doctor)
            {
                return [Figures(day.Key, all, [.. Counts(all).Select(count => Suppression.Cell(count, k))], k)];
            }
            var mine = all.Where(v => v.DoctorId == doctor).ToList();
            if (mine.Count == 0)
            {
                return [];
            }
            var doctors = all.GroupBy(v => v.DoctorId).OrderBy(g => g.Key != doctor).Select(g => Counts([.. g])).ToList();
            var counts = Enumerable.Range(0, CountedFigures).Select(figure => Suppression.Row([.. doctors.Select(d => d[figure])], k)[0]).ToArray();
            return new[] { Figures(day.Key, mine, counts, k) };
        })];

    private const int CountedFigures = 7;

    /// <summary>Checked in, seen, no-shows, cancelled, prescriptions issued, dispensed, patients' ratings.</summary>
    private static int[] Counts(List<Visit> visits) =>
    [
        visits.Count, visits.Count(v => v.Outcome == VisitOutcome.Completed), visits.Count(v => v.Outcome == VisitOutcome.NoShow),
        visits.Count(v => v.Outcome == VisitOutcome.Cancelled), visits.Count(v => v.PrescriptionIssued), visits.Count(v => v.Dispensed),
        visits.Count(v => v.Rating is not null),
    ];

    private static OperationsDay Figures(DateOnly day, List<Visit> all, int?[] counts, int k)
    {
        var called = all.Where(v => v.Wait is not null).ToList();
        var completed = all.Where(v => v.Outcome == VisitOutcome.Completed).ToList();
        var calls = all.Where(v => v.CallConnected).ToList();
        var ratings = all.Select(v => v.Rating).OfType<int>().ToList();
        double? Minutes(TimeSpan? value, int basis) => basis >= k && value is { } v ? Math.Round(v.TotalMinutes, 1) : null;
        double? Share(int part, int basis) => basis >= k ? OperationsFigures.Share(part, basis) : null;
        return new OperationsDay(
            day,
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            Minutes(OperationsFigures.Median(called.Select(v => v.Wait!.Value)), called.Count),
            Minutes(OperationsFigures.Percentile90(called.Select(v => v.Wait!.Value)), called.Count),
            Minutes(OperationsFigures.Median(completed.Select(v => v.ConsultationLength!.Value)), completed.Count),
            Share(calls.Count(v => v.AudioOnly), calls.Count),
            Share(calls.Count(v => v.Disconnections > 0), calls.Count),
            counts[4],
            counts[5],
            counts[6],
            ratings.Count >= k ? Math.Round(ratings.Average(), 2) : null);
    }
}
