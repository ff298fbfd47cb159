using Telemed.Domain.Devices;

namespace Telemed.Domain.Tests.Devices;

public class GattParserTests
{
    private static readonly DateTime Stamp = new(2026, 12, 7, 9, 30, 15);

    public static TheoryData<int> ThreeFlagBits => [.. Enumerable.Range(0, 8)];

    public static TheoryData<int> FourFlagBits => [.. Enumerable.Range(0, 16)];

    public static TheoryData<int> FiveFlagBits => [.. Enumerable.Range(0, 32)];

    private static bool Bit(int flags, int bit) => (flags & (1 << bit)) != 0;

    private static DeviceReading Parsed(GattCharacteristic characteristic, byte[] value)
    {
        var result = GattParsers.Parse(characteristic, value);
        result.IsSuccess.ShouldBeTrue(result.IsSuccess ? "" : result.Error.Message);
        return result.Value;
    }

    /// <summary>Every shorter prefix names the field cut short; one byte more is refused too.</summary>
    private static void EveryTruncationAndExtraByteIsRefused(GattCharacteristic characteristic, byte[] value)
    {
        for (var length = 0; length < value.Length; length++)
        {
            var cut = GattParsers.Parse(characteristic, value[..length]);
            cut.IsSuccess.ShouldBeFalse($"{length} of {value.Length} bytes parsed");
            cut.Error.Message.ShouldStartWith(GattParsers.Name(characteristic));
            cut.Error.Message.ShouldContain("field needs bytes");
        }
        var longer = GattParsers.Parse(characteristic, [.. value, 0x00]);
        longer.IsSuccess.ShouldBeFalse();
        longer.Error.Message.ShouldContain("after the last field");
    }

    private static void Quantities(DeviceReading reading, params (VitalSign Sign, string Value, string Ucum)[] expected) =>
        reading.Quantities.Select(q => (q.Sign, q.Value, q.Ucum))
            .ShouldBe(expected.Select(e => (e.Sign, decimal.Parse(e.Value, System.Globalization.CultureInfo.InvariantCulture), e.Ucum)));

    [Theory]
    [MemberData(nameof(FiveFlagBits))]
    public void Blood_pressure_measurement_reads_every_combination_of_its_flags(int flags)
    {
        var kilopascal = Bit(flags, 0);
        var value = new GattValue().U8(flags)
            .When(kilopascal, v => v.SFloat(160, -1).SFloat(107, -1).SFloat(128, -1))
            .When(!kilopascal, v => v.SFloat(120, 0).SFloat(80, 0).SFloat(93, 0))
            .When(Bit(flags, 1), v => v.Time(2026, 12, 7, 9, 30, 15))
            .When(Bit(flags, 2), v => v.SFloat(72, 0))
            .When(Bit(flags, 3), v => v.U8(3))
            .When(Bit(flags, 4), v => v.U16(0b10_1101))
            .ToArray();

        var reading = Parsed(GattCharacteristic.BloodPressureMeasurement, value);

        List<(VitalSign, string, string)> expected = kilopascal
            ? [(VitalSign.Systolic, "120.0", "mm[Hg]"), (VitalSign.Diastolic, "80.3", "mm[Hg]"), (VitalSign.MeanArterialPressure, "96.0", "mm[Hg]")]
            : [(VitalSign.Systolic, "120", "mm[Hg]"), (VitalSign.Diastolic, "80", "mm[Hg]"), (VitalSign.MeanArterialPressure, "93", "mm[Hg]")];
        if (Bit(flags, 2))
        {
            expected.Add((VitalSign.PulseRate, "72", "/min"));
        }
        Quantities(reading, [.. expected]);
        reading.DeviceTime.ShouldBe(Bit(flags, 1) ? Stamp : null);
        reading.UserId.ShouldBe(Bit(flags, 3) ? 3 : null);
        reading.Status.ShouldBe(Bit(flags, 4)
            ? ["bodyMovementDetected", "irregularPulseDetected", "improperMeasurementPosition", "pulseRateExceedsUpperLimit"]
            : []);
        reading.Missing.ShouldBeEmpty();
        EveryTruncationAndExtraByteIsRefused(GattCharacteristic.BloodPressureMeasurement, value);
    }

    [Theory]
    [InlineData(0b00_000, new string[0])]
    [InlineData(0b01_000, new[] { "pulseRateExceedsUpperLimit" })]
    [InlineData(0b10_000, new[] { "pulseRateBelowLowerLimit" })]
    [InlineData(0b11_000, new string[0])]
    [InlineData(0b00_010, new[] { "cuffTooLoose" })]
    public void Blood_pressure_pulse_rate_range_is_a_two_bit_field(int status, string[] expected)
    {
        var value = new GattValue().U8(0x10).SFloat(120, 0).SFloat(80, 0).SFloat(93, 0).U16(status).ToArray();
        Parsed(GattCharacteristic.BloodPressureMeasurement, value).Status.ShouldBe(expected);
    }

