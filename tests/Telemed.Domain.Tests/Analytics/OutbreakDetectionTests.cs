using Telemed.Domain.Analytics;

namespace Telemed.Domain.Tests.Analytics;

public class OutbreakDetectionTests
{
    // A week with mean 5 and sample sd exactly 2: deviations −2, +2, −2, +2, −2, +2, 0 → squares sum 24; 24 / (7 − 1) = 4; √4 = 2.
    // Repeating it with period 7 keeps every 7-day window a permutation of the same values, so every baseline is mean 5, sd 2.
    private static readonly int[] Week = [3, 7, 3, 7, 3, 7, 5];

    private static int[] Then(params int[] days) => [.. Week, .. days];

    [Fact]
    public void C1_compares_the_day_with_the_seven_days_before()
    {
        // Day 7: (12 − 5) / 2 = 3.5 > 3 → flagged. The sd floors (0.5, and 0.2 × 5 = 1) are below 2 and change nothing.
        var day = OutbreakDetection.Ears(Then(12))[7];

        day.C1.ShouldBe(new EarsStatistic(3.5, 5, 2, true));
        day.C2.ShouldBeNull();
        day.C3.ShouldBeNull();
    }

    [Fact]
    public void The_threshold_is_strict()
    {
        // (11 − 5) / 2 = 3.0, not above 3.
        var c1 = OutbreakDetection.Ears(Then(11))[7].C1!;

        c1.Value.ShouldBe(3.0);
        c1.Flagged.ShouldBeFalse();
    }

    [Fact]
    public void No_detector_runs_before_it_has_a_full_baseline()
    {
        var days = OutbreakDetection.Ears([3, 7, 3, 7, 3, 7, 5, 3, 7, 3, 7, 5]);

        days.Select(d => d.C1 is not null).ShouldBe([false, false, false, false, false, false, false, true, true, true, true, true]);
        days.Select(d => d.C2 is not null).ShouldBe([false, false, false, false, false, false, false, false, false, true, true, true]);
        days.Select(d => d.C3 is not null).ShouldBe([false, false, false, false, false, false, false, false, false, false, false, true]);
    }

    [Fact]
    public void C2_skips_the_two_days_before()
    {
        // Days 0–6 are the baseline of day 9 (mean 5, sd 2); days 7 and 8 (40 and 40) are the lag and do not count.
        // C2 on day 9 = (13 − 5) / 2 = 4 → flagged.
        // C1 on day 9 uses days 2–8 = 3, 7, 3, 7, 5, 40, 40: mean 105 / 7 = 15, squares 144 + 64 + 144 + 64 + 100 + 625 + 625 = 1766,
        // sd = √(1766 / 6) = 17.156…, C1 = (13 − 15) / 17.156 = −0.1166 → not flagged.
        var day = OutbreakDetection.Ears(Then(40, 40, 13))[9];

        day.C2.ShouldBe(new EarsStatistic(4, 5, 2, true));
        day.C1!.Expected.ShouldBe(15);
        day.C1.StandardDeviation.ShouldBe(Math.Sqrt(1766.0 / 6), 1e-12);
        day.C1.Value.ShouldBe(-2 / Math.Sqrt(1766.0 / 6), 1e-12);
        day.C1.Flagged.ShouldBeFalse();
    }

    [Fact]
    public void C3_adds_up_the_excess_of_C2_over_one_for_three_days()
    {
        // Days 0–8 repeat the week, so the C2 baselines of days 9, 10, 11 (days 0–6, 1–7, 2–8) all have mean 5, sd 2.
        // C2: day 9 (8 − 5) / 2 = 1.5, day 10 (10 − 5) / 2 = 2.5, day 11 (12 − 5) / 2 = 3.5.
        // C3 on day 11 = max(0, 0.5) + max(0, 1.5) + max(0, 2.5) = 4.5 > 2 → flagged. C2 flags day 11 only.
        var days = OutbreakDetection.Ears(Then(3, 7, 8, 10, 12));

        days.Skip(9).Select(d => d.C2!.Value).ShouldBe([1.5, 2.5, 3.5]);
        days.Skip(9).Select(d => d.C2!.Flagged).ShouldBe([false, false, true]);
        days[11].C3.ShouldBe(new EarsStatistic(4.5, 5, 2, true));
    }

    [Fact]
    public void C3_ignores_days_below_one_sd()
    {
        // C2: (7 − 5) / 2 = 1, (7 − 5) / 2 = 1, (9 − 5) / 2 = 2 → C3 = 0 + 0 + 1 = 1, not above 2.
        var c3 = OutbreakDetection.Ears(Then(3, 7, 7, 7, 9))[11].C3!;

        c3.Value.ShouldBe(1);
        c3.Flagged.ShouldBeFalse();
    }

