using Telemed.Domain.Consultations;
using Telemed.Domain.Devices;

namespace Telemed.Domain.Tests.Devices;

public class DeviceVitalsTests
{
    private static readonly Guid Id = Guid.Parse("66666666-0000-0000-0000-000000000001");
    private static readonly Guid Doctor = Guid.Parse("66666666-0000-0000-0000-00000000000d");
    private static readonly Guid Patient = Guid.Parse("66666666-0000-0000-0000-00000000000e");
    private static readonly Guid Kiosk = Guid.Parse("66666666-0000-0000-0000-00000000000f");
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 4, 0, 0, TimeSpan.Zero);

    private static Consultation Open => Consultation.Evolve(null, new ConsultationStarted(Id, Guid.NewGuid(), 1, Doctor, Patient, Now));

    private static DeviceReading Reading(GattCharacteristic characteristic, byte[] value) => GattParsers.Parse(characteristic, value).Value;

    private static DeviceObservation Observation(string readingId, Vitals vitals, Guid? deviceId = null) =>
        new(readingId, new DeviceSource(deviceId, "Cuff", "0x2A35"), vitals, null, null, []);

    [Fact]
    public void A_blood_pressure_reading_becomes_vitals_through_the_typed_vitals_checks()
    {
        var reading = Reading(GattCharacteristic.BloodPressureMeasurement,
            new GattValue().U8(0x05).SFloat(160, -1).SFloat(107, -1).SFloat(128, -1).SFloat(72, 0).ToArray());
        var errors = new FieldErrors();
        var checkedVitals = DeviceVitalsRules.FromReading(reading, errors);
        errors.Any.ShouldBeFalse();
        checkedVitals!.Value.Vitals.ShouldBe(new Vitals(120, 80, 72, null, null, null));
        checkedVitals.Value.GlucoseMgPerDl.ShouldBeNull();
    }

    [Fact]
    public void An_implausible_device_value_is_refused_as_a_typed_one_would_be()
    {
        var reading = Reading(GattCharacteristic.TemperatureMeasurement, new GattValue().U8(0).Float(466, -1).ToArray());
        var errors = new FieldErrors();
        DeviceVitalsRules.FromReading(reading, errors).ShouldBeNull();
        errors.ToDictionary()["value.temperature"].ShouldHaveSingleItem().ShouldContain("not plausible");
    }

    [Fact]
    public void A_reading_with_only_special_values_says_what_the_device_sent()
    {
        var reading = Reading(GattCharacteristic.PlxSpotCheckMeasurement, new GattValue().U8(0).Raw(0xFF, 0x07, 0xFF, 0x07).ToArray());
        var errors = new FieldErrors();
        DeviceVitalsRules.FromReading(reading, errors).ShouldBeNull();
        errors.ToDictionary()["value"].ShouldHaveSingleItem().ShouldBe("The device sent no number: SpO2 was NaN, PulseRate was NaN.");
    }

    [Fact]
    public void A_reading_the_device_marks_as_test_data_is_not_recorded()
    {
        var reading = Reading(GattCharacteristic.PlxSpotCheckMeasurement, new GattValue().U8(0x02).SFloat(97, 0).SFloat(72, 0).U16(0x0800).ToArray());
        var errors = new FieldErrors();
        DeviceVitalsRules.FromReading(reading, errors).ShouldBeNull();
        errors.ToDictionary()["value"].ShouldHaveSingleItem().ShouldContain("dataForTesting");
    }

    [Fact]
    public void A_control_solution_test_is_not_a_patient_s_glucose()
    {
        var reading = Reading(GattCharacteristic.GlucoseMeasurement,
            new GattValue().U8(0x02).U16(7).Time(2026, 12, 7, 8, 0, 0).SFloat(99, -5).U8(0x4A).ToArray());
        var errors = new FieldErrors();
        DeviceVitalsRules.FromReading(reading, errors).ShouldBeNull();
        errors.ToDictionary()["value"].ShouldHaveSingleItem().ShouldContain("control-solution");
    }

    [Fact]
    public void Glucose_in_mmol_per_litre_is_recorded_in_mg_per_dl()
    {
        var errors = new FieldErrors();
        var checkedVitals = DeviceVitalsRules.Check(new VitalsInput(null, null, null, null, null, null), new Measurement(5.5m, "mmol/L"), errors, "valueQuantity");
        errors.Any.ShouldBeFalse();
        checkedVitals!.Value.GlucoseMgPerDl.ShouldBe(99.1m);
        checkedVitals.Value.Vitals.ShouldBeNull();
    }

    [Fact]
    public void A_device_reading_is_recorded_once_per_identifier()
    {
        var observation = Observation("r-1", new Vitals(120, 80, null, null, null, null), Kiosk);
        var first = ClinicalDecisions.RecordDeviceReading(Open, Kiosk, true, observation, Now);
        var recorded = first.Value.ShouldHaveSingleItem().ShouldBeOfType<DeviceVitalsRecorded>();
        var after = Consultation.Evolve(Open, recorded);
        after.Record.Version.ShouldBe(Open.Record.Version);

        ClinicalDecisions.RecordDeviceReading(after, Kiosk, true, observation, Now.AddSeconds(5)).Value.ShouldBeEmpty();
        ClinicalDecisions.RecordDeviceReading(after, Kiosk, true, observation with { Vitals = new Vitals(150, 90, null, null, null, null) }, Now)
            .Error.ShouldBe(ConsultationError.ReadingIdReused);
    }

    [Fact]
    public void The_same_identifier_from_another_device_is_another_reading()
    {
        var after = Consultation.Evolve(Open, ClinicalDecisions.RecordDeviceReading(Open, Kiosk, true, Observation("r-1", new Vitals(120, 80, null, null, null, null), Kiosk), Now).Value[0]);
        var other = Guid.NewGuid();
        ClinicalDecisions.RecordDeviceReading(after, other, true, Observation("r-1", new Vitals(130, 85, null, null, null, null), other), Now).Value.ShouldHaveSingleItem();
    }

    [Fact]
    public void Only_participants_record_readings_from_their_browser_and_only_while_the_consultation_is_open()
    {
        var observation = Observation("r-1", new Vitals(120, 80, null, null, null, null));
        ClinicalDecisions.RecordDeviceReading(Open, Guid.NewGuid(), false, observation, Now).Error.ShouldBe(ConsultationError.NotParticipant);
        ClinicalDecisions.RecordDeviceReading(Open, Patient, false, observation, Now).Value.ShouldHaveSingleItem();
        var ended = Consultation.Evolve(Open, new ConsultationCompleted(Id, Doctor, Now));
        ClinicalDecisions.RecordDeviceReading(ended, Kiosk, true, observation, Now).Error.ShouldBe(ConsultationError.Ended);
    }
}
