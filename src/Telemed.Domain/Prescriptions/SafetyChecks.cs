using System.Collections.Frozen;
using Telemed.Domain.Identity;
using Telemed.Domain.Records;

namespace Telemed.Domain.Prescriptions;

/// <summary>Whether the patient is pregnant or breastfeeding, as the doctor asked in this consultation.</summary>
public enum PregnancyStatus
{
    NotPregnant,
    Pregnant,
    Breastfeeding,
}

/// <summary>
/// Something the doctor must see before the prescription stands: a <see cref="Code"/>, the prescription line it concerns
/// (<see cref="Line"/>, the index into the medicines; null for the whole prescription) and a sentence that explains it.
/// </summary>
public sealed record SafetyWarning(string Code, int? Line, string Message)
{
    public const string Allergy = "Allergy";
    public const string DuplicateTherapy = "DuplicateTherapy";
    public const string PregnancyStatusUnknown = "PregnancyStatusUnknown";
    public const string ContraindicatedInPregnancy = "ContraindicatedInPregnancy";
    public const string ContraindicatedInBreastfeeding = "ContraindicatedInBreastfeeding";
    public const string WeightMissing = "WeightMissing";
    public const string WeeklyDrugGivenDaily = "WeeklyDrugGivenDaily";
    public const string QuantityExceedsCourse = "QuantityExceedsCourse";
    public const string DoseAbovePerKgLimit = "DoseAbovePerKgLimit";
}

/// <summary>The doctor's answer to a warning: prescribe anyway, for this reason. <see cref="Warning"/> keeps what the doctor was shown.</summary>
public sealed record SafetyOverride(string Code, int? Line, string Reason, string Warning);

/// <summary>The doctor's override as sent, before it is matched to a warning.</summary>
public sealed record SafetyOverrideInput(string? Code, int? Line, string? Reason);

/// <summary>
/// What the safety checks need beyond the consultation: the patient's age and sex as registered, their allergies, the
/// doctor's overrides, and the accompanying adult the doctor named for a minor (null: the check-in's).
/// </summary>
public sealed record PrescribingSafety(int AgeYears, Sex Sex, IReadOnlyList<Allergy> Allergies, IReadOnlyList<SafetyOverride> Overrides, Queue.AccompanyingAdult? AccompaniedBy);

/// <summary>What the checks need to know of the patient: age and sex as registered, the status and weight of this consultation, their active allergies.</summary>
public sealed record PatientSafetyFacts(int AgeYears, Sex Sex, PregnancyStatus? Pregnancy, decimal? WeightKg, IReadOnlyList<Allergy> Allergies);

/// <summary>
/// Clinical safety checks run on a prescription with the TPG rules: allergies by ingredient (and by class), duplicate
/// therapy, pregnancy and breastfeeding for women of child-bearing age, a weight for children, and the dose checks of
/// <see cref="DoseRules"/> (weekly medicines, quantity against the course, children's per-kg limits). Each check yields warnings;
/// the prescription stands once each warning is overridden with a reason.
/// </summary>
public static class SafetyChecks
{
    public const int ChildBearingFrom = 12;
    public const int ChildBearingTo = 50;
    public const int ChildUnder = 12;
    public const int MaxReasonLength = 500;

