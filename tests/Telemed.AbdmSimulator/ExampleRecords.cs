using System.Globalization;
using System.Text.Json.Nodes;
using Telemed.Domain.Abdm;

namespace Telemed.AbdmSimulator;

/// <summary>
/// The other HIP's records of a patient, shaped as the NRCeS IG's examples: a PrescriptionRecord (metformin, by
/// Dr. Meera Joshi) and an OPConsultRecord (type 2 diabetes follow-up), FHIR R4 document Bundles with the Composition
/// first. Built here in code: the IG package stays outside the repository.
/// </summary>
public static class ExampleRecords
{
    public const string Profiles = "https://nrces.in/ndhm/fhir/r4/StructureDefinition/";
    public const string Medicine = "Metformin 500 mg tablet";
    public const string Complaint = "Type 2 diabetes mellitus follow-up";

    /// <summary>The documents of the given types, with the care context each belongs to; dated two weeks ago.</summary>
    public static IReadOnlyList<(string CareContextReference, string Json)> For(string abhaAddress, IReadOnlyList<string> hiTypes)
    {
        var at = DateTimeOffset.UtcNow.AddDays(-14);
        var documents = new List<(string, string)>();
        if (hiTypes.Contains(HiTypes.Prescription))
        {
            documents.Add((HiuConsents.PrescriptionReference, Prescription(abhaAddress, at).ToJsonString()));
        }
        if (hiTypes.Contains(HiTypes.OpConsultation))
        {
            documents.Add((HiuConsents.ConsultationReference, Consultation(abhaAddress, at).ToJsonString()));
        }
        return documents;
    }

    public static JsonObject Prescription(string abhaAddress, DateTimeOffset at) => Document("PrescriptionRecord", "440545006", "Prescription record", at, abhaAddress,
        new JsonObject
        {
            ["title"] = "Prescription",
            ["code"] = Snomed("440545006", "Prescription record"),
            ["entry"] = new JsonArray(new JsonObject { ["reference"] = "urn:uuid:medication-request-1", ["type"] = "MedicationRequest" }),
        },
        Entry("urn:uuid:medication-request-1", new JsonObject
        {
            ["resourceType"] = "MedicationRequest",
            ["id"] = "medication-request-1",
            ["meta"] = Profile("MedicationRequest"),
            ["status"] = "active",
            ["intent"] = "order",
            ["medicationCodeableConcept"] = new JsonObject { ["text"] = Medicine },
            ["subject"] = new JsonObject { ["reference"] = "urn:uuid:patient-1" },
            ["authoredOn"] = Day(at),
            ["requester"] = new JsonObject { ["reference"] = "urn:uuid:practitioner-1" },
            ["dosageInstruction"] = new JsonArray(new JsonObject { ["text"] = "1 tablet twice a day after meals" }),
        }));

    public static JsonObject Consultation(string abhaAddress, DateTimeOffset at) => Document("OPConsultRecord", "371530004", "Clinical consultation report", at, abhaAddress,
        new JsonObject
        {
            ["title"] = "Chief complaints",
            ["code"] = Snomed("422843007", "Chief complaint section"),
            ["entry"] = new JsonArray(new JsonObject { ["reference"] = "urn:uuid:condition-1", ["type"] = "Condition" }),
        },
        Entry("urn:uuid:condition-1", new JsonObject
        {
            ["resourceType"] = "Condition",
            ["id"] = "condition-1",
            ["meta"] = Profile("Condition"),
            ["clinicalStatus"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/condition-clinical", ["code"] = "active" }),
            },
            ["code"] = new JsonObject { ["coding"] = new JsonArray(Coding("44054006", "Diabetes mellitus type 2")), ["text"] = Complaint },
            ["subject"] = new JsonObject { ["reference"] = "urn:uuid:patient-1" },
        }));

    private static JsonObject Document(string profile, string code, string title, DateTimeOffset at, string abhaAddress, JsonObject section, JsonObject content)
    {
        var id = Guid.NewGuid().ToString();
        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["id"] = id,
            ["meta"] = new JsonObject { ["lastUpdated"] = Instant(at), ["profile"] = new JsonArray(Profiles + "DocumentBundle") },
            ["identifier"] = new JsonObject { ["system"] = "http://sunrise-hospital.example/documents", ["value"] = id },
            ["type"] = "document",
            ["timestamp"] = Instant(at),
            ["entry"] = new JsonArray(
                Entry("urn:uuid:composition-1", new JsonObject
                {
                    ["resourceType"] = "Composition",
                    ["id"] = "composition-1",
                    ["meta"] = Profile(profile),
                    ["status"] = "final",
                    ["type"] = Snomed(code, title),
                    ["subject"] = new JsonObject { ["reference"] = "urn:uuid:patient-1" },
                    ["date"] = Instant(at),
                    ["author"] = new JsonArray(new JsonObject { ["reference"] = "urn:uuid:practitioner-1" }),
                    ["title"] = title,
                    ["custodian"] = new JsonObject { ["reference"] = "urn:uuid:organization-1" },
                    ["section"] = new JsonArray(section),
                }),
                Entry("urn:uuid:patient-1", new JsonObject
                {
                    ["resourceType"] = "Patient",
                    ["id"] = "patient-1",
                    ["meta"] = Profile("Patient"),
                    ["identifier"] = new JsonArray(new JsonObject { ["system"] = "https://healthid.ndhm.gov.in", ["value"] = abhaAddress }),
                }),
                Entry("urn:uuid:practitioner-1", new JsonObject
                {
                    ["resourceType"] = "Practitioner",
                    ["id"] = "practitioner-1",
                    ["meta"] = Profile("Practitioner"),
                    ["identifier"] = new JsonArray(new JsonObject { ["system"] = "https://doctor.ndhm.gov.in", ["value"] = "71-4433-2211-0099" }),
                    ["name"] = new JsonArray(new JsonObject { ["text"] = "Dr. Meera Joshi" }),
                }),
                Entry("urn:uuid:organization-1", new JsonObject
                {
                    ["resourceType"] = "Organization",
                    ["id"] = "organization-1",
                    ["meta"] = Profile("Organization"),
                    ["identifier"] = new JsonArray(new JsonObject { ["system"] = "https://facility.ndhm.gov.in", ["value"] = HiuConsents.OtherHipId }),
                    ["name"] = HiuConsents.OtherHipName,
                }),
                content),
        };
    }

    private static JsonObject Entry(string fullUrl, JsonObject resource) => new() { ["fullUrl"] = fullUrl, ["resource"] = resource };

    private static JsonObject Profile(string name) => new() { ["profile"] = new JsonArray(Profiles + name) };

    private static JsonObject Coding(string code, string display) => new() { ["system"] = "http://snomed.info/sct", ["code"] = code, ["display"] = display };

    private static JsonObject Snomed(string code, string display) => new() { ["coding"] = new JsonArray(Coding(code, display)), ["text"] = display };

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
