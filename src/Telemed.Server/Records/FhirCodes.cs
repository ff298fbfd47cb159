using Hl7.Fhir.Model;

namespace Telemed.Server.Records;

/// <summary>Code systems, identifier systems and NRCeS profiles the ABDM health records use.</summary>
internal static class FhirCodes
{
    public const string Snomed = "http://snomed.info/sct";
    public const string Loinc = "http://loinc.org";
    public const string Ucum = "http://unitsofmeasure.org";
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public const string ParticipationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public const string V2IdentifierType = "http://terminology.hl7.org/CodeSystem/v2-0203";
    public const string NdhmIdentifierType = "https://nrces.in/ndhm/fhir/r4/CodeSystem/ndhm-identifier-type-code";
    public const string ConditionCategory = "http://terminology.hl7.org/CodeSystem/condition-category";
    public const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    public const string ConditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    public const string AllergyClinical = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
    public const string AllergyVerification = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";
    public const string SignatureType = "urn:iso-astm:E1762-95:2013";
    public const string Rfc3986 = "urn:ietf:rfc:3986";
    public const string Confidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

    public const string AbhaSystem = "https://healthid.ndhm.gov.in";
    public const string HprSystem = "https://doctor.ndhm.gov.in";
    public const string HfrSystem = "https://facility.ndhm.gov.in";

    public const string ProfileBase = "https://nrces.in/ndhm/fhir/r4/StructureDefinition/";

    public static Coding Coding(string system, string code, string display) => new(system, code, display);

    public static CodeableConcept Concept(string system, string code, string display, string? text = null) =>
        new() { Coding = [Coding(system, code, display)], Text = text };

    /// <summary>Every health record is "very restricted": shared only under the patient's consent, as the NRCeS examples mark them.</summary>
    public static Coding VeryRestricted => Coding(Confidentiality, "V", "very restricted");

    public static class Documents
    {
        public static Coding OpConsult => Coding(Snomed, "371530004", "Clinical consultation report");
        public static Coding Prescription => Coding(Snomed, "440545006", "Prescription record");
    }

    public static class Sections
    {
        public static Coding ChiefComplaints => Coding(Snomed, "422843007", "Chief complaint section");
        public static Coding Allergies => Coding(Snomed, "722446000", "Allergy record");
        public static Coding MedicalHistory => Coding(Snomed, "371529009", "History and physical report");
        public static Coding PhysicalExamination => Coding(Snomed, "425044008", "Physical exam section");
        public static Coding InvestigationAdvice => Coding(Snomed, "721963009", "Order document");
        public static Coding Medications => Coding(Snomed, "721912009", "Medication summary document");
        public static Coding FollowUp => Coding(Snomed, "390906007", "Follow-up encounter");
        public static Coding Prescription => Coding(Snomed, "440545006", "Prescription record");
    }

    public static class Vitals
    {
        public static Coding BloodPressurePanel => Coding(Loinc, "85354-9", "Blood pressure panel with all children optional");
        public static Coding Systolic => Coding(Loinc, "8480-6", "Systolic blood pressure");
        public static Coding Diastolic => Coding(Loinc, "8462-4", "Diastolic blood pressure");
        public static Coding Pulse => Coding(Loinc, "8867-4", "Heart rate");
        public static Coding Temperature => Coding(Loinc, "8310-5", "Body temperature");
        public static Coding SpO2 => Coding(Loinc, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry");
        public static Coding OxygenSaturation => Coding(Loinc, "2708-6", "Oxygen saturation in Arterial blood");
        public static Coding Weight => Coding(Loinc, "29463-7", "Body weight");
        public static Coding Glucose => Coding(Loinc, "2339-0", "Glucose [Mass/volume] in Blood");
        public static Coding Examination => Coding(Loinc, "29545-1", "Physical findings Narrative");
    }

    /// <summary>SNOMED CT route codes for the routes <see cref="Telemed.Domain.Prescriptions.MedicineRules.Routes"/> allows.</summary>
    public static Coding? Route(string route) => route switch
    {
        "oral" => Coding(Snomed, "26643006", "Oral route"),
        "sublingual" => Coding(Snomed, "37839007", "Sublingual route"),
        "topical" => Coding(Snomed, "6064005", "Topical route"),
        "ophthalmic" => Coding(Snomed, "54485002", "Ophthalmic route"),
        "otic" => Coding(Snomed, "10547007", "Otic route"),
        "nasal" => Coding(Snomed, "46713006", "Nasal route"),
        "inhalation" => Coding(Snomed, "447694001", "Respiratory tract route"),
        "rectal" => Coding(Snomed, "37161004", "Rectal route"),
        "vaginal" => Coding(Snomed, "16857009", "Vaginal route"),
        "transdermal" => Coding(Snomed, "45890007", "Transdermal route"),
        "subcutaneous" => Coding(Snomed, "34206005", "Subcutaneous route"),
        "intramuscular" => Coding(Snomed, "78421000", "Intramuscular route"),
        "intravenous" => Coding(Snomed, "47625008", "Intravenous route"),
        _ => null,
    };
}
