using Telemed.Domain.Records;

namespace Telemed.Domain.Tests.Records;

public class EmergencyAccessTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Admin = Guid.NewGuid();
    private static readonly Guid Session = Guid.NewGuid();

    [Fact]
    public void Opened_with_a_reason_it_lasts_thirty_minutes()
    {
        var opened = EmergencyAccess.Open(Admin, Session, "  Patient collapsed in the waiting area  ", Now).Value;

        opened.ShouldBe(new EmergencyAccessOpened(Admin, Session, "Patient collapsed in the waiting area", Now, Now.AddMinutes(30)));
        EmergencyAccess.Allows(opened, Now.AddMinutes(29)).ShouldBeTrue();
        EmergencyAccess.Allows(opened, Now.AddMinutes(30)).ShouldBeFalse();
        EmergencyAccess.Allows(null, Now).ShouldBeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   need it      ")]
    public void Without_a_real_reason_it_stays_closed(string? reason)
    {
        EmergencyAccess.Open(Admin, Session, reason, Now).Error.ShouldContain("at least 15 characters");
    }

    [Fact]
    public void A_reason_longer_than_500_characters_is_refused()
    {
        EmergencyAccess.Open(Admin, Session, new string('x', 501), Now).Error.ShouldBe("Keep the reason to 500 characters.");
        EmergencyAccess.Open(Admin, Session, new string('x', 500), Now).IsSuccess.ShouldBeTrue();
    }
}
