using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;

namespace Telemed.Domain.Tests.Abdm;

public class AbhaLinkingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Patient = Guid.NewGuid();
    private static readonly AbhaHolderFacts Priya = new(Patient, Sex.Female, 1988);
    private static readonly AbhaProfile PriyasAbha = new("91-1111-2222-3333", "priya.sharma@sbx", "Priya Sharma", Sex.Female, 1988, new DateOnly(1988, 6, 14), "9876543210");

    [Fact]
    public void A_proved_abha_that_matches_the_patient_is_linked()
    {
        var linked = AbhaLinking.Link(null, Priya, PriyasAbha, AbhaProof.MobileOtp, holderElsewhere: null, Now).Value;

        linked.ShouldBe(new AbhaVerified(Patient, PriyasAbha, AbhaProof.MobileOtp, Now));
        PatientAbha.Evolve(null, linked).ShouldBe(new PatientAbha(Patient, PriyasAbha, AbhaProof.MobileOtp, Now));
    }

    [Fact]
    public void An_abha_linked_to_another_patient_is_refused_and_nothing_is_linked() =>
        AbhaLinking.Link(null, Priya, PriyasAbha, AbhaProof.AadhaarOtp, holderElsewhere: Guid.NewGuid(), Now).Error.Code
            .ShouldBe(AbhaRefusalCode.LinkedToAnotherPatient);

    [Fact]
    public void Proving_the_same_abha_again_links_it_again_with_the_newer_profile()
    {
        var before = new PatientAbha(Patient, PriyasAbha, AbhaProof.MobileOtp, Now.AddDays(-30));
        var moved = PriyasAbha with { Address = "priya.s1988@sbx" };

        AbhaLinking.Link(before, Priya, moved, AbhaProof.AadhaarOtp, holderElsewhere: Patient, Now).Value.Profile.ShouldBe(moved);
    }

    [Fact]
    public void A_second_abha_for_a_patient_who_has_one_is_refused()
    {
        var before = new PatientAbha(Patient, PriyasAbha, AbhaProof.MobileOtp, Now.AddDays(-30));

        AbhaLinking.Link(before, Priya, PriyasAbha with { Number = "91-9999-8888-7777" }, AbhaProof.MobileOtp, null, Now).Error.Code
            .ShouldBe(AbhaRefusalCode.AnotherAbhaLinked);
    }

    [Fact]
    public void An_abha_of_someone_of_another_sex_or_age_is_refused_naming_what_differs()
    {
        var father = PriyasAbha with { Number = "91-2222-3333-4444", Sex = Sex.Male, YearOfBirth = 1956 };

        var refusal = AbhaLinking.Link(null, Priya, father, AbhaProof.MobileOtp, null, Now).Error;

        refusal.Code.ShouldBe(AbhaRefusalCode.NotThisPatient);
        refusal.Message.ShouldContain("born in 1956");
        refusal.Message.ShouldContain("male person");
    }

    [Fact]
    public void A_year_of_birth_one_off_and_an_unknown_sex_still_match() =>
        AbhaLinking.Mismatches(Priya with { Sex = Sex.Unknown }, PriyasAbha with { YearOfBirth = 1987, Sex = Sex.Male }).ShouldBeEmpty();
}
