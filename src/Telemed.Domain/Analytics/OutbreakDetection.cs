namespace Telemed.Domain.Analytics;

/// <summary>
/// Settings of the EARS C1/C2/C3 detectors. The defaults are the published ones (Hutwagner et al. 2003: 7-day baseline,
/// 2-day lag for C2/C3, thresholds 3 and 2) plus two guards the publication leaves to the implementer: a floor on the
/// standard deviation and a minimum count.
/// </summary>
public sealed record EarsParameters
{
    public static EarsParameters Default { get; } = new();

    /// <summary>Days in the moving baseline whose mean and sample standard deviation give the expectation. Published: 7.</summary>
    public int BaselineDays { get; init; } = 7;

    /// <summary>
    /// Days left out between the C2/C3 baseline and the current day (C2 uses days t−9…t−3 with the defaults), so the
    /// start of an outbreak does not raise its own baseline. Published: 2.
    /// </summary>
    public int C2LagDays { get; init; } = 2;

    /// <summary>C1 flags a day when (count − mean) / sd is above this. Published: 3.</summary>
    public double C1Threshold { get; init; } = 3;

    /// <summary>C2 flags a day when (count − mean) / sd is above this. Published: 3.</summary>
    public double C2Threshold { get; init; } = 3;

    /// <summary>C3 flags a day when Σ max(0, C2 − 1) over the day and the two before is above this. Published: 2.</summary>
    public double C3Threshold { get; init; } = 2;

    /// <summary>
    /// Absolute floor on the standard deviation, in cases. A baseline of identical counts (all zero, say) has sd 0 and
    /// the statistic would divide by zero; with 0.5 a quiet week of zeros is followed by an alert only once the count
    /// reaches the minimum count below (3 cases give 6 &gt; 3). Must be above zero.
    /// </summary>
    public double MinimumStandardDeviation { get; init; } = 0.5;

    /// <summary>
    /// Relative floor on the standard deviation, as a fraction of the baseline mean: the sd used is
    /// max(sample sd, <see cref="MinimumStandardDeviation"/>, this × mean). With 0.2 a chance run of 7 near-identical
    /// days (mean 10, sd 1) cannot make 14 cases look like a 4-sd excess. 0 turns it off.
    /// </summary>
    public double RelativeStandardDeviationFloor { get; init; } = 0.2;

    /// <summary>
    /// No detector flags a day with fewer cases than this, whatever the statistic: 1 or 2 cases after a quiet week are
    /// not worth an alert. The statistics are still reported. 0 turns it off.
    /// </summary>
    public int MinimumCount { get; init; } = 3;
}

/// <summary>
/// One detector on one day. <paramref name="Expected"/> is the baseline mean (the expected count) and
/// <paramref name="StandardDeviation"/> the sd actually divided by, after the floors. For C3 both are those of C2 on the day.
/// </summary>
public sealed record EarsStatistic(double Value, double Expected, double StandardDeviation, bool Flagged);

/// <summary>A day of the series; a detector is null on the first days, before it has enough history.</summary>
public sealed record EarsDay(int Index, DateOnly? Date, int Count, EarsStatistic? C1, EarsStatistic? C2, EarsStatistic? C3)
{
    public bool AnyFlagged => C1?.Flagged == true || C2?.Flagged == true || C3?.Flagged == true;
}

/// <summary>
/// The CDC Early Aberration Reporting System detectors C1, C2, C3 (Hutwagner et al., J Urban Health 2003) on a daily
/// count series:
/// <list type="bullet">
/// <item>C1(t) = (x(t) − mean(x(t−7…t−1))) / sd, flag when &gt; 3;</item>
/// <item>C2(t) = (x(t) − mean(x(t−9…t−3))) / sd, flag when &gt; 3;</item>
/// <item>C3(t) = Σ over i = t−2…t of max(0, C2(i) − 1), flag when &gt; 2.</item>
/// </list>
/// sd is the sample standard deviation (divisor n − 1) of the baseline days, raised to the floors of
/// <see cref="EarsParameters"/>; when the baseline sd is above the floors the values are exactly the published ones.
/// C1 starts at day 7, C2 at day 9 and C3 at day 11 (0-based, default parameters).
/// </summary>
public static class OutbreakDetection
{
    /// <summary>Runs the three detectors over counts[0…n−1], oldest first, one count per day.</summary>
    public static IReadOnlyList<EarsDay> Ears(IReadOnlyList<int> counts, EarsParameters? parameters = null) =>
        Run(counts, null, parameters ?? EarsParameters.Default);

