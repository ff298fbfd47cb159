using Telemed.Domain.Consultations;

namespace Telemed.Domain.Devices;

/// <summary>
/// Decodes the health-device characteristics of the Bluetooth SIG GATT specifications (Blood Pressure, Pulse
/// Oximeter, Health Thermometer, Weight Scale and Glucose services) into canonical units: mm[Hg], /min, %, Cel, kg,
/// m, kg/m2, mg/dL. Fields holding an IEEE 11073 special value are reported as missing, never as numbers. Flag bits
/// the specifications reserve are ignored, as they require of a receiver; bytes the flags do not account for, and a
/// value cut short, are refused with the field named.
/// </summary>
public static class GattParsers
{
    public const decimal MmHgPerKilopascal = 7.50061683m;
    public const decimal KilogramsPerPound = 0.45359237m;
    public const decimal MetresPerInch = 0.0254m;

    public static Result<DeviceReading, Invalid> Parse(GattCharacteristic characteristic, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var reader = new GattReader(value, Name(characteristic));
        try
        {
            var reading = characteristic switch
            {
                GattCharacteristic.BloodPressureMeasurement => BloodPressure(reader),
                GattCharacteristic.PlxSpotCheckMeasurement => PlxSpotCheck(reader),
                GattCharacteristic.PlxContinuousMeasurement => PlxContinuous(reader),
                GattCharacteristic.TemperatureMeasurement => Temperature(reader),
                GattCharacteristic.WeightMeasurement => Weight(reader),
                GattCharacteristic.GlucoseMeasurement => Glucose(reader),
                _ => throw reader.Malformed("not a characteristic Telemed reads."),
            };
            reader.End();
            return reading;
        }
        catch (GattFormatException malformed)
        {
            return new Invalid(malformed.Message);
        }
    }

