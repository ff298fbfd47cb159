using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Validation;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Domain.Prescriptions;
using Telemed.Domain.Records;
using Telemed.Domain.Spokes;
using static Telemed.Server.Records.FhirResources;

namespace Telemed.Server.Records;

/// <summary>
/// The ABDM health records of a consultation: FHIR R4 document bundles in the NRCeS profiles
/// (https://nrces.in/ndhm/fhir/r4/). The same inputs always give the same bundle, byte for byte.
/// </summary>
public static class FhirDocuments
{
    /// <summary>The media type FHIR JSON documents are served with.</summary>
    public const string MediaType = "application/fhir+json";

    private const string CompositionKey = "Composition";
    private const string BundleKey = "Bundle";
    private const string EncounterKey = "Encounter";
    private const string FollowUpKey = "Appointment/follow-up";
    private const string PdfKey = "Binary/signed-pdf";
    private const string HealthWorkerKey = "Practitioner/health-worker";
    private const string HealthWorkerRoleKey = "PractitionerRole/health-worker";
    private const string SpokeKey = "Organization/spoke";

    /// <summary>
    /// The consultation report. An assisted consultation names its health worker as a practitioner in a role at
    /// <paramref name="spoke"/>: a participant of the encounter, an author of the report and the performer of the vitals they took.
    /// <paramref name="allergies"/> are the patient's, as known when the consultation ended (<see cref="AllergyEndpoints.AsOf"/>).
    /// </summary>
    public static Bundle OpConsultRecord(
        Consultation consultation, FacilityDetails facility, FacilityDetails? spoke, PrescriberDetails doctor, PatientDetails patient, PatientContact contact,
        DateTimeOffset now, IReadOnlyList<Allergy>? allergies = null)
    {
        var entries = new FhirEntries(consultation.Id, "op-consult");
        var record = consultation.Record;
        var notes = record.Notes;
        var date = consultation.EndedAt ?? now;
        var encounter = entries.Ref(EncounterKey, "Encounter");
        var hasDiagnosis = record.Diagnosis is not null;

        entries.Add(PatientKey, Patient(patient, contact));
        entries.Add(PractitionerKey, Practitioner(doctor));
        entries.Add(OrganizationKey, Organization(facility));
        var assisted = false;
        if (consultation is { HealthWorkerId: { } healthWorkerId, HealthWorker: { } healthWorker } && spoke is not null)
        {
            AddHealthWorker(entries, healthWorkerId, healthWorker.Name, healthWorker.Cadre, spoke);
            assisted = true;
        }
        entries.Add(EncounterKey, Encounter(entries, consultation, hasDiagnosis, assisted));
        if (record.Diagnosis is { } diagnosis)
        {
            entries.Add(DiagnosisKey, Diagnosis(entries, diagnosis, date, encounter));
        }

        List<Composition.SectionComponent?> sections =
        [
            ChiefComplaints(entries, notes?.ChiefComplaints, date, encounter),
            Allergies(entries, allergies ?? [], date),
            notes?.History is { } history ? Section("Medical History", FhirCodes.Sections.MedicalHistory, [], history) : null,
            PhysicalExamination(entries, consultation, notes?.Examination, encounter, assisted),
            InvestigationAdvice(entries, notes?.InvestigationsAdvised, date, encounter, hasDiagnosis),
            Medications(entries, record, date, encounter, hasDiagnosis),
            notes?.FollowUpOn is { } followUp ? FollowUp(entries, followUp, date, hasDiagnosis) : null,
            notes?.Advice is { } advice ? Section("Advice", null, [], advice) : null,
            record.Addenda.IsEmpty ? null : Section("Addenda", null, [], [.. record.Addenda.Select(a => $"{Moment(a.At)}: {a.Text}")]),
        ];
        var present = sections.OfType<Composition.SectionComponent>().ToList();
        if (present.Count == 0)
        {
            present.Add(Section("Consultation", null, [], $"{Describe(consultation.Medium)} on {Day(consultation.StartedAt)}; nothing was recorded."));
        }

        entries.AddFirst(CompositionKey, new Composition
        {
            Meta = FhirEntries.Profile("OPConsultRecord"),
            Language = "en-IN",
            Identifier = new Identifier(FhirCodes.Rfc3986, entries.UrlOf(CompositionKey)),
            Status = CompositionStatus.Final,
            Type = new CodeableConcept { Coding = [FhirCodes.Documents.OpConsult], Text = "Clinical consultation report" },
            Subject = entries.Ref(PatientKey, "Patient", patient.Name),
            Encounter = encounter,
            DateElement = new FhirDateTime(date),
            Author = assisted
                ? [entries.Ref(PractitionerKey, "Practitioner", doctor.Name), HealthWorkerRef(entries, consultation)]
                : [entries.Ref(PractitionerKey, "Practitioner", doctor.Name)],
            Title = "Consultation Report",
            Attester =
            [
                new Composition.AttesterComponent
                {
                    Mode = Composition.CompositionAttestationMode.Professional,
                    TimeElement = new FhirDateTime(date),
                    Party = entries.Ref(PractitionerKey, "Practitioner", doctor.Name),
                },
            ],
            Custodian = entries.Ref(OrganizationKey, "Organization", facility.Name),
            Section = present,
            Text = FhirEntries.Narrative(
                $"Consultation Report: {patient.Name} with {doctor.Name}, {facility.Name}",
                $"{Describe(consultation.Medium)} on {Moment(consultation.StartedAt)}",
                Assisted(consultation.HealthWorker),
                record.Diagnosis is { } d ? $"Diagnosis: {d.Text}" : null),
        });
        return Document(entries, now);
    }

