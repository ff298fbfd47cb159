using Telemed.Domain.Analytics;

namespace Telemed.Domain.Tests.Analytics;

public class SuppressionTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, null)]
    [InlineData(4, null)]
    [InlineData(5, 5)]
    [InlineData(120, 120)]
    public void Counts_from_one_to_k_minus_one_are_suppressed_and_zero_is_kept(int count, int? expected) =>
        Suppression.Cell(count).ShouldBe(expected);

    [Fact]
    public void K_can_be_chosen()
    {
        Suppression.Cell(9, k: 10).ShouldBeNull();
        Suppression.Cell(10, k: 10).ShouldBe(10);
        Suppression.Cell(1, k: 1).ShouldBe(1);
    }

    [Fact]
    public void Cells_are_suppressed_one_by_one_without_totals() =>
        Suppression.Cells([0, 3, 12, 7]).ShouldBe([0, null, 12, 7]);

    [Fact]
    public void A_lone_suppressed_cell_takes_the_next_smallest_cell_with_it()
    {
        // Total 3 + 12 + 7 + 30 = 52 would give away the 3; the 7 is suppressed too.
        Suppression.Row([3, 12, 7, 30]).ShouldBe([null, 12, null, 30]);
    }

    [Fact]
    public void Zero_is_only_taken_when_nothing_else_is_left()
    {
        Suppression.Row([0, 3, 9]).ShouldBe([0, null, null]);
        Suppression.Row([0, 3, 0]).ShouldBe([null, null, 0]);
    }

    [Fact]
    public void Two_suppressed_cells_need_nothing_more() =>
        Suppression.Row([2, 4, 50, 60]).ShouldBe([null, null, 50, 60]);

    [Fact]
    public void Ties_take_the_first_cell() => Suppression.Row([8, 2, 8]).ShouldBe([null, null, 8]);

    [Fact]
    public void A_single_cell_row_is_left_to_the_caller() => Suppression.Row([3]).ShouldBe([null]);

    [Fact]
    public void A_table_is_protected_along_rows_and_columns()
    {
        // Row 0 has one small cell (2): its smallest other cell, 10, goes too. That leaves column 1 (10, 20, 30) with one
        // suppressed cell, so its smallest other, 20, goes; then row 1 (6, 20, 7) has one, so 6 goes; then column 0 (2, 6, 9)
        // has two. Every row and column now has none or at least two.
        var table = Suppression.Table(
        [
            [2, 10, 40],
            [6, 20, 7],
            [9, 30, 11],
        ]);

        table[0].ShouldBe([null, null, 40]);
        table[1].ShouldBe([null, null, 7]);
        table[2].ShouldBe([9, 30, 11]);
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Suppression.Cell(-1));
        Should.Throw<ArgumentOutOfRangeException>(() => Suppression.Cell(3, k: 0));
        Should.Throw<ArgumentException>(() => Suppression.Table([[1, 2], [3]]));
    }

    [Fact]
    public void A_mean_over_a_suppressed_count_is_suppressed_too()
    {
        Suppression.Mean([10, 12, 0, 8], k: 5).ShouldBe(7.5);
        // With the other counts published, 4 × the mean would give the 3 away.
        Suppression.Mean([10, 12, 3, 8], k: 5).ShouldBeNull();
        Suppression.Mean([], k: 5).ShouldBeNull();
    }
}