    /// <summary>A catalogue generic's ingredients: its parts, as combinations are written "a + b".</summary>
    public static IReadOnlyList<string> Ingredients(string generic) =>
        [.. generic.Split(" + ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(AllergyRules.Normalised)];

    /// <summary>
    /// Classes a patient may name as their allergy, and the catalogue's ingredients in each. An allergy to a class is an
    /// allergy to each of its members; cross-reactivity between classes (penicillins and cephalosporins) is left to the doctor.
    /// </summary>
    private static readonly FrozenDictionary<string, string[]> Classes = new Dictionary<string, string[]>
    {
        ["penicillin"] = ["amoxicillin", "ampicillin", "cloxacillin", "flucloxacillin", "benzylpenicillin", "phenoxymethylpenicillin", "piperacillin"],
        ["cephalosporin"] = ["cefixime", "cefuroxime", "cefpodoxime", "cefadroxil", "cephalexin", "ceftriaxone", "cefazolin"],
        ["sulfonamide"] = ["sulfamethoxazole", "sulfasalazine", "sulfacetamide", "silver sulfadiazine"],
        ["nsaid"] = ["ibuprofen", "diclofenac", "aceclofenac", "naproxen", "mefenamic acid", "etoricoxib", "ketorolac", "aspirin"],
        ["macrolide"] = ["azithromycin", "clarithromycin", "erythromycin"],
        ["fluoroquinolone"] = ["ciprofloxacin", "ofloxacin", "levofloxacin", "moxifloxacin"],
        ["tetracycline"] = ["doxycycline"],
        ["statin"] = ["atorvastatin", "rosuvastatin"],
        ["ace inhibitor"] = ["ramipril", "enalapril"],
        ["azole antifungal"] = ["clotrimazole", "miconazole", "ketoconazole", "luliconazole", "fluconazole", "itraconazole"],
    }.ToFrozenDictionary();

    /// <summary>Other ways a class is written: plurals, "sulfa", "sulpha", "NSAIDs", "quinolone".</summary>
    private static readonly FrozenDictionary<string, string> ClassNames = new Dictionary<string, string>
    {
        ["penicillins"] = "penicillin",
        ["cephalosporins"] = "cephalosporin",
        ["sulfonamides"] = "sulfonamide",
        ["sulphonamide"] = "sulfonamide",
        ["sulphonamides"] = "sulfonamide",
        ["sulfa"] = "sulfonamide",
        ["sulpha"] = "sulfonamide",
        ["sulfa drugs"] = "sulfonamide",
        ["sulpha drugs"] = "sulfonamide",
        ["nsaids"] = "nsaid",
        ["painkillers (nsaid)"] = "nsaid",
        ["macrolides"] = "macrolide",
        ["fluoroquinolones"] = "fluoroquinolone",
        ["quinolone"] = "fluoroquinolone",
        ["quinolones"] = "fluoroquinolone",
        ["tetracyclines"] = "tetracycline",
        ["statins"] = "statin",
        ["ace inhibitors"] = "ace inhibitor",
        ["azoles"] = "azole antifungal",
    }.ToFrozenDictionary();

    /// <summary>A medicine (by ingredient) to avoid in pregnancy, in breastfeeding, or both, and why.</summary>
    private sealed record Contraindication(bool Pregnancy, bool Breastfeeding, string Why);

    /// <summary>
    /// Ingredients contraindicated in pregnancy or breastfeeding, for clinical review (docs/prescribing.md): teratogens
    /// and medicines whose harm to the foetus or the breastfed infant outweighs their use in primary care.
    /// </summary>
    private static readonly FrozenDictionary<string, Contraindication> Contraindications = new Dictionary<string, Contraindication>
    {
        ["isotretinoin"] = new(true, true, "a retinoid that causes severe birth defects"),
        ["tretinoin"] = new(true, false, "a retinoid, avoided in pregnancy"),
        ["adapalene"] = new(true, false, "a retinoid, avoided in pregnancy"),
        ["warfarin"] = new(true, false, "causes warfarin embryopathy and foetal bleeding"),
        ["methotrexate"] = new(true, true, "an antimetabolite that causes miscarriage and birth defects, and passes into milk"),
        ["sodium valproate"] = new(true, false, "causes neural tube defects and developmental delay"),
        ["carbamazepine"] = new(true, false, "causes neural tube defects"),
        ["phenytoin"] = new(true, false, "causes foetal hydantoin syndrome"),
        ["topiramate"] = new(true, false, "causes cleft lip and palate"),
        ["atorvastatin"] = new(true, true, "a statin, avoided in pregnancy and breastfeeding"),
        ["rosuvastatin"] = new(true, true, "a statin, avoided in pregnancy and breastfeeding"),
        ["ramipril"] = new(true, false, "an ACE inhibitor: foetal kidney damage in the second and third trimesters"),
        ["enalapril"] = new(true, false, "an ACE inhibitor: foetal kidney damage in the second and third trimesters"),
        ["telmisartan"] = new(true, false, "an angiotensin receptor blocker: foetal kidney damage"),
        ["losartan"] = new(true, false, "an angiotensin receptor blocker: foetal kidney damage"),
        ["olmesartan"] = new(true, false, "an angiotensin receptor blocker: foetal kidney damage"),
        ["valsartan"] = new(true, false, "an angiotensin receptor blocker: foetal kidney damage"),
        ["sacubitril"] = new(true, false, "given with an angiotensin receptor blocker: foetal kidney damage"),
        ["finasteride"] = new(true, true, "feminises a male foetus; not for women"),
        ["doxycycline"] = new(true, false, "a tetracycline: stains the child's teeth and affects bone growth"),
        ["misoprostol"] = new(true, false, "causes uterine contractions and miscarriage"),
        ["carbimazole"] = new(true, false, "causes aplasia cutis and embryopathy in the first trimester"),
        ["letrozole"] = new(true, true, "an aromatase inhibitor, contraindicated in pregnancy and breastfeeding"),
        ["tamoxifen"] = new(true, true, "an anti-oestrogen, contraindicated in pregnancy and breastfeeding"),
        ["levonorgestrel"] = new(true, false, "a contraceptive hormone, of no use once pregnant"),
        ["ethinylestradiol"] = new(true, true, "an oestrogen: not used in pregnancy, and it reduces milk supply"),
        ["amiodarone"] = new(true, true, "causes foetal thyroid disease"),
        ["lithium"] = new(true, true, "causes cardiac malformations, and toxicity in the breastfed infant"),
    }.ToFrozenDictionary();

    /// <summary>The warnings on these lines for this patient, in line order; none when nothing needs the doctor's attention.</summary>
    public static IReadOnlyList<SafetyWarning> Check(IReadOnlyList<PrescribedMedicine> lines, PatientSafetyFacts patient)
    {
        var warnings = new List<SafetyWarning>();
        var ingredients = lines.Select(l => Ingredients(l.Generic)).ToList();
        var activeAllergies = patient.Allergies.Where(a => a.Active).ToList();
        var childBearing = patient.Sex == Sex.Female && patient.AgeYears is >= ChildBearingFrom and <= ChildBearingTo;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            foreach (var allergy in activeAllergies)
            {
                if (ingredients[i].FirstOrDefault(ingredient => Matches(allergy.Substance, ingredient)) is { } matched)
                {
                    warnings.Add(new SafetyWarning(SafetyWarning.Allergy, i,
                        $"{line.Generic}: the patient is allergic to {allergy.Describe()}, which matches its ingredient {matched}."));
                }
            }
            for (var earlier = 0; earlier < i; earlier++)
            {
                if (ingredients[i].Intersect(ingredients[earlier]).FirstOrDefault() is { } shared)
                {
                    warnings.Add(new SafetyWarning(SafetyWarning.DuplicateTherapy, i,
                        $"{line.Generic} and {lines[earlier].Generic} (line {earlier + 1}) both contain {shared}: duplicate therapy."));
                }
            }
            if (childBearing)
            {
                warnings.AddRange(Pregnancy(line, i, ingredients[i], patient.Pregnancy));
            }
            warnings.AddRange(DoseRules.Check(line, i, patient.AgeYears, patient.WeightKg));
        }
        if (patient.AgeYears < ChildUnder && patient.WeightKg is null && lines.Count > 0)
        {
            warnings.Add(new SafetyWarning(SafetyWarning.WeightMissing, null,
                $"The patient is a child under {ChildUnder}: record their weight in the vitals before prescribing, so doses can be checked per kg."));
        }
        return warnings;
    }

    private static IEnumerable<SafetyWarning> Pregnancy(PrescribedMedicine line, int index, IReadOnlyList<string> ingredients, PregnancyStatus? status)
    {
        var found = ingredients.Select(i => (Ingredient: i, Rule: Contraindications.GetValueOrDefault(i))).FirstOrDefault(c => c.Rule is not null && status switch
        {
            PregnancyStatus.NotPregnant => false,
            PregnancyStatus.Pregnant => c.Rule.Pregnancy,
            PregnancyStatus.Breastfeeding => c.Rule.Breastfeeding,
            _ => true,
        });
        if (found.Rule is not { } rule)
        {
            yield break;
        }
        yield return status switch
        {
            PregnancyStatus.Pregnant => new SafetyWarning(SafetyWarning.ContraindicatedInPregnancy, index,
                $"{line.Generic} is contraindicated in pregnancy: {found.Ingredient} {rule.Why}."),
            PregnancyStatus.Breastfeeding => new SafetyWarning(SafetyWarning.ContraindicatedInBreastfeeding, index,
                $"{line.Generic} is contraindicated while breastfeeding: {found.Ingredient} {rule.Why}."),
            _ => new SafetyWarning(SafetyWarning.PregnancyStatusUnknown, index,
                $"{line.Generic} is to be avoided in pregnancy or breastfeeding ({found.Ingredient}: {rule.Why}): ask whether the patient is pregnant or breastfeeding and record it."),
        };
    }

    /// <summary>Whether an allergy to <paramref name="substance"/> covers the ingredient: the same ingredient, one of a combination, or a member of the class.</summary>
    public static bool Matches(string substance, string ingredient)
    {
        var named = AllergyRules.Normalised(substance);
        var asClass = ClassNames.GetValueOrDefault(named, named);
        return Ingredients(named).Contains(ingredient) || (Classes.TryGetValue(asClass, out var members) && members.Contains(ingredient));
    }

    /// <summary>
    /// Matches the doctor's overrides to the warnings. Each warning needs an override with its code and line and a reason;
    /// returns the overrides to record, or the warnings still unanswered. An override matching no warning is dropped: the
    /// warning it answered has gone.
    /// </summary>
    public static (IReadOnlyList<SafetyOverride> Overrides, IReadOnlyList<SafetyWarning> Unanswered) Answer(
        IReadOnlyList<SafetyWarning> warnings, IReadOnlyList<SafetyOverride> overrides)
    {
        var kept = new List<SafetyOverride>();
        var unanswered = new List<SafetyWarning>();
        foreach (var warning in warnings)
        {
            if (overrides.FirstOrDefault(o => o.Code == warning.Code && o.Line == warning.Line) is { } answer)
            {
                kept.Add(answer with { Warning = warning.Message });
            }
            else
            {
                unanswered.Add(warning);
            }
        }
        return (kept, unanswered);
    }

    /// <summary>Parses the overrides sent with a prescription; problems under "overrides[i].field".</summary>
    public static IReadOnlyList<SafetyOverride> Overrides(IReadOnlyList<SafetyOverrideInput>? input, FieldErrors errors)
    {
        var parsed = new List<SafetyOverride>();
        for (var i = 0; i < (input?.Count ?? 0); i++)
        {
            var raw = input![i];
            var field = $"overrides[{i}]";
            if (string.IsNullOrWhiteSpace(raw.Code))
            {
                errors.Add($"{field}.code", "Name the warning's code.");
            }
            var reason = Consultations.ClinicalRules.Text(raw.Reason, $"{field}.reason", MaxReasonLength, errors);
            if (reason is null && raw.Reason?.Trim() is null or "")
            {
                errors.Add($"{field}.reason", "Give the reason for prescribing despite the warning.");
            }
            if (raw.Line is < 0)
            {
                errors.Add($"{field}.line", "A line is the index of a medicine (0 for the first).");
            }
            if (reason is not null && !string.IsNullOrWhiteSpace(raw.Code) && raw.Line is not < 0)
            {
                parsed.Add(new SafetyOverride(raw.Code.Trim(), raw.Line, reason, ""));
            }
        }
        return parsed;
    }

    /// <summary>One sentence for a refusal: every unanswered warning, in order.</summary>
    public static string Explain(IReadOnlyList<SafetyWarning> unanswered) =>
        "Safety checks need your attention; override each with a reason to prescribe anyway. "
        + string.Join(" ", unanswered.Select(w => w.Line is { } line ? $"Line {line + 1}: {w.Message}" : w.Message));
}
