using Telemed.Domain.Identity;

namespace Telemed.Domain.Tests.Identity;

public class IdentifierTests
{
    [Theory]
    [InlineData("12-3456-7890-1234", "12-3456-7890-1234")]
    [InlineData("12345678901234", "12-3456-7890-1234")]
    [InlineData("  91-1111-2222-3333 ", "91-1111-2222-3333")]
    public void Abha_numbers_are_accepted_with_or_without_hyphens_and_stored_hyphenated(string input, string stored) =>
        AbhaNumber.Parse(input).Value.Value.ShouldBe(stored);

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("1234567890123", "14 digits")]
    [InlineData("123456789012345", "14 digits")]
    [InlineData("12-3456-7890-12AB", "only digits")]
    [InlineData("123-456-7890-1234", "XX-XXXX-XXXX-XXXX")]
    [InlineData("12-34567890-1234", "XX-XXXX-XXXX-XXXX")]
    [InlineData("12--3456-7890-1234", "XX-XXXX-XXXX-XXXX")]
    [InlineData("1234567890123412345678901234567890", "too long")]
    public void Malformed_abha_numbers_are_refused_with_the_reason(string? input, string reason) =>
        AbhaNumber.Parse(input).Error.Message.ShouldContain(reason);

    [Theory]
    [InlineData("priya.sharma@abdm", "priya.sharma@abdm")]
    [InlineData("Ravi_Kumar88@SBX", "ravi_kumar88@sbx")]
    [InlineData("12345678901234@sbx", "12345678901234@sbx")]
    public void Abha_addresses_are_accepted_and_stored_lower_case(string input, string stored) =>
        AbhaAddress.Parse(input).Value.Value.ShouldBe(stored);

    [Theory]
    [InlineData("", "required")]
    [InlineData("priyasharma", "handle@abdm")]
    [InlineData("priya@sharma@abdm", "handle@abdm")]
    [InlineData("priyasharma@gmail.com", "@abdm or @sbx")]
    [InlineData("priya@abdm", "8 to 18")]
    [InlineData("averyveryverylonghandle@abdm", "8 to 18")]
    [InlineData("priya.sh.arma@abdm", "at most one dot")]
    [InlineData(".priyasharma@abdm", "start or end")]
    [InlineData("priya-sharma@abdm", "only letters")]
    public void Malformed_abha_addresses_are_refused_with_the_reason(string input, string reason) =>
        AbhaAddress.Parse(input).Error.Message.ShouldContain(reason);

    [Theory]
    [InlineData("71-1234-5678-9012", "71-1234-5678-9012")]
    [InlineData("71123456789012", "71-1234-5678-9012")]
    public void Hpr_ids_are_accepted_and_stored_hyphenated(string input, string stored) =>
        HprId.Parse(input).Value.Value.ShouldBe(stored);

    [Theory]
    [InlineData("", "required")]
    [InlineData("72-1234-5678-9012", "begin with 71")]
    [InlineData("71-1234-5678-901", "14 digits")]
    [InlineData("71-12345-678-9012", "71-XXXX")]
    [InlineData("71-ABCD-5678-9012", "only digits")]
    public void Malformed_hpr_ids_are_refused_with_the_reason(string input, string reason) =>
        HprId.Parse(input).Error.Message.ShouldContain(reason);

    [Theory]
    [InlineData("IN2910000123", "IN2910000123")]
    [InlineData("in29ab000123", "IN29AB000123")]
    public void Hfr_ids_are_accepted_and_stored_upper_case(string input, string stored) =>
        HfrId.Parse(input).Value.Value.ShouldBe(stored);

    [Theory]
    [InlineData("", "required")]
    [InlineData("US2910000123", "begin with IN")]
    [InlineData("IN291000012", "10 letters or digits")]
    [InlineData("IN29100001234", "10 letters or digits")]
    [InlineData("IN29-0000123", "only letters and digits")]
    public void Malformed_hfr_ids_are_refused_with_the_reason(string input, string reason) =>
        HfrId.Parse(input).Error.Message.ShouldContain(reason);

    [Theory]
    [InlineData("9876543210")]
    [InlineData("+91 98765 43210")]
    [InlineData("+919876543210")]
    [InlineData("919876543210")]
    [InlineData("09876543210")]
    [InlineData("98765-43210")]
    public void Indian_mobile_numbers_are_accepted_in_the_usual_spellings_and_stored_e164(string input) =>
        MobileNumber.Parse(input).Value.Value.ShouldBe("+919876543210");

    [Theory]
    [InlineData("", "required")]
    [InlineData("987654321", "10 digits")]
    [InlineData("98765432101", "10 digits")]
    [InlineData("+1 415 555 0100", "10 digits")]
    [InlineData("5876543210", "start with 6, 7, 8 or 9")]
    [InlineData("98765abcde", "only digits")]
    [InlineData("+91 98765 43210 98765 43210", "too long")]
    public void Malformed_mobile_numbers_are_refused_with_the_reason(string input, string reason) =>
        MobileNumber.Parse(input).Error.Message.ShouldContain(reason);
}
