using System.Globalization;

namespace Telemed.Domain;

/// <summary>India's one time zone (IST, UTC+05:30, no daylight saving): the day a prescription expires, a visit counts on, a document shows.</summary>
public static class IndianTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromMinutes(330);

    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Offset).DateTime);

    /// <summary>"25 Nov 2026, 18:30 (IST)", as printed on prescriptions and receipts.</summary>
    public static string Stamp(DateTimeOffset at) => at.ToOffset(Offset).ToString("d MMM yyyy, HH:mm '(IST)'", CultureInfo.InvariantCulture);
}
