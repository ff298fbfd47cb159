using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Server.Records;

namespace Telemed.Server.Devices;

/// <summary>What a device's FHIR Observation says: its own identifier of the reading, the vital sign (LOINC) with its UCUM quantity, and when.</summary>
public sealed record DeviceObservationInput(string ReadingId, VitalsInput Vitals, Measurement? Glucose, DateTimeOffset? MeasuredAt);

/// <summary>
/// Reads the FHIR R4 Observation a kiosk device posts. One Observation is one vital sign, coded in LOINC as the
/// documents code them (the blood pressure panel with systolic and diastolic components; pulse; body temperature;
/// SpO2; body weight; blood glucose), its value a UCUM quantity. Errors name the FHIR element that is wrong.
/// </summary>
public static class FhirObservationInput
{
    public const int MaxIdentifierLength = 64;
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings());

    public static DeviceObservationInput? Parse(string json, DateTimeOffset now, FieldErrors errors)
    {
        Resource? resource;
        try
        {
            if (!Deserializer.TryDeserializeResource(json, out resource, out var issues) && resource is null)
            {
                errors.Add("resource", $"Not a FHIR R4 resource in JSON: {issues.FirstOrDefault()?.Message ?? "unreadable"}");
                return null;
            }
        }
        catch (Exception unreadable) when (unreadable is System.Text.Json.JsonException or FhirJsonException)
        {
            errors.Add("resource", $"Not JSON: {unreadable.Message}");
            return null;
        }
        if (resource is not Observation observation)
        {
            errors.Add("resourceType", $"Send an Observation (this is a {resource?.TypeName ?? "nothing"}).");
            return null;
        }
        var readingId = observation.Identifier.FirstOrDefault()?.Value?.Trim();
        if (string.IsNullOrEmpty(readingId) || readingId.Length > MaxIdentifierLength || readingId.Any(char.IsControl))
        {
            errors.Add("identifier", $"identifier[0].value is the device's own id of this reading (1 to {MaxIdentifierLength} characters): the same reading sent again is recorded once.");
        }
        if (observation.Status is not (ObservationStatus.Final or ObservationStatus.Amended or ObservationStatus.Corrected or ObservationStatus.Preliminary))
        {
            errors.Add("status", "A reading to record has status final, amended, corrected or preliminary.");
        }
        DateTimeOffset? measuredAt = null;
        if (observation.Effective is FhirDateTime effective)
        {
            if (!effective.TryToDateTimeOffset(out var at) || effective.Value?.Contains('T', StringComparison.Ordinal) != true)
            {
                errors.Add("effectiveDateTime", "effectiveDateTime is a date and time with its time zone.");
            }
            else if (at > now.AddMinutes(5))
            {
                errors.Add("effectiveDateTime", "effectiveDateTime is in the future: check the device's clock.");
            }
            else
            {
                measuredAt = at;
            }
        }
        else if (observation.Effective is not null)
        {
            errors.Add("effective", "Send effectiveDateTime (a period or instant is not a reading's time).");
        }
        var loinc = observation.Code?.Coding.Where(c => c.System == FhirCodes.Loinc).Select(c => c.Code).ToList() ?? [];
        Measurement? Value(DataType? value, string field)
        {
            if (value is not Quantity { Value: { } number } quantity)
            {
                errors.Add(field, "A valueQuantity with a value is required.");
                return null;
            }
            if (quantity.System != FhirCodes.Ucum || string.IsNullOrWhiteSpace(quantity.Code))
            {
                errors.Add(field, $"The unit is a UCUM code: system {FhirCodes.Ucum} and code (mm[Hg], /min, Cel, [degF], %, kg, [lb_av], mg/dL, mmol/L).");
                return null;
            }
            return new Measurement(number, quantity.Code);
        }
        Measurement? Component(Coding coding)
        {
            var index = observation.Component.FindIndex(c => c.Code?.Coding.Any(k => k.System == FhirCodes.Loinc && k.Code == coding.Code) == true);
            if (index < 0)
            {
                errors.Add("component", $"A blood pressure panel has a component coded LOINC {coding.Code} ({coding.Display}).");
                return null;
            }
            return Value(observation.Component[index].Value, $"component[{index}].valueQuantity");
        }
        var none = new VitalsInput(null, null, null, null, null, null);
        var (vitals, glucose) = loinc switch
        {
            _ when loinc.Contains(FhirCodes.Vitals.BloodPressurePanel.Code) =>
                (none with { Systolic = Component(FhirCodes.Vitals.Systolic), Diastolic = Component(FhirCodes.Vitals.Diastolic) }, null),
            _ when loinc.Contains(FhirCodes.Vitals.Pulse.Code) => (none with { Pulse = Value(observation.Value, "valueQuantity") }, null),
            _ when loinc.Contains(FhirCodes.Vitals.Temperature.Code) => (none with { Temperature = Value(observation.Value, "valueQuantity") }, null),
            _ when loinc.Contains(FhirCodes.Vitals.SpO2.Code) || loinc.Contains(FhirCodes.Vitals.OxygenSaturation.Code) =>
                (none with { SpO2 = Value(observation.Value, "valueQuantity") }, null),
            _ when loinc.Contains(FhirCodes.Vitals.Weight.Code) => (none with { Weight = Value(observation.Value, "valueQuantity") }, null),
            _ when loinc.Contains(FhirCodes.Vitals.Glucose.Code) => (none, Value(observation.Value, "valueQuantity")),
            _ => (none, (Measurement?)null),
        };
        if (vitals == none && glucose is null && !errors.Any)
        {
            errors.Add("code", $"code names the vital sign in LOINC ({FhirCodes.Loinc}): {string.Join(", ", Recorded.Select(c => $"{c.Code} {c.Display}"))}.");
        }
        return errors.Any ? null : new DeviceObservationInput(readingId!, vitals, glucose, measuredAt);
    }

    private static readonly Coding[] Recorded =
    [
        FhirCodes.Vitals.BloodPressurePanel, FhirCodes.Vitals.Pulse, FhirCodes.Vitals.Temperature, FhirCodes.Vitals.SpO2, FhirCodes.Vitals.Weight,
        FhirCodes.Vitals.Glucose,
    ];
}
