using Telemed.Domain.Consultations;

namespace Telemed.Domain.Devices;

/// <summary>
/// Turns what a device measured into the vitals a consultation records, through the same plausibility checks as typed
/// vitals (<see cref="ClinicalRules.Vitals"/>). A reading the device itself marks as unusable, or a control-solution
/// test, is refused: it says nothing about the patient.
/// </summary>
public static class DeviceVitalsRules
{
    /// <summary>Status bits after which the number is not the patient's: demonstration or test data, a failed or invalid measurement, a faulty sensor.</summary>
    public static readonly IReadOnlySet<string> Disqualifying = new HashSet<string>(StringComparer.Ordinal)
    {
        "dataForDemonstration", "dataForTesting", "calibrationOngoing", "measurementUnavailable", "invalidMeasurementDetected",
        "equipmentMalfunctionDetected", "sensorMalfunctioning", "sensorDisconnected", "sensorUnconnectedToUser",
        "sensorMalfunction", "sampleSizeInsufficient", "stripInsertionError", "stripTypeIncorrect", "resultAboveDeviceRange",
        "resultBelowDeviceRange", "generalDeviceFault",
    };

    /// <summary>The vitals in a decoded GATT reading, or null with the reasons in <paramref name="errors"/>.</summary>
    public static (Vitals? Vitals, decimal? GlucoseMgPerDl)? FromReading(DeviceReading reading, FieldErrors errors, string field = "value")
    {
        ArgumentNullException.ThrowIfNull(reading);
        var flagged = reading.Status.Where(Disqualifying.Contains).ToList();
        if (flagged.Count > 0)
        {
            errors.Add(field, $"The device marked this reading as unusable ({string.Join(", ", flagged)}): it is not recorded.");
        }
        if (reading.Specimen == "controlSolution" || reading.BodySite == "controlSolution")
        {
            errors.Add(field, "This is a control-solution test of the meter, not a patient's reading: it is not recorded.");
        }
        Measurement? Of(VitalSign sign, string unit) => reading.Value(sign) is { } value ? new Measurement(value, unit) : null;
        var input = new VitalsInput(Of(VitalSign.Systolic, "mm[Hg]"), Of(VitalSign.Diastolic, "mm[Hg]"), Of(VitalSign.PulseRate, "/min"),
            Of(VitalSign.BodyTemperature, "Cel"), Of(VitalSign.SpO2, "%"), Of(VitalSign.BodyWeight, "kg"));
        var checkedVitals = Check(input, Of(VitalSign.Glucose, "mg/dL"), errors, field, reading.Missing);
        return errors.Any ? null : checkedVitals;
    }

    /// <summary>
    /// Vitals and glucose as a device reported them, checked exactly as typed vitals are. At least one must be present:
    /// <paramref name="missing"/> (fields the device sent without a number) explains an empty reading.
    /// </summary>
    public static (Vitals? Vitals, decimal? GlucoseMgPerDl)? Check(VitalsInput input, Measurement? glucose, FieldErrors errors, string field,
        IReadOnlyList<NoReading>? missing = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var anyVital = input != new VitalsInput(null, null, null, null, null, null);
        if (!anyVital && glucose is null)
        {
            errors.Add(field, missing is { Count: > 0 }
                ? $"The device sent no number: {string.Join(", ", missing.Select(m => $"{m.Sign} was {m.Reason}"))}."
                : "The reading holds none of the vital signs recorded (blood pressure, pulse, temperature, SpO2, weight, glucose).");
            return null;
        }
        var vitals = anyVital ? ClinicalRules.Vitals(input, errors, field) : null;
        var mgPerDl = ClinicalRules.GlucoseMgPerDl(glucose, errors, $"{field}.glucose");
        return errors.Any ? null : (vitals, mgPerDl);
    }
}
