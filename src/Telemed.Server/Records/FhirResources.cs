using System.Globalization;
using Hl7.Fhir.Model;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;

namespace Telemed.Server.Records;

/// <summary>The resources both documents share: the people, the facility, the diagnosis and the medicine orders.</summary>
internal static class FhirResources
{
    public const string PatientKey = "Patient";
    public const string PractitionerKey = "Practitioner";
    public const string OrganizationKey = "Organization";
    public const string DiagnosisKey = "Condition/diagnosis";

    public static string MedicationKey(int index) => $"MedicationRequest/{index}";

    /// <summary>The patient as the record names them; a birth date only when the patient gave one (an age is not a date).</summary>
    public static Patient Patient(PatientDetails patient, PatientContact contact)
    {
        var resource = new Patient
        {
            Meta = FhirEntries.Profile("Patient"),
            Identifier = [Identifier(FhirCodes.V2IdentifierType, "MR", "Medical record number", FhirCodes.Rfc3986, $"urn:uuid:{patient.Id}")],
            Name = [new HumanName { Text = patient.Name }],
            Gender = patient.Sex switch
            {
                Sex.Female => AdministrativeGender.Female,
                Sex.Male => AdministrativeGender.Male,
                Sex.Other => AdministrativeGender.Other,
                _ => AdministrativeGender.Unknown,
            },
        };
        if (contact.BirthDate is { } born)
        {
            resource.BirthDateElement = new Date(born.Year, born.Month, born.Day);
        }
        if (contact.Mobile is { Length: > 0 } mobile)
        {
            resource.Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, mobile)];
        }
        if (patient.AbhaNumber is { } number)
        {
            resource.Identifier.Add(Identifier(FhirCodes.NdhmIdentifierType, "HIN", "Health ID issued by NDHM", FhirCodes.AbhaSystem, number));
        }
        if (patient.AbhaAddress is { } address)
        {
            resource.Identifier.Add(Identifier(FhirCodes.NdhmIdentifierType, "ABHA", "Ayushman Bharat Health Account (ABHA) ID", FhirCodes.AbhaSystem, address));
        }
        resource.Text = FhirEntries.Narrative(
            $"Patient: {patient.Name}",
            $"{patient.Sex}, {patient.AgeYears} years",
            patient.AbhaNumber is null ? null : $"ABHA number: {patient.AbhaNumber}",
            patient.AbhaAddress is null ? null : $"ABHA address: {patient.AbhaAddress}");
        return resource;
    }

    public static Practitioner Practitioner(PrescriberDetails doctor) => new()
    {
        Meta = FhirEntries.Profile("Practitioner"),
        Identifier =
        [
            Identifier(FhirCodes.NdhmIdentifierType, "HPIN", "Health Practitioner ID issued by NDHM", FhirCodes.HprSystem, doctor.HprId),
            new Identifier
            {
                Type = FhirCodes.Concept(FhirCodes.V2IdentifierType, "MD", "Medical License number"),
                Value = doctor.RegistrationNumber,
                Assigner = new ResourceReference { Display = doctor.StateCouncil },
            },
        ],
        Name = [new HumanName { Text = doctor.Name }],
        Qualification = [new Practitioner.QualificationComponent { Code = new CodeableConcept { Text = doctor.Qualification } }],
        Text = FhirEntries.Narrative(
            $"{doctor.Name}, {doctor.Qualification}",
            $"Registration {doctor.RegistrationNumber}, {doctor.StateCouncil}",
            $"HPR ID: {doctor.HprId}"),
    };

    public static Organization Organization(FacilityDetails facility) => new()
    {
        Meta = FhirEntries.Profile("Organization"),
        Identifier = [Identifier(FhirCodes.V2IdentifierType, "PRN", "Provider number", FhirCodes.HfrSystem, facility.HfrId)],
        Name = facility.Name,
        Text = FhirEntries.Narrative(facility.Name, $"HFR ID: {facility.HfrId}"),
    };

    public static Condition Diagnosis(FhirEntries entries, Diagnosis diagnosis, DateTimeOffset recordedAt, ResourceReference? encounter)
    {
        var code = new CodeableConcept { Text = diagnosis.Text };
        if (diagnosis.Code is { } coded)
        {
            code.Coding.Add(new Coding(coded.System == ClinicalRules.Icd10 ? FhirCodes.Icd10 : FhirCodes.Snomed, coded.Code, diagnosis.Text));
        }
        return new Condition
        {
            Meta = FhirEntries.Profile("Condition"),
            ClinicalStatus = FhirCodes.Concept(FhirCodes.ConditionClinical, "active", "Active"),
            VerificationStatus = FhirCodes.Concept(FhirCodes.ConditionVerification, "provisional", "Provisional"),
            Category = [FhirCodes.Concept(FhirCodes.ConditionCategory, "encounter-diagnosis", "Encounter Diagnosis")],
            Code = code,
            Subject = entries.Ref(PatientKey, "Patient"),
            Encounter = encounter,
            RecordedDateElement = new FhirDateTime(recordedAt),
            Recorder = entries.Ref(PractitionerKey, "Practitioner"),
            Text = FhirEntries.Narrative(
                $"Diagnosis: {diagnosis.Text}",
                diagnosis.Code is { } c ? $"{(c.System == ClinicalRules.Icd10 ? "ICD-10" : "SNOMED CT")} {c.Code}" : null),
        };
    }

    /// <summary>One prescribed medicine as an order, part of the prescription <paramref name="prescriptionId"/> when it has been issued.</summary>
    public static MedicationRequest Medication(
        FhirEntries entries, PrescribedMedicine medicine, DateTimeOffset authoredOn, bool hasDiagnosis, ResourceReference? encounter,
        Guid? prescriptionId, DateOnly? validUntil)
    {
        var name = MedicineName(medicine);
        return new MedicationRequest
        {
            Meta = FhirEntries.Profile("MedicationRequest"),
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new CodeableConcept { Text = name },
            Subject = entries.Ref(PatientKey, "Patient"),
            Encounter = encounter,
            AuthoredOnElement = new FhirDateTime(authoredOn),
            Requester = entries.Ref(PractitionerKey, "Practitioner"),
            ReasonReference = hasDiagnosis ? [entries.Ref(DiagnosisKey, "Condition")] : [],
            GroupIdentifier = prescriptionId is { } id ? new Identifier(FhirCodes.Rfc3986, $"urn:uuid:{id}") : null,
            DosageInstruction = FhirDosage.For(medicine),
            DispenseRequest = new MedicationRequest.DispenseRequestComponent
            {
                ValidityPeriod = validUntil is { } until
                    ? new Period { StartElement = new FhirDateTime(authoredOn), EndElement = new FhirDateTime(until.Year, until.Month, until.Day) }
                    : null,
                Quantity = new Quantity { Value = medicine.Quantity, Unit = medicine.Form },
                ExpectedSupplyDuration = FhirDosage.Days(medicine.DurationDays),
            },
            Text = FhirEntries.Narrative(
                name,
                FhirDosage.Text(medicine),
                string.Create(CultureInfo.InvariantCulture, $"Dispense {medicine.Quantity} {medicine.Form}")),
        };
    }

    public static string MedicineName(PrescribedMedicine medicine) => $"{medicine.Generic} {medicine.Strength} {medicine.Form}";

    private static Identifier Identifier(string typeSystem, string typeCode, string typeDisplay, string system, string value) =>
        new(system, value) { Type = FhirCodes.Concept(typeSystem, typeCode, typeDisplay) };
}
