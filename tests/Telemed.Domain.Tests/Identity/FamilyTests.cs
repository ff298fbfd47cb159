using Telemed.Domain.Identity;

namespace Telemed.Domain.Tests.Identity;

public class FamilyTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);
    private static readonly Guid Guardian = Guid.NewGuid();
    private static readonly Guid Child = Guid.NewGuid();
    private static readonly Guid Stranger = Guid.NewGuid();

    [Theory]
    [InlineData("2008-11-25", 18)]
    [InlineData("2008-11-26", 17)]
    [InlineData("2008-02-29", 18)]
    [InlineData("1950-12-31", 75)]
    public void Age_counts_whole_years_from_the_date_of_birth(string born, int age) =>
        Family.Age(2008, DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture), Today).ShouldBe(age);

    [Fact]
    public void With_only_the_year_known_the_age_is_the_one_reached_this_year() =>
        Family.Age(2010, null, Today).ShouldBe(16);

    [Fact]
    public void Someone_is_a_minor_until_the_day_they_turn_eighteen()
    {
        Family.IsMinor(2008, new DateOnly(2008, 11, 26), Today).ShouldBeTrue();
        Family.IsMinor(2008, new DateOnly(2008, 11, 25), Today).ShouldBeFalse();
        Family.IsMinor(2009, null, Today).ShouldBeTrue();
    }

    [Fact]
    public void A_patient_acts_for_themselves_and_their_dependants_and_for_nobody_else()
    {
        Family.MayActFor(Guardian, Guardian, null).ShouldBeTrue();
        Family.MayActFor(Guardian, Child, Guardian).ShouldBeTrue();
        Family.MayActFor(Stranger, Child, Guardian).ShouldBeFalse();
        Family.MayActFor(Stranger, Guardian, null).ShouldBeFalse();
        Family.MayActFor(Child, Guardian, null).ShouldBeFalse("a dependant does not act for their guardian");
    }

    [Fact]
    public void An_adult_who_is_nobodys_dependant_registers_family_members_up_to_the_limit()
    {
        Family.RefuseNewDependant(null, 1980, null, 0, Today).ShouldBeNull();
        Family.RefuseNewDependant(null, 1980, null, Family.MaxDependants - 1, Today).ShouldBeNull();
        Family.RefuseNewDependant(null, 1980, null, Family.MaxDependants, Today)!.Message.ShouldContain($"at most {Family.MaxDependants}");
    }

    [Fact]
    public void A_minor_or_a_dependant_cannot_register_family_members()
    {
        Family.RefuseNewDependant(null, 2010, new DateOnly(2010, 1, 1), 0, Today)!.Message.ShouldContain("Only an adult");
        Family.RefuseNewDependant(Guardian, 1950, null, 0, Today)!.Message.ShouldContain("cannot register dependants");
    }

    [Theory]
    [InlineData("parent", Relation.Parent)]
    [InlineData(" Child ", Relation.Child)]
    [InlineData("legalGuardian", Relation.LegalGuardian)]
    [InlineData("legal-guardian", Relation.LegalGuardian)]
    [InlineData("grandchild", Relation.Grandchild)]
    public void Relations_parse_in_their_api_spelling(string raw, Relation relation) => Family.ParseRelation(raw).Value.ShouldBe(relation);

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("uncle", "must be")]
    public void An_unknown_or_missing_relation_is_refused_with_the_choices(string? raw, string says) =>
        Family.ParseRelation(raw).Error.Message.ShouldContain(says);
}