    /// <summary>The characteristic named by its 16-bit UUID as hex ("2a35", "0x2A35") or as the full Bluetooth base UUID.</summary>
    public static Result<GattCharacteristic, Invalid> Characteristic(string? raw)
    {
        var text = raw?.Trim().ToLowerInvariant() ?? "";
        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            text = text[2..];
        }
        if (text.Length == 36 && text.StartsWith("0000", StringComparison.Ordinal) && text.EndsWith("-0000-1000-8000-00805f9b34fb", StringComparison.Ordinal))
        {
            text = text[4..8];
        }
        return text.Length == 4 && ushort.TryParse(text, System.Globalization.NumberStyles.HexNumber, null, out var uuid)
            && Enum.IsDefined((GattCharacteristic)uuid)
            ? (GattCharacteristic)uuid
            : new Invalid($"'{raw}' is not one of the characteristics read: {string.Join(", ", Enum.GetValues<GattCharacteristic>().Select(c => $"0x{(ushort)c:X4} {Name(c)}"))}.");
    }

    public static string Name(GattCharacteristic characteristic) => characteristic switch
    {
        GattCharacteristic.BloodPressureMeasurement => "Blood Pressure Measurement",
        GattCharacteristic.PlxSpotCheckMeasurement => "PLX Spot-check Measurement",
        GattCharacteristic.PlxContinuousMeasurement => "PLX Continuous Measurement",
        GattCharacteristic.TemperatureMeasurement => "Temperature Measurement",
        GattCharacteristic.WeightMeasurement => "Weight Measurement",
        GattCharacteristic.GlucoseMeasurement => "Glucose Measurement",
        _ => $"Characteristic 0x{(ushort)characteristic:X4}",
    };

    private sealed class Fields
    {
        public List<DeviceQuantity> Quantities { get; } = [];

        public List<NoReading> Missing { get; } = [];

        public List<string> Status { get; } = [];

        public void Add(VitalSign sign, MedicalFloat number, string ucum, Func<decimal, decimal>? toCanonical = null)
        {
            if (number.Value is { } value)
            {
                Quantities.Add(new DeviceQuantity(sign, toCanonical is null ? value : toCanonical(value), ucum));
            }
            else
            {
                Missing.Add(new NoReading(sign, MedicalFloat.Name(number.Special!.Value)));
            }
        }

        public void Bits(uint value, string?[] names)
        {
            for (var bit = 0; bit < names.Length; bit++)
            {
                if (names[bit] is { } name && (value & (1u << bit)) != 0)
                {
                    Status.Add(name);
                }
            }
        }
    }

    private static bool Set(byte flags, int bit) => (flags & (1 << bit)) != 0;

    /// <summary>0x2A35: flags; systolic, diastolic, mean arterial pressure (SFLOAT, mmHg or kPa); time stamp; pulse rate; user ID; measurement status.</summary>
    private static DeviceReading BloodPressure(GattReader reader)
    {
        var flags = reader.Byte("Flags");
        var kilopascal = Set(flags, 0);
        var fields = new Fields();
        Func<decimal, decimal>? toMmHg = kilopascal ? kPa => Math.Round(kPa * MmHgPerKilopascal, 1) : null;
        fields.Add(VitalSign.Systolic, reader.SFloat("Systolic"), "mm[Hg]", toMmHg);
        fields.Add(VitalSign.Diastolic, reader.SFloat("Diastolic"), "mm[Hg]", toMmHg);
        fields.Add(VitalSign.MeanArterialPressure, reader.SFloat("Mean Arterial Pressure"), "mm[Hg]", toMmHg);
        var time = Set(flags, 1) ? reader.DateTime("Time Stamp") : null;
        if (Set(flags, 2))
        {
            fields.Add(VitalSign.PulseRate, reader.SFloat("Pulse Rate"), "/min");
        }
        int? user = Set(flags, 3) ? reader.Byte("User ID") : null;
        if (Set(flags, 4))
        {
            var status = reader.UInt16("Measurement Status");
            fields.Bits(status, ["bodyMovementDetected", "cuffTooLoose", "irregularPulseDetected", null, null, "improperMeasurementPosition"]);
            fields.Status.AddRange(((status >> 3) & 0b11) switch
            {
                1 => ["pulseRateExceedsUpperLimit"],
                2 => ["pulseRateBelowLowerLimit"],
                _ => [],
            });
        }
        return new DeviceReading(GattCharacteristic.BloodPressureMeasurement, fields.Quantities, fields.Missing, time, fields.Status,
            UserId: user == 0xFF ? null : user);
    }

    private static readonly string?[] PlxMeasurementStatus =
    [
        null, null, null, null, null, "measurementOngoing", "earlyEstimatedData", "validatedData", "fullyQualifiedData", "dataFromMeasurementStorage",
        "dataForDemonstration", "dataForTesting", "calibrationOngoing", "measurementUnavailable", "questionableMeasurementDetected", "invalidMeasurementDetected",
    ];

    private static readonly string?[] PlxDeviceAndSensorStatus =
    [
        "extendedDisplayUpdateOngoing", "equipmentMalfunctionDetected", "signalProcessingIrregularityDetected", "inadequateSignalDetected",
        "poorSignalDetected", "lowPerfusionDetected", "erraticSignalDetected", "nonpulsatileSignalDetected", "questionablePulseDetected",
        "signalAnalysisOngoing", "sensorInterferenceDetected", "sensorUnconnectedToUser", "unknownSensorConnected", "sensorDisplaced",
        "sensorMalfunctioning", "sensorDisconnected",
    ];

    /// <summary>0x2A5E: flags; SpO2 and PR (SFLOAT); time stamp; measurement status; device and sensor status (24 bits); pulse amplitude index.</summary>
    private static DeviceReading PlxSpotCheck(GattReader reader)
    {
        var flags = reader.Byte("Flags");
        var fields = new Fields();
        fields.Add(VitalSign.SpO2, reader.SFloat("SpO2"), "%");
        fields.Add(VitalSign.PulseRate, reader.SFloat("PR"), "/min");
        var time = Set(flags, 0) ? reader.DateTime("Timestamp") : null;
        PlxStatus(reader, fields, Set(flags, 1), Set(flags, 2), Set(flags, 3));
        if (Set(flags, 4))
        {
            // The device says its clock was never set: whatever the time stamp holds is not a time.
            fields.Status.Add("deviceClockNotSet");
            time = null;
        }
        return new DeviceReading(GattCharacteristic.PlxSpotCheckMeasurement, fields.Quantities, fields.Missing, time, fields.Status);
    }

    /// <summary>0x2A5F: flags; SpO2PR-Normal; SpO2PR-Fast; SpO2PR-Slow; measurement status; device and sensor status; pulse amplitude index.</summary>
    private static DeviceReading PlxContinuous(GattReader reader)
    {
        var flags = reader.Byte("Flags");
        var fields = new Fields();
        fields.Add(VitalSign.SpO2, reader.SFloat("SpO2PR-Normal SpO2"), "%");
        fields.Add(VitalSign.PulseRate, reader.SFloat("SpO2PR-Normal PR"), "/min");
        if (Set(flags, 0))
        {
            fields.Add(VitalSign.SpO2Fast, reader.SFloat("SpO2PR-Fast SpO2"), "%");
            fields.Add(VitalSign.PulseRateFast, reader.SFloat("SpO2PR-Fast PR"), "/min");
        }
        if (Set(flags, 1))
        {
            fields.Add(VitalSign.SpO2Slow, reader.SFloat("SpO2PR-Slow SpO2"), "%");
            fields.Add(VitalSign.PulseRateSlow, reader.SFloat("SpO2PR-Slow PR"), "/min");
        }
        PlxStatus(reader, fields, Set(flags, 2), Set(flags, 3), Set(flags, 4));
        return new DeviceReading(GattCharacteristic.PlxContinuousMeasurement, fields.Quantities, fields.Missing, null, fields.Status);
    }

    private static void PlxStatus(GattReader reader, Fields fields, bool measurementStatus, bool deviceStatus, bool pulseAmplitude)
    {
        if (measurementStatus)
        {
            fields.Bits(reader.UInt16("Measurement Status"), PlxMeasurementStatus);
        }
        if (deviceStatus)
        {
            fields.Bits(reader.UInt24("Device and Sensor Status"), PlxDeviceAndSensorStatus);
        }
        if (pulseAmplitude)
        {
            fields.Add(VitalSign.PulseAmplitudeIndex, reader.SFloat("Pulse Amplitude Index"), "%");
        }
    }

    private static readonly string?[] TemperatureTypes = [null, "armpit", "body", "ear", "finger", "gastrointestinalTract", "mouth", "rectum", "toe", "tympanum"];

    /// <summary>0x2A1C: flags; temperature (FLOAT, Celsius or Fahrenheit); time stamp; temperature type.</summary>
    private static DeviceReading Temperature(GattReader reader)
    {
        var flags = reader.Byte("Flags");
        var fields = new Fields();
        fields.Add(VitalSign.BodyTemperature, reader.Float("Temperature Measurement Value"), "Cel",
            Set(flags, 0) ? fahrenheit => Math.Round((fahrenheit - 32) * 5 / 9, 2) : null);
        var time = Set(flags, 1) ? reader.DateTime("Time Stamp") : null;
        string? site = null;
        if (Set(flags, 2))
        {
            var type = reader.Byte("Temperature Type");
            site = type < TemperatureTypes.Length ? TemperatureTypes[type] : null;
            if (site is null)
            {
                throw reader.Malformed($"Temperature Type {type} is reserved (1–9 name a body site).");
            }
        }
        return new DeviceReading(GattCharacteristic.TemperatureMeasurement, fields.Quantities, fields.Missing, time, [], BodySite: site);
    }

    /// <summary>0x2A9D: flags; weight (uint16, 0.005 kg or 0.01 lb); time stamp; user ID; BMI (0.1 kg/m2) and height (0.001 m or 0.1 in).</summary>
    private static DeviceReading Weight(GattReader reader)
    {
        var flags = reader.Byte("Flags");
        var imperial = Set(flags, 0);
        var fields = new Fields();
        var weight = reader.UInt16("Weight");
        if (weight == 0xFFFF)
        {
            fields.Missing.Add(new NoReading(VitalSign.BodyWeight, "measurementUnsuccessful"));
        }
        else
        {
            fields.Quantities.Add(new DeviceQuantity(VitalSign.BodyWeight, imperial ? Math.Round(weight * 0.01m * KilogramsPerPound, 3) : weight * 0.005m, "kg"));
        }
        var time = Set(flags, 1) ? reader.DateTime("Time Stamp") : null;
        int? user = Set(flags, 2) ? reader.Byte("User ID") : null;
        if (Set(flags, 3))
        {
            fields.Quantities.Add(new DeviceQuantity(VitalSign.BodyMassIndex, reader.UInt16("BMI") * 0.1m, "kg/m2"));
            var height = reader.UInt16("Height");
            fields.Quantities.Add(new DeviceQuantity(VitalSign.BodyHeight, imperial ? Math.Round(height * 0.1m * MetresPerInch, 3) : height * 0.001m, "m"));
        }
        return new DeviceReading(GattCharacteristic.WeightMeasurement, fields.Quantities, fields.Missing, time, [], UserId: user == 0xFF ? null : user);
    }

    private static readonly string?[] GlucoseTypes =
    [
        null, "capillaryWholeBlood", "capillaryPlasma", "venousWholeBlood", "venousPlasma", "arterialWholeBlood", "arterialPlasma",
        "undeterminedWholeBlood", "undeterminedPlasma", "interstitialFluid", "controlSolution",
    ];

    private static readonly string?[] GlucoseLocations =
        [null, "finger", "alternateSiteTest", "earlobe", "controlSolution", null, null, null, null, null, null, null, null, null, null, "notAvailable"];

    private static readonly string?[] GlucoseSensorStatus =
    [
        "deviceBatteryLow", "sensorMalfunction", "sampleSizeInsufficient", "stripInsertionError", "stripTypeIncorrect", "resultAboveDeviceRange",
        "resultBelowDeviceRange", "sensorTemperatureTooHigh", "sensorTemperatureTooLow", "sensorReadInterrupted", "generalDeviceFault", "timeFault",
    ];

    /// <summary>
    /// 0x2A18: flags; sequence number; base time; time offset (sint16 minutes); concentration (SFLOAT, kg/L or mol/L)
    /// with type and sample location (a nibble each); sensor status annunciation.
    /// </summary>
    private static DeviceReading Glucose(GattReader reader)
    {
        var flags = reader.Byte("Flags");
        var fields = new Fields();
        var sequence = reader.UInt16("Sequence Number");
        var time = reader.DateTime("Base Time");
        if (Set(flags, 0))
        {
            var offset = reader.Int16("Time Offset");
            time = time?.AddMinutes(offset);
        }
        string? specimen = null;
        string? site = null;
        if (Set(flags, 1))
        {
            var molar = Set(flags, 2);
            fields.Add(VitalSign.Glucose, reader.SFloat("Glucose Concentration"), "mg/dL",
                molar ? molPerL => Math.Round(molPerL * 1000 * ClinicalRules.GlucoseMgPerDlPerMmolPerL, 1) : kgPerL => Math.Round(kgPerL * 100_000, 1));
            var typeAndLocation = reader.Byte("Type-Sample Location");
            specimen = GlucoseTypes.ElementAtOrDefault(typeAndLocation & 0x0F)
                ?? throw reader.Malformed($"Type {typeAndLocation & 0x0F} is reserved (1–10 name a sample type).");
            site = GlucoseLocations[typeAndLocation >> 4]
                ?? throw reader.Malformed($"Sample Location {typeAndLocation >> 4} is reserved (1–4 name a site, 15 says not available).");
        }
        if (Set(flags, 3))
        {
            fields.Bits(reader.UInt16("Sensor Status Annunciation"), GlucoseSensorStatus);
        }
        if (Set(flags, 4))
        {
            fields.Status.Add("contextInformationFollows");
        }
        return new DeviceReading(GattCharacteristic.GlucoseMeasurement, fields.Quantities, fields.Missing, time, fields.Status,
            BodySite: site, Specimen: specimen, SequenceNumber: sequence);
    }
}
