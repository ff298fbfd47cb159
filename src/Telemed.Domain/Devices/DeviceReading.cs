namespace Telemed.Domain.Devices;

/// <summary>The Bluetooth SIG GATT characteristics Telemed reads vitals from, by their assigned 16-bit UUID.</summary>
public enum GattCharacteristic : ushort
{
    GlucoseMeasurement = 0x2A18,
    TemperatureMeasurement = 0x2A1C,
    BloodPressureMeasurement = 0x2A35,
    PlxSpotCheckMeasurement = 0x2A5E,
    PlxContinuousMeasurement = 0x2A5F,
    WeightMeasurement = 0x2A9D,
}

/// <summary>What a device measured. Fast and slow oximetry averages are reported beside the normal one.</summary>
public enum VitalSign
{
    Systolic,
    Diastolic,
    MeanArterialPressure,
    PulseRate,
    SpO2,
    SpO2Fast,
    PulseRateFast,
    SpO2Slow,
    PulseRateSlow,
    PulseAmplitudeIndex,
    BodyTemperature,
    BodyWeight,
    BodyHeight,
    BodyMassIndex,
    Glucose,
}

/// <summary>A measured value in its canonical unit, with the unit's UCUM code.</summary>
public sealed record DeviceQuantity(VitalSign Sign, decimal Value, string Ucum);

/// <summary>A field the device sent without a number in it, and why (an IEEE 11073 special value, or the scale's "unsuccessful").</summary>
public sealed record NoReading(VitalSign Sign, string Reason);

/// <summary>
/// One characteristic value decoded: its quantities in canonical units, the fields that held no number, the device
/// clock's time stamp (no time zone: the device does not say), and the status bits that were set, by name.
/// </summary>
public sealed record DeviceReading(
    GattCharacteristic Characteristic,
    IReadOnlyList<DeviceQuantity> Quantities,
    IReadOnlyList<NoReading> Missing,
    DateTime? DeviceTime,
    IReadOnlyList<string> Status,
    string? BodySite = null,
    string? Specimen = null,
    int? UserId = null,
    int? SequenceNumber = null)
{
    public decimal? Value(VitalSign sign) => Quantities.FirstOrDefault(q => q.Sign == sign)?.Value;
}
