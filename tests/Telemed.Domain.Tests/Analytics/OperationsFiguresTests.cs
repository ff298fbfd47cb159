using Telemed.Domain.Analytics;

namespace Telemed.Domain.Tests.Analytics;

public class OperationsFiguresTests
{
    private static TimeSpan[] Minutes(params int[] minutes) => minutes.Select(m => TimeSpan.FromMinutes(m)).ToArray();

    [Fact]
    public void The_90th_percentile_is_the_value_at_rank_ceiling_of_90_percent_of_n()
    {
        // n = 10: rank ⌈0.9 × 10⌉ = 9 → the 9th smallest, 18 minutes (input unsorted on purpose).
        OperationsFigures.Percentile90(Minutes(20, 2, 18, 4, 16, 6, 14, 8, 12, 10)).ShouldBe(TimeSpan.FromMinutes(18));
        // n = 5: rank ⌈4.5⌉ = 5 → the largest.
        OperationsFigures.Percentile90(Minutes(1, 2, 3, 4, 5)).ShouldBe(TimeSpan.FromMinutes(5));
        // n = 11: rank ⌈9.9⌉ = 10.
        OperationsFigures.Percentile90(Minutes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)).ShouldBe(TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void The_median_is_the_nearest_rank_50th_percentile()
    {
        // n = 5: rank ⌈2.5⌉ = 3 → the middle value.
        OperationsFigures.Median(Minutes(9, 1, 5, 3, 7)).ShouldBe(TimeSpan.FromMinutes(5));
        // n = 4: rank ⌈2⌉ = 2 → the lower middle value, 3 (not the average 4).
        OperationsFigures.Median(Minutes(1, 3, 5, 7)).ShouldBe(TimeSpan.FromMinutes(3));
        OperationsFigures.Median(Minutes(42)).ShouldBe(TimeSpan.FromMinutes(42));
    }

    [Fact]
    public void Other_percentiles()
    {
        var values = Minutes(15, 20, 35, 40, 50);
        // The classic example: 5th → rank 1 (15), 30th → rank 2 (20), 40th → rank 2 (20), 50th → rank 3 (35), 100th → rank 5 (50).
        OperationsFigures.Percentile(values, 5).ShouldBe(TimeSpan.FromMinutes(15));
        OperationsFigures.Percentile(values, 30).ShouldBe(TimeSpan.FromMinutes(20));
        OperationsFigures.Percentile(values, 40).ShouldBe(TimeSpan.FromMinutes(20));
        OperationsFigures.Percentile(values, 50).ShouldBe(TimeSpan.FromMinutes(35));
        OperationsFigures.Percentile(values, 100).ShouldBe(TimeSpan.FromMinutes(50));
    }

    [Fact]
    public void Empty_input_gives_null()
    {
        OperationsFigures.Median([]).ShouldBeNull();
        OperationsFigures.Percentile90([]).ShouldBeNull();
        OperationsFigures.Share(0, 0).ShouldBeNull();
        OperationsFigures.Share(Array.Empty<string>(), _ => true).ShouldBeNull();
    }

    [Fact]
    public void Shares_are_fractions()
    {
        OperationsFigures.Share(1, 4).ShouldBe(0.25);
        OperationsFigures.Share(0, 3).ShouldBe(0);
        OperationsFigures.Share(["video", "audio", "audio", "chat", "video"], medium => medium == "audio").ShouldBe(0.4);
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => OperationsFigures.Percentile(Minutes(1), 0));
        Should.Throw<ArgumentOutOfRangeException>(() => OperationsFigures.Percentile(Minutes(1), 101));
        Should.Throw<ArgumentOutOfRangeException>(() => OperationsFigures.Share(5, 4));
        Should.Throw<ArgumentOutOfRangeException>(() => OperationsFigures.Share(-1, 4));
    }
}
