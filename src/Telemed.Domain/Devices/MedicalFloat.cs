namespace Telemed.Domain.Devices;

/// <summary>
/// The values IEEE 11073-20601 reserves in its SFLOAT and FLOAT types. A device sends one of them when it has no
/// number to give (a cuff that lost the pulse, a sensor off the finger): each means "no reading", never a number.
/// </summary>
public enum MedicalFloatSpecial
{
    NotANumber,
    NotAtThisResolution,
    PositiveInfinity,
    NegativeInfinity,
    Reserved,

    /// <summary>A finite FLOAT too large (or too small) for a decimal: no physiological quantity is ever one.</summary>
    OutOfRange,
}

/// <summary>
/// An IEEE 11073-20601 number as medical devices send it over Bluetooth: SFLOAT (16 bits, 4-bit exponent, 12-bit
/// mantissa) or FLOAT (32 bits, 8-bit exponent, 24-bit mantissa), both base 10 and two's complement. Decoded exactly
/// (decimal, not binary floating point), so 36.6 stays 36.6.
/// </summary>
public readonly record struct MedicalFloat(decimal? Value, MedicalFloatSpecial? Special)
{
    public bool HasValue => Value is not null;

    public static MedicalFloat FromSFloat(ushort raw) => raw switch
    {
        0x07FF => new(null, MedicalFloatSpecial.NotANumber),
        0x0800 => new(null, MedicalFloatSpecial.NotAtThisResolution),
        0x07FE => new(null, MedicalFloatSpecial.PositiveInfinity),
        0x0802 => new(null, MedicalFloatSpecial.NegativeInfinity),
        0x0801 => new(null, MedicalFloatSpecial.Reserved),
        _ => Scaled(SignExtend(raw & 0x0FFF, 12), SignExtend(raw >> 12, 4)),
    };

    public static MedicalFloat FromFloat(uint raw) => raw switch
    {
        0x007FFFFF => new(null, MedicalFloatSpecial.NotANumber),
        0x00800000 => new(null, MedicalFloatSpecial.NotAtThisResolution),
        0x007FFFFE => new(null, MedicalFloatSpecial.PositiveInfinity),
        0x00800002 => new(null, MedicalFloatSpecial.NegativeInfinity),
        0x00800001 => new(null, MedicalFloatSpecial.Reserved),
        _ => Scaled(SignExtend((int)(raw & 0x00FFFFFF), 24), (sbyte)(raw >> 24)),
    };

    /// <summary>The special value's name as the standard writes it (NaN, NRes, +INFINITY, -INFINITY, reserved).</summary>
    public static string Name(MedicalFloatSpecial special) => special switch
    {
        MedicalFloatSpecial.NotANumber => "NaN",
        MedicalFloatSpecial.NotAtThisResolution => "NRes",
        MedicalFloatSpecial.PositiveInfinity => "+INFINITY",
        MedicalFloatSpecial.NegativeInfinity => "-INFINITY",
        MedicalFloatSpecial.Reserved => "reserved",
        _ => "out of range",
    };

    private static int SignExtend(int value, int bits) => value >= 1 << (bits - 1) ? value - (1 << bits) : value;

    private static MedicalFloat Scaled(int mantissa, int exponent)
    {
        if (mantissa == 0)
        {
            return new(0m, null);
        }
        if (exponent < 0)
        {
            // decimal carries at most 28 decimal places; anything finer is not a measurement.
            return -exponent > 28 ? new(null, MedicalFloatSpecial.OutOfRange) : new(new decimal(Math.Abs(mantissa), 0, 0, mantissa < 0, (byte)-exponent), null);
        }
        // |mantissa| < 2^23 (7 digits) and decimal holds 28 digits: 10^21 keeps every product in range.
        if (exponent > 21)
        {
            return new(null, MedicalFloatSpecial.OutOfRange);
        }
        var value = (decimal)mantissa;
        for (var i = 0; i < exponent; i++)
        {
            value *= 10;
        }
        return new(value, null);
    }
}
