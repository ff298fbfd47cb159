using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Records;

/// <summary>
/// Firely's validator with the NRCeS IG (ndhm.in 6.5.0) over the FHIR R4 core specification: every element, slice,
/// invariant and reference of a document against the profiles it claims. Loaded once per test run (<see cref="Shared"/>):
/// compiling the profiles takes seconds, validating a document milliseconds.
/// </summary>
/// <remarks>
/// Terminology is checked locally: a binding whose value set is in the IG or the core specification and can be expanded
/// here (the IG's own code systems, FHIR's and HL7's) is checked code by code. The NRCeS profiles bind SNOMED CT and LOINC
/// value sets only as example, preferred or extensible bindings, which Firely does not turn into errors; the profiles fix
/// the codes that matter (document types, section codes) as values, and those are checked. A required binding the validator cannot expand here
/// is an error, unless its value set is one of <see cref="UncheckableValueSets"/>, where it is a warning.
/// </remarks>
public sealed class NrcesValidator
{
    public const string Profiles = "https://nrces.in/ndhm/fhir/r4/StructureDefinition/";
    private const string PackageFolder = "ndhm.in-6.5.0";

    private static readonly string?[] Candidates = PackageCandidates();

    /// <summary>The IG package's folder, or null when it is in none of <see cref="Candidates"/>.</summary>
    private static readonly string? PackageDirectory = Candidates.FirstOrDefault(c => c is not null && File.Exists(Path.Combine(c, "package", "package.json")));

    private static readonly Lazy<NrcesValidator> Instance = new(() => new NrcesValidator(PackageDirectory!));

    /// <summary>
    /// The one validator of the test run. Without the IG package the calling test is skipped, saying where the package was
    /// looked for: it is public data from a fetched snapshot, which stays out of this repository (docs/fhir.md).
    /// </summary>
    public static NrcesValidator Shared
    {
        get
        {
            Assert.SkipWhen(PackageDirectory is null, Missing);
            return Instance.Value;
        }
    }

    /// <summary>
    /// The document's errors against the NRCeS profiles when the IG package is here, none otherwise: for end-to-end tests
    /// whose other checks must run either way (<see cref="NrcesProfileTests"/> is skipped instead, and says why).
    /// </summary>
    public static IReadOnlyList<string> DocumentErrorsIfPackaged(Bundle bundle) => PackageDirectory is null ? [] : Instance.Value.DocumentErrors(bundle);

    private static string Missing =>
        $"The NRCeS IG package ({PackageFolder}) is in none of: {string.Join(", ", Candidates.Where(c => c is not null))}. "
        + "Build it with tools/fhir-ig/build.sh (docs/fhir.md says from what).";

    /// <summary>
    /// The value sets no local expansion can check: all MIME types (urn:ietf:bcp:13, which has no enumerable content),
    /// bound to Binary.contentType and Signature.sigFormat. Telemed writes application/pdf and application/jose there.
    /// </summary>
    public static readonly IReadOnlySet<string> UncheckableValueSets = new HashSet<string>(StringComparer.Ordinal)
    {
        "http://hl7.org/fhir/ValueSet/mimetypes",
    };

    private readonly Validator validator;
    private readonly IAsyncResourceResolver resolver;
    private readonly string packageDirectory;

    // Firely's validator and its resolvers are not thread-safe (firely-validator-api #381), and test classes run in
    // parallel: one validation at a time.
    private readonly Lock gate = new();

    public NrcesValidator(string packageDirectory)
    {
        this.packageDirectory = packageDirectory;
        var ig = new DirectorySource(Path.Combine(packageDirectory, "package"), new DirectorySourceSettings { IncludeSubDirectories = false });
        resolver = new CachedResolver(new MultiResolver(ig, ZipSource.CreateValidationSource()));
        var terminology = new LocalTerminologyService(resolver);
        var settings = new ValidationSettings
        {
            HandleValidateCodeServiceFailure = (parameters, _) =>
                UncheckableValueSets.Contains(parameters.Url?.Value?.Split('|')[0] ?? "")
                    ? TerminologyServiceExceptionResult.Warning
                    : TerminologyServiceExceptionResult.Error,
        };
        validator = new Validator(resolver, terminology, null, settings);
    }

    /// <summary>The issues Firely reports for a resource against <paramref name="profile"/> and the profiles it claims.</summary>
    public OperationOutcome Validate(Resource resource, string profile)
    {
        lock (gate)
        {
            return validator.Validate(resource, profile);
        }
    }

    /// <summary>The errors of a document bundle against NRCeS's DocumentBundle and the profiles its entries claim.</summary>
    public IReadOnlyList<string> DocumentErrors(Bundle bundle) => Errors(bundle, Profiles + "DocumentBundle");

    /// <summary>The errors (and fatal issues) of a resource, one line each: severity, where, what.</summary>
    public IReadOnlyList<string> Errors(Resource resource, string profile) =>
        [.. Validate(resource, profile).Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(Describe)];

    /// <summary>
    /// The named section slices of a Composition profile by the SNOMED CT code each fixes. The slicing is open at the
    /// end, so a section with another code is only refused when a named one follows it; this map lets a test require
    /// every coded section to be one of the IG's.
    /// </summary>
    public IReadOnlyDictionary<string, string> SectionSlices(string profile)
    {
        const string SectionSlice = "Composition.section:";
        StructureDefinition? found;
        lock (gate)
        {
            found = resolver.FindStructureDefinitionAsync(profile).GetAwaiter().GetResult();
        }
        var definition = found ?? throw new InvalidOperationException($"The IG has no profile {profile}.");
        return definition.Snapshot.Element
            .Where(e => e.Path == "Composition.section.code.coding.code" && e.ElementId.StartsWith(SectionSlice, StringComparison.Ordinal))
            .Select(e => (Code: (e.Fixed as Code)?.Value, Slice: e.ElementId[SectionSlice.Length..].Split('.')[0]))
            .Where(s => s.Code is not null)
            .ToDictionary(s => s.Code!, s => s.Slice, StringComparer.Ordinal);
    }

    /// <summary>An example of the IG, parsed.</summary>
    public T Example<T>(string fileName) where T : Resource =>
        new FhirJsonDeserializer(new DeserializerSettings()).Deserialize<T>(File.ReadAllText(Path.Combine(packageDirectory, "package", "example", fileName)));

    public static string Describe(OperationOutcome.IssueComponent issue) =>
        $"{issue.Severity}: {string.Join(", ", issue.Expression.Concat(issue.Location).Distinct())}: {issue.Details?.Text ?? issue.Diagnostics}";

    /// <summary>Where the IG package is looked for: $TELEMED_FHIR_IG, the shared/ folder beside the repository, the repository's .data/.</summary>
    private static string?[] PackageCandidates()
    {
        var root = ServerProcess.RepositoryRoot();
        return
        [
            Environment.GetEnvironmentVariable("TELEMED_FHIR_IG"),
            Path.Combine(root, "..", "shared", "fhir-ig", PackageFolder),
            Path.Combine(root, ".data", "fhir-ig", PackageFolder),
        ];
    }
}