    /// <summary>Runs the detectors over every day from <paramref name="from"/> to <paramref name="to"/>; days missing from the map count 0.</summary>
    public static IReadOnlyList<EarsDay> Ears(IReadOnlyDictionary<DateOnly, int> counts, DateOnly from, DateOnly to, EarsParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (to < from)
        {
            throw new ArgumentException($"The period ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", nameof(to));
        }
        var series = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(i => counts.GetValueOrDefault(from.AddDays(i))).ToList();
        return Run(series, from, parameters ?? EarsParameters.Default);
    }

    /// <summary>
    /// The days whose mean is the day's expected count as reported: C2's baseline once C2 runs, else C1's; null before either.
    /// </summary>
    public static (DateOnly From, DateOnly To)? ExpectedBaseline(EarsDay day, EarsParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(day);
        var p = parameters ?? EarsParameters.Default;
        var lag = day.C2 is not null ? p.C2LagDays : day.C1 is not null ? 0 : (int?)null;
        return day.Date is { } date && lag is { } days ? (date.AddDays(-(days + p.BaselineDays)), date.AddDays(-(days + 1))) : null;
    }

    /// <summary>
    /// The day's expected count as published: the mean of its <see cref="ExpectedBaseline"/> days to two decimals, or
    /// null before a detector runs or when a baseline day's count is suppressed (<see cref="Suppression.Mean"/>).
    /// </summary>
    public static double? PublishedExpected(EarsDay day, IReadOnlyDictionary<DateOnly, int> counts, int k, EarsParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (ExpectedBaseline(day, parameters) is not { } week)
        {
            return null;
        }
        var baseline = Enumerable.Range(0, week.To.DayNumber - week.From.DayNumber + 1).Select(i => counts.GetValueOrDefault(week.From.AddDays(i))).ToList();
        return Suppression.Mean(baseline, k) is { } mean ? Math.Round(mean, 2) : null;
    }

    private static List<EarsDay> Run(IReadOnlyList<int> counts, DateOnly? from, EarsParameters p)
    {
        ArgumentNullException.ThrowIfNull(counts);
        Check(p);
        if (counts.Any(c => c < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(counts), "Counts cannot be negative.");
        }
        var c2 = new EarsStatistic?[counts.Count];
        var days = new List<EarsDay>(counts.Count);
        for (var t = 0; t < counts.Count; t++)
        {
            var c1 = Shewhart(counts, t, 0, p.C1Threshold, p);
            c2[t] = Shewhart(counts, t, p.C2LagDays, p.C2Threshold, p);
            EarsStatistic? c3 = null;
            if (t >= 2 && c2[t] is { } today && c2[t - 1] is { } yesterday && c2[t - 2] is { } before)
            {
                var value = Math.Max(0, before.Value - 1) + Math.Max(0, yesterday.Value - 1) + Math.Max(0, today.Value - 1);
                c3 = new EarsStatistic(value, today.Expected, today.StandardDeviation, value > p.C3Threshold && counts[t] >= p.MinimumCount);
            }
            days.Add(new EarsDay(t, from?.AddDays(t), counts[t], c1, c2[t], c3));
        }
        return days;
    }

    /// <summary>(x(t) − mean) / sd over the baseline days t−lag−B … t−lag−1.</summary>
    private static EarsStatistic? Shewhart(IReadOnlyList<int> counts, int t, int lag, double threshold, EarsParameters p)
    {
        var start = t - lag - p.BaselineDays;
        if (start < 0)
        {
            return null;
        }
        var mean = 0.0;
        for (var i = start; i < start + p.BaselineDays; i++)
        {
            mean += counts[i];
        }
        mean /= p.BaselineDays;
        var squares = 0.0;
        for (var i = start; i < start + p.BaselineDays; i++)
        {
            squares += (counts[i] - mean) * (counts[i] - mean);
        }
        var sd = Math.Max(Math.Sqrt(squares / (p.BaselineDays - 1)), Math.Max(p.MinimumStandardDeviation, p.RelativeStandardDeviationFloor * mean));
        var value = (counts[t] - mean) / sd;
        return new EarsStatistic(value, mean, sd, value > threshold && counts[t] >= p.MinimumCount);
    }

    private static void Check(EarsParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.BaselineDays < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), "The baseline needs at least 2 days for a standard deviation.");
        }
        if (parameters.C2LagDays < 0 || parameters.MinimumCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), "The lag and the minimum count cannot be negative.");
        }
        if (!(parameters.MinimumStandardDeviation > 0) || !(parameters.RelativeStandardDeviationFloor >= 0) || !double.IsFinite(parameters.MinimumStandardDeviation)
            || !double.IsFinite(parameters.RelativeStandardDeviationFloor))
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), "The absolute sd floor must be above zero and the relative one zero or more.");
        }
        if (!double.IsFinite(parameters.C1Threshold) || !double.IsFinite(parameters.C2Threshold) || !double.IsFinite(parameters.C3Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), "Thresholds must be finite numbers.");
        }
    }
}
