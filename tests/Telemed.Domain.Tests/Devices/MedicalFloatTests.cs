using Telemed.Domain.Devices;

namespace Telemed.Domain.Tests.Devices;

public class MedicalFloatTests
{
    [Theory]
    [InlineData((ushort)0x0072, "114")]
    [InlineData((ushort)0xF16E, "36.6")]
    [InlineData((ushort)0x0FFF, "-1")]
    [InlineData((ushort)0x2005, "500")]
    [InlineData((ushort)0x8001, "0.00000001")]
    [InlineData((ushort)0xE800, "-20.48")]
    [InlineData((ushort)0x07FD, "2045")]
    [InlineData((ushort)0x0000, "0")]
    public void An_sfloat_is_mantissa_times_ten_to_the_exponent_both_twos_complement(ushort raw, string expected)
    {
        var number = MedicalFloat.FromSFloat(raw);
        number.Special.ShouldBeNull();
        number.Value.ShouldBe(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData((ushort)0x07FF, MedicalFloatSpecial.NotANumber)]
    [InlineData((ushort)0x0800, MedicalFloatSpecial.NotAtThisResolution)]
    [InlineData((ushort)0x07FE, MedicalFloatSpecial.PositiveInfinity)]
    [InlineData((ushort)0x0802, MedicalFloatSpecial.NegativeInfinity)]
    [InlineData((ushort)0x0801, MedicalFloatSpecial.Reserved)]
    public void Sfloat_special_values_are_no_reading_not_a_number(ushort raw, MedicalFloatSpecial special)
    {
        var number = MedicalFloat.FromSFloat(raw);
        number.Value.ShouldBeNull();
        number.Special.ShouldBe(special);
    }

    [Theory]
    [InlineData(0xFF00016Eu, "36.6")]
    [InlineData(0xFE000E4Du, "36.61")]
    [InlineData(0x00000062u, "98")]
    [InlineData(0x00FFFFFFu, "-1")]
    [InlineData(0x02000001u, "100")]
    [InlineData(0xE4000001u, "0.0000000000000000000000000001")]
    public void A_float_has_an_eight_bit_exponent_and_a_24_bit_mantissa(uint raw, string expected)
    {
        var number = MedicalFloat.FromFloat(raw);
        number.Special.ShouldBeNull();
        number.Value.ShouldBe(decimal.Parse(expected, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(0x007FFFFFu, MedicalFloatSpecial.NotANumber)]
    [InlineData(0x00800000u, MedicalFloatSpecial.NotAtThisResolution)]
    [InlineData(0x007FFFFEu, MedicalFloatSpecial.PositiveInfinity)]
    [InlineData(0x00800002u, MedicalFloatSpecial.NegativeInfinity)]
    [InlineData(0x00800001u, MedicalFloatSpecial.Reserved)]
    [InlineData(0x7F000001u, MedicalFloatSpecial.OutOfRange)]
    [InlineData(0x80000001u, MedicalFloatSpecial.OutOfRange)]
    public void Float_special_values_and_numbers_beyond_a_decimal_are_no_reading(uint raw, MedicalFloatSpecial special)
    {
        var number = MedicalFloat.FromFloat(raw);
        number.Value.ShouldBeNull();
        number.Special.ShouldBe(special);
    }

    [Fact]
    public void Special_values_carry_the_standard_s_names()
    {
        Enum.GetValues<MedicalFloatSpecial>().Select(MedicalFloat.Name)
            .ShouldBe(["NaN", "NRes", "+INFINITY", "-INFINITY", "reserved", "out of range"]);
    }
}