    [Fact]
    public void A_cuff_that_could_not_measure_sends_special_values_which_are_no_reading()
    {
        var value = new GattValue().U8(0x04).Raw(0xFF, 0x07).Raw(0x00, 0x08).Raw(0x01, 0x08).Raw(0xFE, 0x07).ToArray();
        var reading = Parsed(GattCharacteristic.BloodPressureMeasurement, value);
        reading.Quantities.ShouldBeEmpty();
        reading.Missing.ShouldBe([
            new NoReading(VitalSign.Systolic, "NaN"), new NoReading(VitalSign.Diastolic, "NRes"),
            new NoReading(VitalSign.MeanArterialPressure, "reserved"), new NoReading(VitalSign.PulseRate, "+INFINITY"),
        ]);
    }

    [Fact]
    public void The_unknown_user_is_no_user()
    {
        var value = new GattValue().U8(0x08).SFloat(120, 0).SFloat(80, 0).SFloat(93, 0).U8(0xFF).ToArray();
        Parsed(GattCharacteristic.BloodPressureMeasurement, value).UserId.ShouldBeNull();
    }

    [Fact]
    public void Reserved_flag_bits_are_ignored_as_the_specification_requires()
    {
        var value = new GattValue().U8(0xE0).SFloat(120, 0).SFloat(80, 0).SFloat(93, 0).ToArray();
        Parsed(GattCharacteristic.BloodPressureMeasurement, value).Value(VitalSign.Systolic).ShouldBe(120m);
    }

    [Theory]
    [InlineData(0, 12, 7, true)]
    [InlineData(2026, 0, 7, true)]
    [InlineData(2026, 12, 0, true)]
    [InlineData(2026, 12, 7, false)]
    public void A_time_stamp_with_an_unknown_year_month_or_day_is_no_time(int year, int month, int day, bool unknown)
    {
        var value = new GattValue().U8(0x02).SFloat(120, 0).SFloat(80, 0).SFloat(93, 0).Time(year, month, day, 9, 30, 15).ToArray();
        Parsed(GattCharacteristic.BloodPressureMeasurement, value).DeviceTime.ShouldBe(unknown ? null : Stamp);
    }

    [Theory]
    [InlineData(2026, 13, 7, 9, 30, "not a time of day")]
    [InlineData(2026, 12, 7, 24, 30, "not a time of day")]
    [InlineData(2026, 12, 7, 9, 60, "not a time of day")]
    [InlineData(2026, 2, 30, 9, 30, "has no day 30")]
    [InlineData(1000, 2, 3, 9, 30, "outside 1582–9999")]
    public void A_time_stamp_that_is_no_date_is_refused(int year, int month, int day, int hours, int minutes, string message)
    {
        var value = new GattValue().U8(0x02).SFloat(120, 0).SFloat(80, 0).SFloat(93, 0).Time(year, month, day, hours, minutes, 0).ToArray();
        var result = GattParsers.Parse(GattCharacteristic.BloodPressureMeasurement, value);
        result.IsSuccess.ShouldBeFalse();
        result.Error.Message.ShouldContain("Time Stamp");
        result.Error.Message.ShouldContain(message);
    }

    [Theory]
    [MemberData(nameof(FiveFlagBits))]
    public void Plx_spot_check_reads_every_combination_of_its_flags(int flags)
    {
        var value = new GattValue().U8(flags).SFloat(97, 0).SFloat(72, 0)
            .When(Bit(flags, 0), v => v.Time(2026, 12, 7, 9, 30, 15))
            .When(Bit(flags, 1), v => v.U16(0x00A0))
            .When(Bit(flags, 2), v => v.U24(0x010020))
            .When(Bit(flags, 3), v => v.SFloat(35, -1))
            .ToArray();

        var reading = Parsed(GattCharacteristic.PlxSpotCheckMeasurement, value);

        List<(VitalSign, string, string)> expected = [(VitalSign.SpO2, "97", "%"), (VitalSign.PulseRate, "72", "/min")];
        if (Bit(flags, 3))
        {
            expected.Add((VitalSign.PulseAmplitudeIndex, "3.5", "%"));
        }
        Quantities(reading, [.. expected]);
        reading.DeviceTime.ShouldBe(Bit(flags, 0) && !Bit(flags, 4) ? Stamp : null);
        List<string> status = [];
        status.AddRange(Bit(flags, 1) ? ["measurementOngoing", "validatedData"] : []);
        status.AddRange(Bit(flags, 2) ? ["lowPerfusionDetected"] : []);
        status.AddRange(Bit(flags, 4) ? ["deviceClockNotSet"] : []);
        reading.Status.ShouldBe(status);
        EveryTruncationAndExtraByteIsRefused(GattCharacteristic.PlxSpotCheckMeasurement, value);
    }

