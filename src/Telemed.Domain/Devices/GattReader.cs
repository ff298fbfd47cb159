namespace Telemed.Domain.Devices;

/// <summary>
/// Reads a characteristic value field by field, little-endian as GATT sends it. Running out of bytes names the field
/// that was cut short; <see cref="GattParsers.Parse"/> turns that into an <see cref="Invalid"/>.
/// </summary>
internal sealed class GattReader(byte[] bytes, string characteristic)
{
    private int offset;

    public string Characteristic { get; } = characteristic;

    public byte Byte(string field) => Take(field, 1)[0];

    public ushort UInt16(string field)
    {
        var span = Take(field, 2);
        return (ushort)(span[0] | span[1] << 8);
    }

    public short Int16(string field) => (short)UInt16(field);

    public uint UInt24(string field)
    {
        var span = Take(field, 3);
        return (uint)(span[0] | span[1] << 8 | span[2] << 16);
    }

    public MedicalFloat SFloat(string field) => MedicalFloat.FromSFloat(UInt16(field));

    public MedicalFloat Float(string field)
    {
        var span = Take(field, 4);
        return MedicalFloat.FromFloat((uint)(span[0] | span[1] << 8 | span[2] << 16 | span[3] << 24));
    }

    /// <summary>The Date Time characteristic's 7 bytes. Year, month or day 0 means the device does not know: no time.</summary>
    public DateTime? DateTime(string field)
    {
        var year = UInt16($"{field} year");
        var month = Byte($"{field} month");
        var day = Byte($"{field} day");
        var hours = Byte($"{field} hours");
        var minutes = Byte($"{field} minutes");
        var seconds = Byte($"{field} seconds");
        if (year != 0 && year is < 1582 or > 9999)
        {
            throw Malformed($"{field}: year {year} is outside 1582–9999.");
        }
        if (month > 12 || hours > 23 || minutes > 59 || seconds > 59)
        {
            throw Malformed($"{field}: {year:D4}-{month:D2}-{day:D2} {hours:D2}:{minutes:D2}:{seconds:D2} is not a time of day.");
        }
        if (year == 0 || month == 0 || day == 0)
        {
            return null;
        }
        if (day > System.DateTime.DaysInMonth(year, month))
        {
            throw Malformed($"{field}: {year:D4}-{month:D2} has no day {day}.");
        }
        return new System.DateTime(year, month, day, hours, minutes, seconds, DateTimeKind.Unspecified);
    }

    /// <summary>Fields end where the flags say; anything after them is not a value of this characteristic.</summary>
    public void End()
    {
        if (offset != bytes.Length)
        {
            throw Malformed($"{bytes.Length - offset} byte(s) after the last field the flags announce (value is {bytes.Length} bytes, fields end at {offset}).");
        }
    }

    public GattFormatException Malformed(string message) => new($"{Characteristic}: {message}");

    private ReadOnlySpan<byte> Take(string field, int count)
    {
        if (offset + count > bytes.Length)
        {
            throw Malformed($"the value ends after {bytes.Length} byte(s), but the {field} field needs bytes {offset}–{offset + count - 1}.");
        }
        var span = bytes.AsSpan(offset, count);
        offset += count;
        return span;
    }
}

internal sealed class GattFormatException(string message) : Exception(message);
