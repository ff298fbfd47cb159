using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Telemed.Domain;
using Telemed.Domain.Abdm;

namespace Telemed.Server.Abdm;

/// <summary>What a received document says of itself: its type of health information, title and date.</summary>
public sealed record ReceivedBundleFacts(string HiType, string? Title, DateTimeOffset? Date);

/// <summary>
/// Checks a FHIR document another HIP sent: it parses as FHIR R4 JSON, is a Bundle of type document, and its first
/// entry is the Composition, whose SNOMED type says which health information it is. Full validation against the NRCeS
/// profiles is the test suite's (NrcesValidator); at run time Telemed shows only what passed this structural check.
/// </summary>
public static class ReceivedBundles
{
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings());

    /// <summary>The NRCeS documents' Composition types (SNOMED CT) and the health-information type of each.</summary>
    private static readonly Dictionary<string, string> TypesBySnomed = new(StringComparer.Ordinal)
    {
        ["371530004"] = HiTypes.OpConsultation,
        ["440545006"] = HiTypes.Prescription,
        ["373942005"] = "DischargeSummary",
        ["721981007"] = "DiagnosticReport",
        ["41000179103"] = "ImmunizationRecord",
        ["419891008"] = "HealthDocumentRecord",
    };

    public static Result<ReceivedBundleFacts, Invalid> Read(string json)
    {
        Resource? resource;
        try
        {
            if (!Deserializer.TryDeserializeResource(json, out resource, out var issues) && resource is null)
            {
                return new Invalid($"Not a FHIR R4 resource: {issues.FirstOrDefault()?.Message ?? "unreadable"}");
            }
        }
        catch (Exception unreadable) when (unreadable is System.Text.Json.JsonException or FhirJsonException)
        {
            return new Invalid("Not JSON.");
        }
        if (resource is not Bundle { Type: Bundle.BundleType.Document } bundle)
        {
            return new Invalid("Not a FHIR document (a Bundle of type document).");
        }
        if (bundle.Entry.FirstOrDefault()?.Resource is not Composition composition)
        {
            return new Invalid("A FHIR document's first entry is its Composition.");
        }
        var snomed = composition.Type?.Coding.FirstOrDefault(c => c.System == "http://snomed.info/sct")?.Code;
        var hiType = snomed is not null && TypesBySnomed.TryGetValue(snomed, out var known) ? known : "HealthDocumentRecord";
        DateTimeOffset? date = composition.DateElement is { } at && at.TryToDateTimeOffset(out var parsed) ? parsed : null;
        return new ReceivedBundleFacts(hiType, composition.Title, date);
    }
}
