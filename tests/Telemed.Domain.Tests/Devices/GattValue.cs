namespace Telemed.Domain.Tests.Devices;

/// <summary>Builds a characteristic value field by field, little-endian, as the GATT specifications lay them out.</summary>
internal sealed class GattValue
{
    private readonly List<byte> bytes = [];

    public GattValue U8(int value)
    {
        bytes.Add((byte)value);
        return this;
    }

    public GattValue U16(int value) => U8(value & 0xFF).U8((value >> 8) & 0xFF);

    public GattValue U24(int value) => U16(value & 0xFFFF).U8((value >> 16) & 0xFF);

    /// <summary>IEEE 11073 SFLOAT: 4-bit exponent over a 12-bit mantissa.</summary>
    public GattValue SFloat(int mantissa, int exponent) => U16(((exponent & 0xF) << 12) | (mantissa & 0xFFF));

    /// <summary>IEEE 11073 FLOAT: 8-bit exponent over a 24-bit mantissa.</summary>
    public GattValue Float(int mantissa, int exponent) => U24(mantissa & 0xFFFFFF).U8(exponent & 0xFF);

    public GattValue Raw(params byte[] raw)
    {
        bytes.AddRange(raw);
        return this;
    }

    /// <summary>The Date Time characteristic: year (uint16), month, day, hours, minutes, seconds.</summary>
    public GattValue Time(int year, int month, int day, int hours, int minutes, int seconds) =>
        U16(year).U8(month).U8(day).U8(hours).U8(minutes).U8(seconds);

    public GattValue When(bool condition, Func<GattValue, GattValue> add) => condition ? add(this) : this;

    public byte[] ToArray() => [.. bytes];
}