    [Fact]
    public void A_flat_baseline_uses_the_relative_sd_floor()
    {
        // Baseline all 10: sd 0 → floor max(0.5, 0.2 × 10) = 2. (17 − 10) / 2 = 3.5 flagged; (16 − 10) / 2 = 3 not.
        OutbreakDetection.Ears([10, 10, 10, 10, 10, 10, 10, 17])[7].C1.ShouldBe(new EarsStatistic(3.5, 10, 2, true));
        OutbreakDetection.Ears([10, 10, 10, 10, 10, 10, 10, 16])[7].C1!.Flagged.ShouldBeFalse();
    }

    [Fact]
    public void A_quiet_week_uses_the_absolute_sd_floor_and_the_minimum_count()
    {
        // Baseline all 0: sd floor 0.5. Two cases: 2 / 0.5 = 4 > 3, but 2 is below the minimum count 3. Three cases: 6, flagged.
        var two = OutbreakDetection.Ears([0, 0, 0, 0, 0, 0, 0, 2])[7].C1!;
        two.Value.ShouldBe(4);
        two.Flagged.ShouldBeFalse();

        OutbreakDetection.Ears([0, 0, 0, 0, 0, 0, 0, 3])[7].C1.ShouldBe(new EarsStatistic(6, 0, 0.5, true));
        OutbreakDetection.Ears([0, 0, 0, 0, 0, 0, 0, 2], EarsParameters.Default with { MinimumCount = 0 })[7].C1!.Flagged.ShouldBeTrue();
    }

