using Hl7.Fhir.Model;
using Telemed.Domain.Consultations;
using Telemed.Server.Records;

namespace Telemed.Server.Tests.Records;

/// <summary>Every document Telemed builds, and the IG's own examples, against the NRCeS profiles with Firely's validator.</summary>
public class NrcesProfileTests(ITestOutputHelper output)
{
    private const string DocumentBundle = NrcesValidator.Profiles + "DocumentBundle";
    private const string OldFollowUpCode = "736271009";

    private static NrcesValidator Validator => NrcesValidator.Shared;

    [Theory]
    [MemberData(nameof(FhirDocumentTests.EveryKindOfDocument), MemberType = typeof(FhirDocumentTests))]
    public void Every_document_Telemed_builds_conforms_to_the_NRCeS_profiles(string document)
    {
        Errors(FhirDocumentTests.BuildAnyKind(document)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(FhirDocumentTests.EveryKindOfDocument), MemberType = typeof(FhirDocumentTests))]
    public void Every_coded_section_of_a_consultation_report_is_one_the_OPConsultRecord_names(string document)
    {
        var composition = FhirDocumentTests.BuildAnyKind(document).Entry[0].Resource.ShouldBeOfType<Composition>();
        if (composition.Meta.Profile.Single() != NrcesValidator.Profiles + "OPConsultRecord")
        {
            return;
        }
        var slices = Validator.SectionSlices(NrcesValidator.Profiles + "OPConsultRecord");

        Unnamed(composition, slices).ShouldBeEmpty();
    }

    [Fact]
    public void A_consultation_report_with_the_old_follow_up_code_has_a_section_the_OPConsultRecord_does_not_name()
    {
        var bundle = FhirDocumentTests.BuildAnyKind("op-consult");
        var composition = bundle.Entry[0].Resource.ShouldBeOfType<Composition>();
        var followUp = composition.Section.Single(s => s.Title == "Follow Up");
        followUp.Code.Coding[0].Code = OldFollowUpCode;

        Unnamed(composition, Validator.SectionSlices(NrcesValidator.Profiles + "OPConsultRecord")).ShouldBe([$"Follow Up ({OldFollowUpCode})"]);
    }

    [Fact]
    public void The_observations_the_device_gateway_answers_with_conform_to_ObservationVitalSigns()
    {
        var reading = new DeviceVitalsRecorded(Guid.Parse("77777777-0000-0000-0000-000000000001"),
            new DeviceObservation("bp-1", new DeviceSource(Guid.Parse("77777777-0000-0000-0000-0000000000de"), "OPD kiosk cuff", null),
                new Vitals(132, 86, 74, 37.2m, 97, 61.5m), 99.1m, new DateTimeOffset(2026, 11, 25, 5, 32, 0, TimeSpan.Zero), []),
            Guid.Parse("77777777-0000-0000-0000-0000000000de"), new DateTimeOffset(2026, 11, 25, 5, 32, 5, TimeSpan.Zero));

        var observations = FhirDocuments.DeviceObservations(reading).ToList();

        observations.Count.ShouldBe(6);
        observations.SelectMany(o => Validator.Errors(o, NrcesValidator.Profiles + "ObservationVitalSigns")).ShouldBeEmpty();
    }

    [Fact]
    public void The_IGs_own_prescription_example_conforms()
    {
        Errors(Validator.Example<Bundle>("Bundle-Prescription-example-06.json")).ShouldBeEmpty();
    }

    /// <summary>
    /// The IG's consultation example still carries the old follow-up code, 736271009, which the OPConsultRecord's
    /// FollowUp slice (390906007) does not match: a section no slice names, followed by the named DocumentReference one,
    /// which the open-at-end slicing refuses. With the profile's code it conforms.
    /// </summary>
    [Fact]
    public void The_IGs_own_consultation_example_fails_only_for_its_old_follow_up_code_and_conforms_with_the_profiles_code()
    {
        var example = Validator.Example<Bundle>("Bundle-OPConsultNote-example-05.json");
        var followUp = example.Entry[0].Resource.ShouldBeOfType<Composition>().Section.Single(s => s.Title == "Follow Up");
        followUp.Code.Coding.ShouldHaveSingleItem().Code.ShouldBe(OldFollowUpCode);

        Errors(example).ShouldHaveSingleItem().ShouldContain("matched slice 'Bundle.entry[0].resource[0].section[0]:DocumentReference', but it appears after a non-match");

        followUp.Code.Coding[0] = new Coding("http://snomed.info/sct", "390906007", "Follow-up encounter");
        Errors(example).ShouldBeEmpty();
    }

    [Fact]
    public void The_validator_refuses_what_the_NRCeS_profiles_forbid()
    {
        var bundle = FhirDocumentTests.BuildAnyKind("prescription");
        var composition = bundle.Entry[0].Resource.ShouldBeOfType<Composition>();
        composition.Type.Coding[0].Code = "371530004";
        var patient = bundle.Entry.FindIndex(e => e.Resource is Patient);
        ((Patient)bundle.Entry[patient].Resource!).Identifier.Clear();
        var order = bundle.Entry.FindIndex(e => e.Resource is MedicationRequest);
        ((MedicationRequest)bundle.Entry[order].Resource!).DosageInstruction.Clear();

        Errors(bundle).ShouldBe(
        [
            "Error: Bundle.entry[0].resource[0].type[0].coding[0].code[0]: Value '371530004' is not exactly equal to fixed value '440545006'",
            $"Error: Bundle.entry[{patient}].resource[0]: Missing required member: 'identifier'",
            $"Error: Bundle.entry[{order}].resource[0]: Missing required member: 'dosageInstruction'",
        ], ignoreOrder: true);
    }

    private List<string> Errors(Bundle bundle)
    {
        var outcome = Validator.Validate(bundle, DocumentBundle);
        foreach (var issue in outcome.Issue)
        {
            output.WriteLine(NrcesValidator.Describe(issue));
        }
        return [.. outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).Select(NrcesValidator.Describe)];
    }

    private static List<string> Unnamed(Composition composition, IReadOnlyDictionary<string, string> slices) =>
    [
        .. composition.Section
            .Where(s => s.Code.Coding.Count > 0 && !slices.ContainsKey(s.Code.Coding[0].Code))
            .Select(s => $"{s.Title} ({s.Code.Coding[0].Code})"),
    ];
}