    [Theory]
    [MemberData(nameof(FiveFlagBits))]
    public void Plx_continuous_reads_every_combination_of_its_flags(int flags)
    {
        var value = new GattValue().U8(flags).SFloat(98, 0).SFloat(70, 0)
            .When(Bit(flags, 0), v => v.SFloat(97, 0).SFloat(71, 0))
            .When(Bit(flags, 1), v => v.SFloat(96, 0).SFloat(69, 0))
            .When(Bit(flags, 2), v => v.U16(0x8000))
            .When(Bit(flags, 3), v => v.U24(0x008000))
            .When(Bit(flags, 4), v => v.SFloat(120, -2))
            .ToArray();

        var reading = Parsed(GattCharacteristic.PlxContinuousMeasurement, value);

        List<(VitalSign, string, string)> expected = [(VitalSign.SpO2, "98", "%"), (VitalSign.PulseRate, "70", "/min")];
        if (Bit(flags, 0))
        {
            expected.AddRange([(VitalSign.SpO2Fast, "97", "%"), (VitalSign.PulseRateFast, "71", "/min")]);
        }
        if (Bit(flags, 1))
        {
            expected.AddRange([(VitalSign.SpO2Slow, "96", "%"), (VitalSign.PulseRateSlow, "69", "/min")]);
        }
        if (Bit(flags, 4))
        {
            expected.Add((VitalSign.PulseAmplitudeIndex, "1.20", "%"));
        }
        Quantities(reading, [.. expected]);
        List<string> status = [];
        status.AddRange(Bit(flags, 2) ? ["invalidMeasurementDetected"] : []);
        status.AddRange(Bit(flags, 3) ? ["sensorDisconnected"] : []);
        reading.Status.ShouldBe(status);
        reading.DeviceTime.ShouldBeNull();
        EveryTruncationAndExtraByteIsRefused(GattCharacteristic.PlxContinuousMeasurement, value);
    }

    [Theory]
    [MemberData(nameof(ThreeFlagBits))]
    public void Temperature_measurement_reads_every_combination_of_its_flags(int flags)
    {
        var fahrenheit = Bit(flags, 0);
        var value = new GattValue().U8(flags)
            .When(fahrenheit, v => v.Float(1004, -1))
            .When(!fahrenheit, v => v.Float(366, -1))
            .When(Bit(flags, 1), v => v.Time(2026, 12, 7, 9, 30, 15))
            .When(Bit(flags, 2), v => v.U8(6))
            .ToArray();

        var reading = Parsed(GattCharacteristic.TemperatureMeasurement, value);

        Quantities(reading, (VitalSign.BodyTemperature, fahrenheit ? "38.00" : "36.6", "Cel"));
        reading.DeviceTime.ShouldBe(Bit(flags, 1) ? Stamp : null);
        reading.BodySite.ShouldBe(Bit(flags, 2) ? "mouth" : null);
        EveryTruncationAndExtraByteIsRefused(GattCharacteristic.TemperatureMeasurement, value);
    }