    [Fact]
    public void A_date_map_fills_missing_days_with_zero()
    {
        var start = new DateOnly(2026, 7, 1);
        var counts = new Dictionary<DateOnly, int> { [start] = 2, [start.AddDays(3)] = 1, [start.AddDays(7)] = 5, [start.AddDays(30)] = 99 };

        var days = OutbreakDetection.Ears(counts, start, start.AddDays(7));

        days.Select(d => d.Count).ShouldBe([2, 0, 0, 1, 0, 0, 0, 5]);
        days[7].Date.ShouldBe(start.AddDays(7));
        // Baseline 2, 0, 0, 1, 0, 0, 0: mean 3/7; squares Σx² − 7 mean² = 5 − 9/7 = 26/7; sd = √(26/7 / 6) = √(26/42) = 0.787 (above the 0.5 floor);
        // C1 = (5 − 3/7) / 0.787 = 5.81 → flagged.
        days[7].C1!.Expected.ShouldBe(3.0 / 7, 1e-12);
        days[7].C1!.Value.ShouldBe((5 - (3.0 / 7)) / Math.Sqrt(26.0 / 42), 1e-12);
        days[7].C1!.Flagged.ShouldBeTrue();
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => OutbreakDetection.Ears([1, -1]));
        Should.Throw<ArgumentOutOfRangeException>(() => OutbreakDetection.Ears([1], new EarsParameters { MinimumStandardDeviation = 0 }));
        Should.Throw<ArgumentOutOfRangeException>(() => OutbreakDetection.Ears([1], new EarsParameters { BaselineDays = 1 }));
        Should.Throw<ArgumentException>(() => OutbreakDetection.Ears(new Dictionary<DateOnly, int>(), new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 1)));
    }

    [Fact]
    public void A_planted_outbreak_is_flagged()
    {
        // Poisson(10) for a year (seed 1), plus 15 cases on days 200, 201, 202.
        var counts = Synthetic.Poisson(seed: 1, days: 365, mean: 10);
        counts[200] += 15;
        counts[201] += 15;
        counts[202] += 15;

        var days = OutbreakDetection.Ears(counts);

        // C1 sees the first day; on the next days its 7-day baseline already holds the outbreak (which is why EARS has C2's lag).
        days[200].C1!.Flagged.ShouldBeTrue();
        days.Skip(200).Take(3).ShouldAllBe(d => d.C2!.Flagged && d.C3!.Flagged);
        days[203].C2!.Flagged.ShouldBeFalse();
    }

    [Fact]
    public void Planted_outbreaks_are_found_across_seeds()
    {
        // Seeds 1–20, +15 cases on days 200–202 of a Poisson(10) year. Measured: C3 flags at least one planted day in every run
        // (57 of the 60 planted days), C2 flags 53 of the 60 planted days, C1 flags the first planted day in 18 of 20 runs.
        // (Over seeds 1–200 and outbreaks at days 100, 200, 300: C2 92 %, C3 on the first day 93 % and on the later days 99.7 %,
        // C1 on the first day 94 % but only 11 % and 0.5 % on the second and third, its baseline holding the outbreak by then.)
        var c2 = 0;
        var c1First = 0;
        for (var seed = 1; seed <= 20; seed++)
        {
            var counts = Synthetic.Poisson(seed, 365, 10);
            for (var t = 200; t <= 202; t++)
            {
                counts[t] += 15;
            }
            var days = OutbreakDetection.Ears(counts);
            days.Skip(200).Take(3).ShouldContain(d => d.C3!.Flagged, $"seed {seed}");
            c2 += days.Skip(200).Take(3).Count(d => d.C2!.Flagged);
            c1First += days[200].C1!.Flagged ? 1 : 0;
        }
        c2.ShouldBeGreaterThanOrEqualTo(50); // 5 in 6
        c1First.ShouldBeGreaterThanOrEqualTo(17);
    }

    [Fact]
    public void Baseline_only_data_stays_below_the_false_alarm_bounds()
    {
        // Poisson(10), 365 days, seeds 1–20 (7,160 C1 days, 7,120 C2 days, 7,080 C3 days). Measured false-alarm rates:
        // C1 1.63 %, C2 1.57 %, C3 6.44 % (over seeds 1000–1499: C1 1.70 %, C2 1.69 %, C3 6.89 %); the worst single seed was
        // C1 2.79 % (seed 8), C2 2.53 % (seed 3), C3 9.32 % (seeds 8 and 17). Bounds asserted, with margin over the pooled rate:
        // C1 ≤ 2.5 %, C2 ≤ 2.5 %, C3 ≤ 9 %; and no single seed above 3 % for C2.
        // C3 is by design the most sensitive detector (it adds up three days of modest excess) and so alarms most often.
        long c1Days = 0, c1Flags = 0, c2Days = 0, c2Flags = 0, c3Days = 0, c3Flags = 0;
        for (var seed = 1; seed <= 20; seed++)
        {
            var days = OutbreakDetection.Ears(Synthetic.Poisson(seed, 365, 10));
            var seedC2Days = days.Count(d => d.C2 is not null);
            var seedC2Flags = days.Count(d => d.C2?.Flagged == true);
            ((double)seedC2Flags / seedC2Days).ShouldBeLessThanOrEqualTo(0.03, $"seed {seed}");
            c1Days += days.Count(d => d.C1 is not null);
            c1Flags += days.Count(d => d.C1?.Flagged == true);
            c2Days += seedC2Days;
            c2Flags += seedC2Flags;
            c3Days += days.Count(d => d.C3 is not null);
            c3Flags += days.Count(d => d.C3?.Flagged == true);
        }
        ((double)c1Flags / c1Days).ShouldBeLessThanOrEqualTo(0.025);
        ((double)c2Flags / c2Days).ShouldBeLessThanOrEqualTo(0.025);
        ((double)c3Flags / c3Days).ShouldBeLessThanOrEqualTo(0.09);
    }

    [Fact]
    public void The_expected_count_is_the_mean_of_C2s_baseline_once_C2_runs_and_of_C1s_before()
    {
        var from = new DateOnly(2026, 11, 1);
        var days = OutbreakDetection.Ears(new Dictionary<DateOnly, int>(), from, from.AddDays(12));
        OutbreakDetection.ExpectedBaseline(days[6]).ShouldBeNull("no detector runs before day 7");
        OutbreakDetection.ExpectedBaseline(days[7]).ShouldBe((from, from.AddDays(6)));
        OutbreakDetection.ExpectedBaseline(days[12]).ShouldBe((from.AddDays(3), from.AddDays(9)));
    }

    [Fact]
    public void The_published_expected_count_is_the_baseline_mean_to_two_decimals_and_hidden_when_a_baseline_day_is_suppressed()
    {
        var from = new DateOnly(2026, 11, 1);
        var counts = Enumerable.Range(0, 7).ToDictionary(i => from.AddDays(i), i => 10 + (i == 0 ? 1 : 0));
        var days = OutbreakDetection.Ears(counts, from, from.AddDays(7));
        OutbreakDetection.PublishedExpected(days[6], counts, k: 5).ShouldBeNull("no detector runs before day 7");
        OutbreakDetection.PublishedExpected(days[7], counts, k: 5).ShouldBe(10.14, "71 / 7 = 10.142…");

        counts[from.AddDays(3)] = 2;
        OutbreakDetection.PublishedExpected(days[7], counts, k: 5).ShouldBeNull("a count of 2 < k in the baseline week would be given away by the mean");
        counts[from.AddDays(3)] = 0;
        OutbreakDetection.PublishedExpected(days[7], counts, k: 5).ShouldBe(8.71, "a zero is not suppressed");
    }
}

/// <summary>Reproducible synthetic counts: System.Random with a seed (a seeded Random keeps its legacy algorithm across .NET versions) and Knuth's Poisson sampler.</summary>
internal static class Synthetic
{
    public static int[] Poisson(int seed, int days, double mean)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, days).Select(_ => Knuth(random, mean)).ToArray();
    }

    /// <summary>Knuth: multiply uniforms until the product drops below e^−mean; the number of factors minus one is Poisson(mean).</summary>
    private static int Knuth(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        var product = 1.0;
        do
        {
            k++;
            product *= random.NextDouble();
        }
        while (product > limit);
        return k - 1;
    }
}