    public static Bundle PrescriptionRecord(PrescriptionContent content, PatientContact contact, byte[] signedPdf, string jws)
    {
        var entries = new FhirEntries(content.PrescriptionId, "prescription");
        var issued = content.IssuedAt;

        entries.Add(PatientKey, Patient(content.Patient, contact));
        entries.Add(PractitionerKey, Practitioner(content.Doctor));
        entries.Add(OrganizationKey, Organization(content.Facility));
        ResourceReference? encounter = null;
        if (content.AssistedBy is { } assisted)
        {
            AddHealthWorker(entries, assisted.Id, assisted.Name, assisted.Cadre, assisted.Spoke);
            entries.Add(EncounterKey, AssistedEncounter(entries, content, assisted));
            encounter = entries.Ref(EncounterKey, "Encounter");
        }
        entries.Add(DiagnosisKey, Diagnosis(entries, content.Diagnosis, issued, encounter: null));
        var orders = content.Medicines
            .Select((medicine, i) => entries.Add(MedicationKey(i),
                Medication(entries, medicine, issued, hasDiagnosis: true, encounter: null, content.PrescriptionId, content.ValidUntil)))
            .ToList();
        var pdf = entries.Add(PdfKey, new Binary { Meta = FhirEntries.Profile("Binary"), ContentType = "application/pdf", Data = signedPdf });

        var summary = new List<string?>
        {
            $"Prescription by {content.Doctor.Name} ({content.Doctor.Qualification}, reg. {content.Doctor.RegistrationNumber}"
                + (string.IsNullOrWhiteSpace(content.Doctor.HprId) ? "" : $", HPR ID {content.Doctor.HprId}") + $") on {Day(issued)}",
            $"Patient: {content.Patient.Name}, {content.Patient.Sex}, {content.Patient.AgeYears} years",
            content.AssistedBy is { } by ? Assisted(by.Name, by.Cadre, by.Spoke.Name) : null,
            content.ChiefComplaints is { } complaints ? $"Complaints: {complaints}" : null,
            $"Diagnosis: {content.Diagnosis.Text}",
        };
        summary.AddRange(content.Medicines.Select((m, i) => $"{i + 1}. {MedicineName(m)}: {FhirDosage.Text(m)}"));
        summary.Add(content.InvestigationsAdvised is { } investigations ? $"Investigations: {investigations}" : null);
        summary.Add(content.Advice is { } advice ? $"Advice: {advice}" : null);
        summary.Add(content.FollowUpOn is { } followUp ? $"Follow up on {Day(followUp)}" : null);
        summary.Add($"Valid until {Day(content.ValidUntil)}");

        entries.AddFirst(CompositionKey, new Composition
        {
            Meta = FhirEntries.Profile("PrescriptionRecord"),
            Language = "en-IN",
            Identifier = new Identifier(FhirCodes.Rfc3986, entries.UrlOf(CompositionKey)),
            Status = CompositionStatus.Final,
            Type = new CodeableConcept { Coding = [FhirCodes.Documents.Prescription], Text = "Prescription record" },
            Subject = entries.Ref(PatientKey, "Patient", content.Patient.Name),
            Encounter = encounter,
            DateElement = new FhirDateTime(issued),
            Author = [entries.Ref(PractitionerKey, "Practitioner", content.Doctor.Name)],
            Title = "Prescription record",
            Attester =
            [
                new Composition.AttesterComponent
                {
                    Mode = Composition.CompositionAttestationMode.Legal,
                    TimeElement = new FhirDateTime(issued),
                    Party = entries.Ref(PractitionerKey, "Practitioner", content.Doctor.Name),
                },
            ],
            Custodian = entries.Ref(OrganizationKey, "Organization", content.Facility.Name),
            Section = [Section("Prescription record", FhirCodes.Sections.Prescription, [.. orders, pdf], [.. summary])],
            Text = FhirEntries.Narrative([.. summary]),
        });

        var bundle = Document(entries, issued);
        bundle.Signature = new Signature
        {
            Type = [new Coding(FhirCodes.SignatureType, "1.2.840.10065.1.12.1.1", "Author's Signature")],
            When = issued,
            Who = entries.Ref(PractitionerKey, "Practitioner", content.Doctor.Name),
            SigFormat = "application/jose",
            Data = Encoding.UTF8.GetBytes(jws),
        };
        return bundle;
    }