    [Theory]
    [InlineData(0x007FFFFF, "NaN")]
    [InlineData(0x00800000, "NRes")]
    [InlineData(0x007FFFFE, "+INFINITY")]
    [InlineData(0x00800002, "-INFINITY")]
    [InlineData(0x00800001, "reserved")]
    public void A_thermometer_s_float_special_value_is_no_temperature(int raw, string reason)
    {
        var value = new GattValue().U8(0).U24(raw & 0xFFFFFF).U8(raw >> 24).ToArray();
        var reading = Parsed(GattCharacteristic.TemperatureMeasurement, value);
        reading.Quantities.ShouldBeEmpty();
        reading.Missing.ShouldBe([new NoReading(VitalSign.BodyTemperature, reason)]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void A_reserved_temperature_type_is_refused(int type)
    {
        var result = GattParsers.Parse(GattCharacteristic.TemperatureMeasurement, new GattValue().U8(0x04).Float(366, -1).U8(type).ToArray());
        result.IsSuccess.ShouldBeFalse();
        result.Error.Message.ShouldContain("Temperature Type");
    }

    [Theory]
    [MemberData(nameof(FourFlagBits))]
    public void Weight_measurement_reads_every_combination_of_its_flags(int flags)
    {
        var imperial = Bit(flags, 0);
        var value = new GattValue().U8(flags).U16(imperial ? 15400 : 14000)
            .When(Bit(flags, 1), v => v.Time(2026, 12, 7, 9, 30, 15))
            .When(Bit(flags, 2), v => v.U8(1))
            .When(Bit(flags, 3), v => v.U16(229).U16(imperial ? 689 : 1750))
            .ToArray();

        var reading = Parsed(GattCharacteristic.WeightMeasurement, value);

        List<(VitalSign, string, string)> expected = [(VitalSign.BodyWeight, imperial ? "69.853" : "70.000", "kg")];
        if (Bit(flags, 3))
        {
            expected.AddRange([(VitalSign.BodyMassIndex, "22.9", "kg/m2"), (VitalSign.BodyHeight, "1.750", "m")]);
        }
        Quantities(reading, [.. expected]);
        reading.DeviceTime.ShouldBe(Bit(flags, 1) ? Stamp : null);
        reading.UserId.ShouldBe(Bit(flags, 2) ? 1 : null);
        EveryTruncationAndExtraByteIsRefused(GattCharacteristic.WeightMeasurement, value);
    }

    [Fact]
    public void An_unsuccessful_weighing_is_no_weight()
    {
        var reading = Parsed(GattCharacteristic.WeightMeasurement, new GattValue().U8(0).U16(0xFFFF).ToArray());
        reading.Quantities.ShouldBeEmpty();
        reading.Missing.ShouldBe([new NoReading(VitalSign.BodyWeight, "measurementUnsuccessful")]);
    }

    [Theory]
    [MemberData(nameof(FiveFlagBits))]
    public void Glucose_measurement_reads_every_combination_of_its_flags(int flags)
    {
        var molar = Bit(flags, 2);
        var value = new GattValue().U8(flags).U16(42).Time(2026, 12, 7, 8, 0, 0)
            .When(Bit(flags, 0), v => v.U16(-15))
            .When(Bit(flags, 1) && molar, v => v.SFloat(55, -4).U8(0x11))
            .When(Bit(flags, 1) && !molar, v => v.SFloat(99, -5).U8(0x11))
            .When(Bit(flags, 3), v => v.U16(0x0001))
            .ToArray();

        var reading = Parsed(GattCharacteristic.GlucoseMeasurement, value);

        if (Bit(flags, 1))
        {
            Quantities(reading, (VitalSign.Glucose, molar ? "99.1" : "99.0", "mg/dL"));
        }
        else
        {
            reading.Quantities.ShouldBeEmpty();
        }
        reading.SequenceNumber.ShouldBe(42);
        reading.DeviceTime.ShouldBe(new DateTime(2026, 12, 7, 8, 0, 0).AddMinutes(Bit(flags, 0) ? -15 : 0));
        reading.Specimen.ShouldBe(Bit(flags, 1) ? "capillaryWholeBlood" : null);
        reading.BodySite.ShouldBe(Bit(flags, 1) ? "finger" : null);
        List<string> status = [];
        status.AddRange(Bit(flags, 3) ? ["deviceBatteryLow"] : []);
        status.AddRange(Bit(flags, 4) ? ["contextInformationFollows"] : []);
        reading.Status.ShouldBe(status);
        EveryTruncationAndExtraByteIsRefused(GattCharacteristic.GlucoseMeasurement, value);
    }

    [Theory]
    [InlineData(0x10, "Type 0 is reserved")]
    [InlineData(0x1B, "Type 11 is reserved")]
    [InlineData(0x51, "Sample Location 5 is reserved")]
    public void Reserved_glucose_types_and_locations_are_refused(int typeAndLocation, string message)
    {
        var value = new GattValue().U8(0x02).U16(1).Time(2026, 12, 7, 8, 0, 0).SFloat(99, -5).U8(typeAndLocation).ToArray();
        var result = GattParsers.Parse(GattCharacteristic.GlucoseMeasurement, value);
        result.IsSuccess.ShouldBeFalse();
        result.Error.Message.ShouldContain(message);
    }

    [Theory]
    [InlineData("2a35", GattCharacteristic.BloodPressureMeasurement)]
    [InlineData("0x2A5E", GattCharacteristic.PlxSpotCheckMeasurement)]
    [InlineData("00002a1c-0000-1000-8000-00805f9b34fb", GattCharacteristic.TemperatureMeasurement)]
    public void Characteristics_are_named_by_their_uuid(string raw, GattCharacteristic expected) =>
        GattParsers.Characteristic(raw).Value.ShouldBe(expected);

    [Theory]
    [InlineData("2a36")]
    [InlineData("heart")]
    [InlineData(null)]
    public void Other_characteristics_are_refused(string? raw) =>
        GattParsers.Characteristic(raw).Error.Message.ShouldContain("0x2A35 Blood Pressure Measurement");
}
