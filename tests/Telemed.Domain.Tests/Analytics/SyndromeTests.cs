using Telemed.Domain.Analytics;
using Telemed.Domain.Consultations;

namespace Telemed.Domain.Tests.Analytics;

public class SyndromeTests
{
    private static Syndrome Icd10(string code, string text = "see code") =>
        Syndromes.Classify(new Diagnosis(text, new CodedConcept(ClinicalRules.Icd10, code)));

    private static Syndrome Snomed(string code, string text = "see code") =>
        Syndromes.Classify(new Diagnosis(text, new CodedConcept(ClinicalRules.Snomed, code)));

    private static Syndrome Text(string text) => Syndromes.Classify(new Diagnosis(text, null));

    [Theory]
    [InlineData("R50", Syndrome.Fever)]
    [InlineData("R50.9", Syndrome.Fever)]
    [InlineData("R50.81", Syndrome.Fever)]
    [InlineData("R51", Syndrome.Other)]
    [InlineData("J00", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("J06.9", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("J18.9", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("J22", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("J23", Syndrome.Other)]
    [InlineData("J45.9", Syndrome.Other)]
    [InlineData("U07.1", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("U07.2", Syndrome.Other)]
    [InlineData("A00.9", Syndrome.AcuteDiarrhoealDisease)]
    [InlineData("A09", Syndrome.AcuteDiarrhoealDisease)]
    [InlineData("A09.0", Syndrome.AcuteDiarrhoealDisease)]
    [InlineData("A10", Syndrome.Other)]
    [InlineData("K52.9", Syndrome.AcuteDiarrhoealDisease)]
    [InlineData("K52.8", Syndrome.Other)]
    [InlineData("A01.0", Syndrome.EntericFever)]
    [InlineData("A01.4", Syndrome.EntericFever)]
    [InlineData("A01.00", Syndrome.EntericFever)]
    [InlineData("A90", Syndrome.DengueLikeIllness)]
    [InlineData("A91", Syndrome.DengueLikeIllness)]
    [InlineData("A97.0", Syndrome.DengueLikeIllness)]
    [InlineData("A92.0", Syndrome.DengueLikeIllness)]
    [InlineData("A92.1", Syndrome.Other)]
    [InlineData("B50.9", Syndrome.Malaria)]
    [InlineData("B54", Syndrome.Malaria)]
    [InlineData("B49", Syndrome.Other)]
    [InlineData("B55.0", Syndrome.Other)]
    [InlineData("B15.9", Syndrome.AcuteHepatitis)]
    [InlineData("B17.2", Syndrome.AcuteHepatitis)]
    [InlineData("B18.1", Syndrome.Other)]
    [InlineData("R17", Syndrome.AcuteHepatitis)]
    [InlineData("A83.0", Syndrome.AcuteEncephalitisSyndrome)]
    [InlineData("A86", Syndrome.AcuteEncephalitisSyndrome)]
    [InlineData("A87.9", Syndrome.Other)]
    [InlineData("G04.9", Syndrome.AcuteEncephalitisSyndrome)]
    [InlineData("G03.9", Syndrome.Other)]
    [InlineData("I10", Syndrome.Other)]
    public void An_icd10_code_decides_the_group(string code, Syndrome expected) => Icd10(code).ShouldBe(expected);

    [Fact]
    public void Codes_are_read_without_a_dot_and_in_any_case()
    {
        Icd10("j069").ShouldBe(Syndrome.AcuteRespiratoryInfection);
        Syndromes.Classify(new Diagnosis("x", new CodedConcept("ICD10", " b54 "))).ShouldBe(Syndrome.Malaria);
    }

    [Fact]
    public void An_icd10_code_outranks_the_text() => Icd10("I10", "fever with cough").ShouldBe(Syndrome.Other);

    [Fact]
    public void A_malformed_icd10_code_falls_back_to_the_text() =>
        Syndromes.Classification(new Diagnosis("dengue", new CodedConcept(ClinicalRules.Icd10, "dengue")))
            .ShouldBe(new SyndromeClassification(Syndrome.DengueLikeIllness, SyndromeBasis.Text));

    [Theory]
    [InlineData("386661006", Syndrome.Fever)]
    [InlineData("54150009", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("840539006", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("62315008", Syndrome.AcuteDiarrhoealDisease)]
    [InlineData("38362002", Syndrome.DengueLikeIllness)]
    [InlineData("61462000", Syndrome.Malaria)]
    [InlineData("4834000", Syndrome.EntericFever)]
    [InlineData("18165001", Syndrome.AcuteHepatitis)]
    [InlineData("52947006", Syndrome.AcuteEncephalitisSyndrome)]
    public void Mapped_snomed_concepts_decide_the_group(string code, Syndrome expected)
    {
        Snomed(code).ShouldBe(expected);
        Syndromes.Classification(new Diagnosis("see code", new CodedConcept(ClinicalRules.Snomed, code))).Basis.ShouldBe(SyndromeBasis.SnomedCode);
    }

    [Fact]
    public void Every_mapped_snomed_concept_has_a_valid_check_digit() =>
        Syndromes.SnomedConcepts.Keys.ShouldAllBe(code => ClinicalRules.IsSnomedId(code));

    [Fact]
    public void An_unmapped_snomed_concept_falls_back_to_the_text()
    {
        // 38341003 is essential hypertension: not mapped, so the words decide (at lower confidence).
        Syndromes.Classification(new Diagnosis("Typhoid fever", new CodedConcept(ClinicalRules.Snomed, "38341003")))
            .ShouldBe(new SyndromeClassification(Syndrome.EntericFever, SyndromeBasis.Text));
        Snomed("38341003", "Essential hypertension").ShouldBe(Syndrome.Other);
    }

    [Theory]
    [InlineData("Viral fever", Syndrome.Fever)]
    [InlineData("PUO", Syndrome.Fever)]
    [InlineData("Febrile illness, 2 days", Syndrome.Fever)]
    [InlineData("Acute URTI", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("Fever with cough and sore throat", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("Community acquired pneumonia", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("COVID-19", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("Acute gastroenteritis with some dehydration", Syndrome.AcuteDiarrhoealDisease)]
    [InlineData("Loose motions since morning", Syndrome.AcuteDiarrhoealDisease)]
    [InlineData("Dengue fever (NS1 positive)", Syndrome.DengueLikeIllness)]
    [InlineData("Chikungunya", Syndrome.DengueLikeIllness)]
    [InlineData("P. falciparum malaria", Syndrome.Malaria)]
    [InlineData("Typhoid fever", Syndrome.EntericFever)]
    [InlineData("Enteric fever", Syndrome.EntericFever)]
    [InlineData("Jaundice, ? hepatitis A", Syndrome.AcuteHepatitis)]
    [InlineData("Acute encephalitis syndrome", Syndrome.AcuteEncephalitisSyndrome)]
    [InlineData("Japanese encephalitis", Syndrome.AcuteEncephalitisSyndrome)]
    public void English_text_is_matched(string text, Syndrome expected) => Text(text).ShouldBe(expected);

    [Theory]
    [InlineData("bukhar", Syndrome.Fever)]
    [InlineData("तेज़ बुखार", Syndrome.Fever)]
    [InlineData("बुखार", Syndrome.Fever)]
    [InlineData("3 din se bukhar aur khansi", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("खांसी जुकाम", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("खाँसी", Syndrome.AcuteRespiratoryInfection)]
    [InlineData("ulti dast", Syndrome.AcuteDiarrhoealDisease)]
    [InlineData("पतले दस्त", Syndrome.AcuteDiarrhoealDisease)]
    [InlineData("डेंगू", Syndrome.DengueLikeIllness)]
    [InlineData("मलेरिया", Syndrome.Malaria)]
    [InlineData("miyadi bukhar", Syndrome.EntericFever)]
    [InlineData("मियादी बुखार", Syndrome.EntericFever)]
    [InlineData("पीलिया", Syndrome.AcuteHepatitis)]
    [InlineData("peeliya", Syndrome.AcuteHepatitis)]
    [InlineData("चमकी बुखार", Syndrome.AcuteEncephalitisSyndrome)]
    [InlineData("dimagi bukhar", Syndrome.AcuteEncephalitisSyndrome)]
    public void Hindi_and_hinglish_text_is_matched(string text, Syndrome expected) => Text(text).ShouldBe(expected);

    [Theory]
    [InlineData("Essential hypertension")]
    [InlineData("Type 2 diabetes mellitus")]
    [InlineData("Afebrile, well")]
    [InlineData("No fever")]
    [InlineData("Malaria negative")]
    [InlineData("Malaria -ve")]
    [InlineData("h/o typhoid last year")]
    [InlineData("Chronic cough")]
    [InlineData("Hay fever")]
    [InlineData("bukhar nahi hai")]
    [InlineData("बुखार नहीं")]
    [InlineData("Neonatal jaundice")]
    [InlineData("")]
    [InlineData("   ")]
    public void Unknown_or_negated_text_is_other(string text) => Text(text).ShouldBe(Syndrome.Other);

    [Fact]
    public void A_negation_only_cancels_within_its_clause()
    {
        Text("No diarrhoea, fever since 2 days").ShouldBe(Syndrome.Fever);
        Text("Fever, malaria ruled out").ShouldBe(Syndrome.Fever);
        Text("Typhoid fever; malaria negative").ShouldBe(Syndrome.EntericFever);
    }

    [Fact]
    public void Keywords_match_whole_words_only()
    {
        Text("Feverfew tea").ShouldBe(Syndrome.Other);
        Text("Dastavez").ShouldBe(Syndrome.Other);
    }

    [Fact]
    public void Text_classification_is_marked_as_such() =>
        Syndromes.Classification(new Diagnosis("bukhar", null)).ShouldBe(new SyndromeClassification(Syndrome.Fever, SyndromeBasis.Text));

    [Fact]
    public void Code_classification_is_marked_as_such() =>
        Syndromes.Classification(new Diagnosis("fever", new CodedConcept(ClinicalRules.Icd10, "R50.9")))
            .ShouldBe(new SyndromeClassification(Syndrome.Fever, SyndromeBasis.Icd10Code));
}
