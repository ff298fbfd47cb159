using Telemed.Domain.Identity;

namespace Telemed.Domain.Tests.Identity;

public class PersonRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    [Fact]
    public void A_year_of_birth_alone_is_enough() =>
        PersonRules.YearOfBirth(null, 1961, Today).Value.ShouldBe(1961);

    [Fact]
    public void A_date_of_birth_gives_the_year() =>
        PersonRules.YearOfBirth(new DateOnly(1990, 3, 4), null, Today).Value.ShouldBe(1990);

    [Theory]
    [InlineData(null, null, "required")]
    [InlineData(null, 1850, "before 1900")]
    [InlineData(null, 2027, "future")]
    [InlineData("2026-12-01", null, "future")]
    [InlineData("1990-03-04", 1991, "does not match")]
    public void Impossible_birth_dates_are_refused(string? date, int? year, string reason) =>
        PersonRules.YearOfBirth(date is null ? null : DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), year, Today)
            .Error.Message.ShouldContain(reason);

    [Theory]
    [InlineData("  Asha   Verma ", "Asha Verma")]
    [InlineData("आशा वर्मा", "आशा वर्मा")]
    public void Names_are_trimmed_and_keep_any_script(string input, string stored) =>
        PersonRules.Name(input).Value.ShouldBe(stored);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Asha\u0000Verma")]
    public void Empty_or_control_character_names_are_refused(string input) =>
        PersonRules.Name(input).IsSuccess.ShouldBeFalse();

    [Fact]
    public void Overlong_names_are_refused() =>
        PersonRules.Name(new string('a', 101)).Error.Message.ShouldContain("at most 100");

    [Theory]
    [InlineData("F", Sex.Female)]
    [InlineData("male", Sex.Male)]
    [InlineData("Other", Sex.Other)]
    public void Sex_is_read_in_short_or_long_form(string input, Sex sex) => PersonRules.ParseSex(input).Value.ShouldBe(sex);

    [Theory]
    [InlineData("Dr.Verma@Hospital.IN", "dr.verma@hospital.in")]
    public void Emails_are_stored_lower_case(string input, string stored) => PersonRules.Email(input).Value.ShouldBe(stored);

    [Theory]
    [InlineData("verma")]
    [InlineData("verma@")]
    [InlineData("@hospital.in")]
    [InlineData("verma@hospital")]
    [InlineData("ve rma@hospital.in")]
    public void Malformed_emails_are_refused(string input) => PersonRules.Email(input).IsSuccess.ShouldBeFalse();

    [Fact]
    public void Short_passwords_are_refused() => PersonRules.NewPassword("short").Error.Message.ShouldContain("at least 10");

    [Theory]
    [InlineData("1234567890")]
    [InlineData("qwertyuiop")]
    [InlineData("QwertyUiop")]
    [InlineData("iloveyou12")]
    public void Passwords_from_breached_password_lists_are_refused_whatever_their_case(string password) =>
        PersonRules.NewPassword(password).Error.Message.ShouldContain("leaked from other sites");

    [Fact]
    public void A_long_uncommon_password_passes() => PersonRules.NewPassword("kettle-monsoon-ledger-42").Value.ShouldBe("kettle-monsoon-ledger-42");
}
