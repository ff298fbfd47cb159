namespace Telemed.Domain.Analytics;

/// <summary>
/// Small-cell suppression for published aggregate tables (k-anonymity on counts): a count from 1 to k − 1 could single
/// out a patient, so it is replaced by null ("suppressed", shown as e.g. "&lt;5").
/// <para>
/// Zero is kept as zero: it describes nobody, and hiding zeros would hide most of a sparse table for no protection.
/// (If the mere absence of a group is sensitive in your table, suppress the whole table instead.)
/// </para>
/// <para>
/// Complementary suppression: when the totals are published, a row (or column) with exactly one suppressed cell gives
/// it away by subtraction, so the next smallest cell of that line is suppressed too — the smallest non-zero cell, or a
/// zero when nothing else is left. A line whose total is itself below k still gives away the sum of its suppressed
/// cells: suppress that total with <see cref="Cell"/>.
/// </para>
/// </summary>
public static class Suppression
{
    public const int DefaultK = 5;

    /// <summary>The count, or null when it is between 1 and k − 1.</summary>
    public static int? Cell(int count, int k = DefaultK)
    {
        Check(k);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return count >= 1 && count < k ? null : count;
    }

    /// <summary>
    /// The mean of the counts, or null when any of them is suppressed: a published mean gives away the sum of the
    /// suppressed counts in it and, from one sliding window to the next, each of them.
    /// </summary>
    public static double? Mean(IReadOnlyCollection<int> counts, int k = DefaultK)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return counts.Count == 0 || counts.Any(count => Cell(count, k) is null) ? null : counts.Average();
    }

    /// <summary>Primary suppression only, cell by cell (for tables whose totals are not published).</summary>
    public static IReadOnlyList<int?> Cells(IReadOnlyList<int> counts, int k = DefaultK)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return counts.Select(count => Cell(count, k)).ToList();
    }

    /// <summary>Primary and complementary suppression of one row whose total is published.</summary>
    public static IReadOnlyList<int?> Row(IReadOnlyList<int> counts, int k = DefaultK) => Table([counts], k)[0];

    /// <summary>
    /// Primary and complementary suppression of a rectangular table (rows of equal length) whose row and column
    /// totals are published: complementary suppression is repeated over rows and columns until no row and no column
    /// has exactly one suppressed cell (where it has more than one cell).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int?>> Table(IReadOnlyList<IReadOnlyList<int>> rows, int k = DefaultK)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Check(k);
        var width = rows.Count == 0 ? 0 : rows[0].Count;
        if (rows.Any(row => row is null || row.Count != width))
        {
            throw new ArgumentException("Every row needs the same number of cells.", nameof(rows));
        }
        var suppressed = rows.Select(row => row.Select(count => Cell(count, k) is null).ToArray()).ToArray();
        var lines = Enumerable.Range(0, rows.Count).Select(r => Enumerable.Range(0, width).Select(c => (r, c)).ToArray())
            .Concat(Enumerable.Range(0, width).Select(c => Enumerable.Range(0, rows.Count).Select(r => (r, c)).ToArray()))
            .ToList();
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var line in lines)
            {
                if (line.Length > 1 && line.Count(cell => suppressed[cell.r][cell.c]) == 1)
                {
                    var (r, c) = line.Where(cell => !suppressed[cell.r][cell.c])
                        .OrderBy(cell => rows[cell.r][cell.c] == 0)
                        .ThenBy(cell => rows[cell.r][cell.c])
                        .First();
                    suppressed[r][c] = true;
                    changed = true;
                }
            }
        }
        return rows.Select((row, r) => (IReadOnlyList<int?>)row.Select((count, c) => suppressed[r][c] ? null : (int?)count).ToList()).ToList();
    }

    private static void Check(int k)
    {
        if (k < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(k), "k is at least 1 (1 suppresses nothing).");
        }
    }
}