    public static string ToJson(Resource resource) => FhirJsonSerializer.Default.SerializeToString(resource, pretty: false);

    /// <summary>What is wrong with a document bundle, in words; empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(Bundle bundle)
    {
        var problems = bundle.Validate(ModelInfo.ModelInspector, NarrativeValidationKind.FhirXhtml, validator: null, validateRecursively: true)
            .Select(error => error.Message)
            .ToList();
        if (bundle.Type != Bundle.BundleType.Document)
        {
            problems.Add($"The bundle is a {bundle.Type?.ToString() ?? "bundle without type"}, not a document.");
        }
        if (bundle.Entry.FirstOrDefault()?.Resource is not Composition)
        {
            problems.Add("The first entry of a document must be its Composition.");
        }
        var fullUrls = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (entry, index) in bundle.Entry.Select((e, i) => (e, i)))
        {
            var what = $"Entry {index} ({entry.Resource?.TypeName ?? "empty"})";
            if (string.IsNullOrEmpty(entry.FullUrl))
            {
                problems.Add($"{what} has no fullUrl.");
            }
            else if (!fullUrls.Add(entry.FullUrl))
            {
                problems.Add($"{what} repeats the fullUrl {entry.FullUrl}.");
            }
            if (entry.Resource is DomainResource { Text: null })
            {
                problems.Add($"{what} has no narrative text.");
            }
        }
        foreach (var entry in bundle.Entry)
        {
            if (entry.Resource is { } resource)
            {
                problems.AddRange(Dangling(resource, fullUrls, $"{resource.TypeName} {entry.FullUrl}"));
            }
        }
        if (bundle.Signature is { } signature)
        {
            problems.AddRange(Dangling(signature, fullUrls, "The bundle's signature"));
        }
        return problems;
    }

    private static IEnumerable<string> Dangling(Base root, HashSet<string> fullUrls, string holder) =>
        DescendantsAndSelf(root)
            .OfType<ResourceReference>()
            .Where(r => r.Reference is { } target && !target.StartsWith('#') && !fullUrls.Contains(target))
            .Select(r => $"{holder} refers to {r.Reference}, which is not an entry of the bundle.");

    private static IEnumerable<Base> DescendantsAndSelf(Base node) =>
        node.EnumerateElements()
            .SelectMany(element => element.Value switch
            {
                Base child => [child],
                IEnumerable<Base> children => children,
                _ => [],
            })
            .SelectMany(DescendantsAndSelf)
            .Prepend(node);

    private static Bundle Document(FhirEntries entries, DateTimeOffset timestamp) => new()
    {
        Id = entries.IdOf(BundleKey).ToString(),
        Meta = new Meta
        {
            VersionId = "1", LastUpdated = timestamp, Profile = [FhirCodes.ProfileBase + "DocumentBundle"], Security = [FhirCodes.VeryRestricted],
        },
        Identifier = new Identifier(FhirCodes.Rfc3986, entries.UrlOf(BundleKey)),
        Type = Bundle.BundleType.Document,
        Timestamp = timestamp,
        Entry = [.. entries.All],
    };

    /// <summary>The health worker (a Practitioner: no HPR ID, their Telemed account) in their role at the spoke.</summary>
    private static void AddHealthWorker(FhirEntries entries, Guid healthWorkerId, string name, Cadre cadre, FacilityDetails spoke)
    {
        var described = HealthWorkerRules.Describe(cadre);
        entries.Add(HealthWorkerKey, new Practitioner
        {
            Meta = FhirEntries.Profile("Practitioner"),
            // NRCeS's Practitioner needs a typed identifier; a health worker has no HPR ID, so it is Telemed's provider number for them.
            Identifier = [new Identifier(FhirCodes.Rfc3986, $"urn:uuid:{healthWorkerId}")
            {
                Type = FhirCodes.Concept(FhirCodes.V2IdentifierType, "PRN", "Provider number"),
            }],
            Name = [new HumanName { Text = name }],
            Qualification = [new Practitioner.QualificationComponent { Code = new CodeableConcept { Text = described } }],
            Text = FhirEntries.Narrative($"{name}, {described}"),
        });
        entries.Add(SpokeKey, Organization(spoke));
        entries.Add(HealthWorkerRoleKey, new PractitionerRole
        {
            Meta = FhirEntries.Profile("PractitionerRole"),
            Practitioner = entries.Ref(HealthWorkerKey, "Practitioner", name),
            Organization = entries.Ref(SpokeKey, "Organization", spoke.Name),
            Code = [new CodeableConcept { Text = described }],
            Text = FhirEntries.Narrative($"{name}, {described} at {spoke.Name}"),
        });
    }

    private static ResourceReference HealthWorkerRef(FhirEntries entries, Consultation consultation) =>
        entries.Ref(HealthWorkerRoleKey, "PractitionerRole", consultation.HealthWorker?.Name);

    private static string? Assisted(AssistingHealthWorker? healthWorker) => healthWorker is null
        ? null
        : Assisted(healthWorker.Name, healthWorker.Cadre, healthWorker.SpokeName);

    private static string Assisted(string name, Cadre cadre, string spokeName) => $"Assisted by {name} ({HealthWorkerRules.Describe(cadre)}) at {spokeName}";

    /// <summary>
    /// The prescription's encounter, when a health worker brought the patient: the doctor and, as secondary performer, the
    /// health worker in their role at the spoke, as the consultation's own record names them.
    /// </summary>
    private static Encounter AssistedEncounter(FhirEntries entries, PrescriptionContent content, PrescriptionHealthWorker healthWorker) => new()
    {
        Meta = FhirEntries.Profile("Encounter"),
        Identifier = [new Identifier(FhirCodes.Rfc3986, $"urn:uuid:{content.ConsultationId}")],
        Status = Hl7.Fhir.Model.Encounter.EncounterStatus.Finished,
        Class = new Coding(FhirCodes.ActCode, "VR", "virtual"),
        Type = [new CodeableConcept { Text = Describe(content.Medium) }],
        Subject = entries.Ref(PatientKey, "Patient"),
        Participant =
        [
            new Hl7.Fhir.Model.Encounter.ParticipantComponent { Individual = entries.Ref(PractitionerKey, "Practitioner") },
            new Hl7.Fhir.Model.Encounter.ParticipantComponent
            {
                Type = [FhirCodes.Concept(FhirCodes.ParticipationType, "SPRF", "secondary performer")],
                Individual = entries.Ref(HealthWorkerRoleKey, "PractitionerRole", healthWorker.Name),
            },
        ],
        ServiceProvider = entries.Ref(OrganizationKey, "Organization"),
        Text = FhirEntries.Narrative(Describe(content.Medium), Assisted(healthWorker.Name, healthWorker.Cadre, healthWorker.Spoke.Name)),
    };

    private static Encounter Encounter(FhirEntries entries, Consultation consultation, bool hasDiagnosis, bool assisted) => new()
    {
        Meta = FhirEntries.Profile("Encounter"),
        Identifier = [new Identifier(FhirCodes.Rfc3986, $"urn:uuid:{consultation.Id}")],
        Status = consultation.Status switch
        {
            ConsultationStatus.Completed => Hl7.Fhir.Model.Encounter.EncounterStatus.Finished,
            ConsultationStatus.Abandoned => Hl7.Fhir.Model.Encounter.EncounterStatus.Cancelled,
            _ => Hl7.Fhir.Model.Encounter.EncounterStatus.InProgress,
        },
        Class = new Coding(FhirCodes.ActCode, "VR", "virtual"),
        Type = [new CodeableConcept { Text = Describe(consultation.Medium) }],
        Subject = entries.Ref(PatientKey, "Patient"),
        Participant = !assisted
            ? [new Hl7.Fhir.Model.Encounter.ParticipantComponent { Individual = entries.Ref(PractitionerKey, "Practitioner") }]
            :
            [
                new Hl7.Fhir.Model.Encounter.ParticipantComponent { Individual = entries.Ref(PractitionerKey, "Practitioner") },
                new Hl7.Fhir.Model.Encounter.ParticipantComponent
                {
                    // v3 ParticipationType SPRF: a person assisting in an act through their substantial presence and involvement.
                    Type = [FhirCodes.Concept(FhirCodes.ParticipationType, "SPRF", "secondary performer")],
                    Individual = HealthWorkerRef(entries, consultation),
                },
            ],
        Period = new Period
        {
            StartElement = new FhirDateTime(consultation.StartedAt),
            EndElement = consultation.EndedAt is { } ended ? new FhirDateTime(ended) : null,
        },
        Diagnosis = hasDiagnosis
            ? [new Hl7.Fhir.Model.Encounter.DiagnosisComponent
            {
                Condition = entries.Ref(DiagnosisKey, "Condition"),
                Use = FhirCodes.Concept(FhirCodes.Snomed, "148006", "Preliminary diagnosis"),
                Rank = 1,
            }]
            : [],
        ServiceProvider = entries.Ref(OrganizationKey, "Organization"),
        Text = FhirEntries.Narrative(
            $"{Describe(consultation.Medium)}, token {consultation.Token.ToString(CultureInfo.InvariantCulture)}",
            $"From {Moment(consultation.StartedAt)}{(consultation.EndedAt is { } end ? $" to {Moment(end)}" : "")}",
            Assisted(consultation.HealthWorker)),
    };

    private static Composition.SectionComponent? ChiefComplaints(FhirEntries entries, string? text, DateTimeOffset recordedAt, ResourceReference encounter)
    {
        var complaints = Items(text);
        if (complaints.Count == 0)
        {
            return null;
        }
        var references = complaints.Select((complaint, i) => entries.Add($"Condition/complaint/{i}", new Condition
            {
                Meta = FhirEntries.Profile("Condition"),
                ClinicalStatus = FhirCodes.Concept(FhirCodes.ConditionClinical, "active", "Active"),
                Code = new CodeableConcept { Text = complaint },
                Subject = entries.Ref(PatientKey, "Patient"),
                Encounter = encounter,
                RecordedDateElement = new FhirDateTime(recordedAt),
                Text = FhirEntries.Narrative($"Chief complaint: {complaint}"),
            }))
            .ToList();
        return Section("Chief complaints", FhirCodes.Sections.ChiefComplaints, references, [.. complaints]);
    }

    private static Composition.SectionComponent? PhysicalExamination(
        FhirEntries entries, Consultation consultation, string? examination, ResourceReference encounter, bool assisted)
    {
        var findings = new List<(string Key, string Line, Observation Observation)>();
        var byHealthWorker = assisted && consultation.Record.VitalsBy == consultation.HealthWorkerId;
        foreach (var vital in VitalSigns(consultation.Record.Vitals, null))
        {
            findings.Add(($"Observation/{vital.Key}", vital.Line, VitalSign(vital, consultation.StartedAt, entries.Ref(PatientKey, "Patient"), encounter,
                [byHealthWorker ? HealthWorkerRef(entries, consultation) : entries.Ref(PractitionerKey, "Practitioner")], null, null)));
        }
        foreach (var (reading, index) in consultation.DeviceReadings.Select((reading, index) => (reading, index)))
        {
            var deviceKey = DeviceKey(reading.Observation.Device, reading.By);
            if (!entries.All.Any(e => e.FullUrl == entries.UrlOf(deviceKey)))
            {
                entries.Add(deviceKey, Device(reading.Observation.Device));
            }
            foreach (var vital in VitalSigns(reading.Observation.Vitals, reading.Observation.GlucoseMgPerDl))
            {
                var line = $"{vital.Line} (device: {reading.Observation.Device.Name})";
                findings.Add(($"Observation/device/{index}/{vital.Key}", line, VitalSign(vital with { Line = line }, reading.Observation.MeasuredAt ?? reading.At,
                    entries.Ref(PatientKey, "Patient"), encounter, [], entries.Ref(deviceKey, "Device", reading.Observation.Device.Name),
                    ReadingIdentifier(reading))));
            }
        }
        if (!string.IsNullOrWhiteSpace(examination))
        {
            var line = $"Examination: {examination}";
            findings.Add(("Observation/examination", line, new Observation
            {
                Meta = FhirEntries.Profile("Observation"),
                Status = ObservationStatus.Final,
                Category = [FhirCodes.Concept(FhirCodes.ObservationCategory, "exam", "Exam")],
                Code = new CodeableConcept { Coding = [FhirCodes.Vitals.Examination], Text = "Examination findings" },
                Subject = entries.Ref(PatientKey, "Patient"),
                Encounter = encounter,
                Effective = new FhirDateTime(consultation.StartedAt),
                Performer = [entries.Ref(PractitionerKey, "Practitioner")],
                Value = new FhirString(examination),
                Text = FhirEntries.Narrative(line),
            }));
        }
        if (findings.Count == 0)
        {
            return null;
        }
        return Section("Physical examination", FhirCodes.Sections.PhysicalExamination,
            [.. findings.Select(f => entries.Add(f.Key, f.Observation))], [.. findings.Select(f => f.Line)]);
    }

    /// <summary>One vital sign as an Observation needs it: LOINC codes, UCUM quantity (or components), and its line of narrative.</summary>
    public sealed record VitalSignFinding(string Key, string Label, string Line, Coding[] Codes, Quantity? Value, List<Observation.ComponentComponent> Components);

    /// <summary>The vital signs of a record, typed by the doctor or measured by a device, each with its LOINC code and UCUM unit.</summary>
    public static IEnumerable<VitalSignFinding> VitalSigns(Vitals? vitals, decimal? glucoseMgPerDl)
    {
        if (vitals is { SystolicMmHg: not null } or { DiastolicMmHg: not null })
        {
            var components = new List<Observation.ComponentComponent>();
            if (vitals.SystolicMmHg is { } systolic)
            {
                components.Add(new Observation.ComponentComponent { Code = Code(FhirCodes.Vitals.Systolic), Value = Ucum(systolic, "mmHg", "mm[Hg]") });
            }
            if (vitals.DiastolicMmHg is { } diastolic)
            {
                components.Add(new Observation.ComponentComponent { Code = Code(FhirCodes.Vitals.Diastolic), Value = Ucum(diastolic, "mmHg", "mm[Hg]") });
            }
            var line = Invariant($"Blood pressure: {vitals.SystolicMmHg?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{vitals.DiastolicMmHg?.ToString(CultureInfo.InvariantCulture) ?? "-"} mmHg");
            yield return new("blood-pressure", "Blood pressure", line, [FhirCodes.Vitals.BloodPressurePanel], null, components);
        }
        if (vitals?.PulsePerMinute is { } pulse)
        {
            yield return new("pulse", "Pulse", Invariant($"Pulse: {pulse} /min"), [FhirCodes.Vitals.Pulse], Ucum(pulse, "beats/minute", "/min"), []);
        }
        if (vitals?.TemperatureCelsius is { } temperature)
        {
            yield return new("temperature", "Temperature", Invariant($"Temperature: {temperature} °C"), [FhirCodes.Vitals.Temperature], Ucum(temperature, "°C", "Cel"), []);
        }
        if (vitals?.SpO2Percent is { } spO2)
        {
            yield return new("spo2", "SpO2", Invariant($"SpO2: {spO2} %"), [FhirCodes.Vitals.SpO2, FhirCodes.Vitals.OxygenSaturation], Ucum(spO2, "%", "%"), []);
        }
        if (vitals?.WeightKg is { } weight)
        {
            yield return new("weight", "Weight", Invariant($"Weight: {weight} kg"), [FhirCodes.Vitals.Weight], Ucum(weight, "kg", "kg"), []);
        }
        if (glucoseMgPerDl is { } glucose)
        {
            yield return new("glucose", "Blood glucose", Invariant($"Blood glucose: {glucose} mg/dL"), [FhirCodes.Vitals.Glucose], Ucum(glucose, "mg/dL", "mg/dL"), []);
        }
    }

    /// <summary>A device reading's vital signs as standalone Observations (references by id), as the device gateway answers with them.</summary>
    public static IEnumerable<Observation> DeviceObservations(DeviceVitalsRecorded reading)
    {
        var device = reading.Observation.Device;
        var identifier = ReadingIdentifier(reading);
        return VitalSigns(reading.Observation.Vitals, reading.Observation.GlucoseMgPerDl).Select(vital =>
        {
            var observation = VitalSign(vital, reading.Observation.MeasuredAt ?? reading.At, null,
                new ResourceReference($"Encounter/{reading.ConsultationId}"), [], new ResourceReference(device.DeviceId is { } id ? $"Device/{id}" : null, device.Name), identifier);
            observation.Id = Infrastructure.Ids.NameBased(reading.ConsultationId, $"{identifier.Value}/{vital.Key}").ToString();
            return observation;
        });
    }

    /// <summary>The same reading from the same device always has the same identifier, in the gateway's answer and in the documents.</summary>
    private static Identifier ReadingIdentifier(DeviceVitalsRecorded reading) => new(FhirCodes.Rfc3986,
        $"urn:uuid:{Infrastructure.Ids.NameBased(reading.ConsultationId, $"device-reading/{reading.Observation.Device.DeviceId ?? reading.By}/{reading.Observation.ReadingId}")}");

    private static string DeviceKey(DeviceSource device, Guid by) => $"Device/{device.DeviceId?.ToString() ?? $"{by}/{device.Name}"}";

    private static Device Device(DeviceSource device) => new()
    {
        Identifier = device.DeviceId is { } id ? [new Identifier(FhirCodes.Rfc3986, $"urn:uuid:{id}")] : [],
        DeviceName = [new Device.DeviceNameComponent { Name = device.Name, Type = DeviceNameType.UserFriendlyName }],
        Note = device.Characteristic is { } characteristic ? [new Annotation { Text = new Markdown($"Read over Bluetooth LE, GATT characteristic {characteristic}.") }] : [],
        Text = FhirEntries.Narrative($"Device: {device.Name}"),
    };

    private static Observation VitalSign(
        VitalSignFinding vital, DateTimeOffset at, ResourceReference? subject, ResourceReference encounter, List<ResourceReference> performers,
        ResourceReference? device, Identifier? identifier) => new()
    {
        Meta = FhirEntries.Profile("ObservationVitalSigns"),
        Identifier = identifier is null ? [] : [identifier],
        Status = ObservationStatus.Final,
        Category = [FhirCodes.Concept(FhirCodes.ObservationCategory, "vital-signs", "Vital Signs")],
        Code = new CodeableConcept { Coding = [.. vital.Codes], Text = vital.Label },
        Subject = subject,
        Encounter = encounter,
        Effective = new FhirDateTime(at),
        Performer = performers,
        Device = device,
        Value = vital.Value,
        Component = vital.Components,
        Text = FhirEntries.Narrative(vital.Line),
    };

    private static Composition.SectionComponent? InvestigationAdvice(
        FhirEntries entries, string? text, DateTimeOffset date, ResourceReference encounter, bool hasDiagnosis)
    {
        var investigations = Items(text);
        if (investigations.Count == 0)
        {
            return null;
        }
        var references = investigations.Select((investigation, i) => entries.Add($"ServiceRequest/{i}", new ServiceRequest
            {
                Meta = FhirEntries.Profile("ServiceRequest"),
                Status = RequestStatus.Active,
                Intent = RequestIntent.Order,
                Code = new CodeableConcept { Text = investigation },
                Subject = entries.Ref(PatientKey, "Patient"),
                Encounter = encounter,
                AuthoredOnElement = new FhirDateTime(date),
                Requester = entries.Ref(PractitionerKey, "Practitioner"),
                ReasonReference = hasDiagnosis ? [entries.Ref(DiagnosisKey, "Condition")] : [],
                Text = FhirEntries.Narrative($"Investigation advised: {investigation}"),
            }))
            .ToList();
        return Section("Investigation Advice", FhirCodes.Sections.InvestigationAdvice, references, [.. investigations]);
    }

    /// <summary>The patient's allergies as AllergyIntolerance: active, or resolved by the document's date; verified by a doctor or only reported.</summary>
    private static Composition.SectionComponent? Allergies(FhirEntries entries, IReadOnlyList<Allergy> allergies, DateTimeOffset date)
    {
        if (allergies.Count == 0)
        {
            return null;
        }
        var references = allergies
            .Select(allergy => entries.Add($"AllergyIntolerance/{allergy.Id}", new AllergyIntolerance
            {
                Meta = FhirEntries.Profile("AllergyIntolerance"),
                ClinicalStatus = allergy.ResolvedAt is { } resolved && resolved <= date
                    ? FhirCodes.Concept(FhirCodes.AllergyClinical, "resolved", "Resolved")
                    : FhirCodes.Concept(FhirCodes.AllergyClinical, "active", "Active"),
                VerificationStatus = allergy.Verified
                    ? FhirCodes.Concept(FhirCodes.AllergyVerification, "confirmed", "Confirmed")
                    : FhirCodes.Concept(FhirCodes.AllergyVerification, "unconfirmed", "Unconfirmed"),
                Code = new CodeableConcept { Text = allergy.Substance },
                Patient = entries.Ref(PatientKey, "Patient"),
                RecordedDateElement = new FhirDateTime(allergy.RecordedAt),
                Reaction =
                [
                    new AllergyIntolerance.ReactionComponent
                    {
                        Manifestation = [new CodeableConcept { Text = allergy.Reaction }],
                        Severity = allergy.Severity switch
                        {
                            AllergySeverity.Mild => AllergyIntolerance.AllergyIntoleranceSeverity.Mild,
                            AllergySeverity.Moderate => AllergyIntolerance.AllergyIntoleranceSeverity.Moderate,
                            _ => AllergyIntolerance.AllergyIntoleranceSeverity.Severe,
                        },
                    },
                ],
                Text = FhirEntries.Narrative(allergy.Describe()),
            }))
            .ToList();
        return Section("Allergies", FhirCodes.Sections.Allergies, references, [.. allergies.Select(a => a.Describe())]);
    }

    private static Composition.SectionComponent? Medications(
        FhirEntries entries, ClinicalRecord record, DateTimeOffset date, ResourceReference encounter, bool hasDiagnosis)
    {
        if (record.Medicines.IsEmpty)
        {
            return null;
        }
        var references = record.Medicines
            .Select((medicine, i) =>
                entries.Add(MedicationKey(i), Medication(entries, medicine, date, hasDiagnosis, encounter, record.PrescriptionId, validUntil: null)))
            .ToList();
        return Section("Medications", FhirCodes.Sections.Medications, references,
            [.. record.Medicines.Select(m => $"{MedicineName(m)}: {FhirDosage.Text(m)}")]);
    }

    private static Composition.SectionComponent FollowUp(FhirEntries entries, DateOnly on, DateTimeOffset date, bool hasDiagnosis)
    {
        var day = new FhirDateTime(on.Year, on.Month, on.Day);
        // NRCeS's Appointment needs a start, and FHIR then an end; the doctor names a day, not an hour, so the
        // appointment spans that day in India.
        var dayStart = new DateTimeOffset(on.ToDateTime(TimeOnly.MinValue), IndianTime.Offset);
        var appointment = entries.Add(FollowUpKey, new Appointment
        {
            Meta = FhirEntries.Profile("Appointment"),
            Status = Appointment.AppointmentStatus.Proposed,
            ServiceType = [FhirCodes.Concept(FhirCodes.Snomed, "11429006", "Consultation")],
            AppointmentType = FhirCodes.Concept(FhirCodes.Snomed, "185389009", "Follow-up visit"),
            ReasonReference = hasDiagnosis ? [entries.Ref(DiagnosisKey, "Condition")] : [],
            Description = $"Follow-up consultation on {Day(on)}",
            Start = dayStart,
            End = dayStart.AddDays(1),
            RequestedPeriod = [new Period { StartElement = day, EndElement = (FhirDateTime)day.DeepCopy() }],
            CreatedElement = new FhirDateTime(date),
            Participant =
            [
                new Appointment.ParticipantComponent { Actor = entries.Ref(PatientKey, "Patient"), Status = ParticipationStatus.NeedsAction },
                new Appointment.ParticipantComponent { Actor = entries.Ref(PractitionerKey, "Practitioner"), Status = ParticipationStatus.Accepted },
            ],
            Text = FhirEntries.Narrative($"Follow-up consultation on {Day(on)}"),
        });
        return Section("Follow Up", FhirCodes.Sections.FollowUp, [appointment], $"Follow up on {Day(on)}");
    }

    private static Composition.SectionComponent Section(string title, Coding? code, List<ResourceReference> entries, params string?[] lines) => new()
    {
        Title = title,
        Code = new CodeableConcept { Coding = code is null ? [] : [code], Text = title },
        Entry = entries,
        Text = FhirEntries.Narrative(lines),
    };

    private static CodeableConcept Code(Coding coding) => new() { Coding = [coding], Text = coding.Display };

    private static Quantity Ucum(decimal value, string unit, string code) => new() { Value = value, Unit = unit, System = FhirCodes.Ucum, Code = code };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Free text as items: one per line or semicolon.</summary>
    private static List<string> Items(string? text) =>
        text?.Split(['\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? [];

    private static string Describe(ConsultationMedium medium) => medium switch
    {
        ConsultationMedium.Video => "Video teleconsultation",
        ConsultationMedium.AudioOnly => "Audio teleconsultation",
        _ => "Chat teleconsultation",
    };

    private static string Day(DateTimeOffset at) => at.ToOffset(IndianTime.Offset).ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static string Moment(DateTimeOffset at) => at.ToOffset(IndianTime.Offset).ToString("d MMM yyyy, HH:mm 'IST'", CultureInfo.InvariantCulture);
}
