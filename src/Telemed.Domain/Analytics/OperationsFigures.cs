namespace Telemed.Domain.Analytics;

/// <summary>
/// Summary figures for operations reports (waiting times, consultation lengths, shares of audio-only calls …).
/// Every helper returns null for empty input rather than a misleading zero.
/// <para>
/// Percentiles use the nearest-rank method: sort the n values ascending; the p-th percentile is the value at
/// 1-based rank ⌈p/100 × n⌉. It is always one of the observed values (no interpolation), so a reported 90th-percentile
/// wait really happened. The median is the nearest-rank 50th percentile: for an even count, the lower of the two
/// middle values, not their average.
/// </para>
/// </summary>
public static class OperationsFigures
{
    /// <summary>The nearest-rank percentile, 0 &lt; <paramref name="percent"/> ≤ 100; null when there are no values.</summary>
    public static TimeSpan? Percentile(IEnumerable<TimeSpan> values, double percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(percent > 0 && percent <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), "A percentile is above 0 and at most 100.");
        }
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }
        // decimal, so that 90 % of 10 is rank 9 and not 9.000000000000002 rounded up to 10.
        var rank = (int)Math.Ceiling((decimal)percent * sorted.Count / 100);
        return sorted[Math.Max(rank, 1) - 1];
    }

    /// <summary>The nearest-rank median (lower middle value for an even count); null when there are no values.</summary>
    public static TimeSpan? Median(IEnumerable<TimeSpan> values) => Percentile(values, 50);

    /// <summary>The nearest-rank 90th percentile; null when there are no values.</summary>
    public static TimeSpan? Percentile90(IEnumerable<TimeSpan> values) => Percentile(values, 90);

    /// <summary>part / total as a fraction from 0 to 1 (e.g. audio-only consultations / all consultations); null when total is 0.</summary>
    public static double? Share(int part, int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(part, total);
        return total == 0 ? null : (double)part / total;
    }

    /// <summary>The fraction of the items that match; null when there are no items.</summary>
    public static double? Share<T>(IEnumerable<T> items, Func<T, bool> matches)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(matches);
        var total = 0;
        var part = 0;
        foreach (var item in items)
        {
            total++;
            if (matches(item))
            {
                part++;
            }
        }
        return Share(part, total);
    }
}
