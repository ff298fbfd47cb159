using Telemed.Domain.Abdm;

namespace Telemed.Domain.Tests.Abdm;

public class AadhaarNumberTests
{
    private static readonly string Valid = "23456789012" + AadhaarNumber.CheckDigit("23456789012");

    [Fact]
    public void The_check_digit_is_verhoeffs() => AadhaarNumber.CheckDigit("236").ShouldBe('3');

    [Fact]
    public void A_valid_number_is_accepted_with_or_without_separators()
    {
        AadhaarNumber.Parse(Valid).Value.Digits.ShouldBe(Valid);
        AadhaarNumber.Parse($"{Valid[..4]} {Valid[4..8]} {Valid[8..]}").Value.Digits.ShouldBe(Valid);
        AadhaarNumber.Parse($"{Valid[..4]}-{Valid[4..8]}-{Valid[8..]}").Value.Digits.ShouldBe(Valid);
    }

    [Fact]
    public void One_wrong_digit_or_two_swapped_neighbours_are_caught()
    {
        var wrongDigit = Valid[..5] + (char)('0' + ((Valid[5] - '0' + 1) % 10)) + Valid[6..];
        var swapped = Valid[..3] + Valid[4] + Valid[3] + Valid[5..];
        AadhaarNumber.Parse(wrongDigit).Error.Message.ShouldContain("not a valid Aadhaar number");
        if (swapped != Valid)
        {
            AadhaarNumber.Parse(swapped).Error.Message.ShouldContain("not a valid Aadhaar number");
        }
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("12345", "12 digits")]
    [InlineData("1234 5678 9012", "cannot start with 0 or 1")]
    [InlineData("2345 6789 01a2", "only digits")]
    public void Malformed_numbers_are_refused_with_the_reason(string? input, string reason) =>
        AadhaarNumber.Parse(input).Error.Message.ShouldContain(reason);

    [Fact]
    public void Only_the_last_four_digits_are_ever_shown() =>
        AadhaarNumber.Parse(Valid).Value.ToString().ShouldBe($"XXXX XXXX {Valid[8..]}");
}
