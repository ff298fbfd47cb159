using Telemed.Domain.Abdm;

namespace Telemed.Domain.Tests.Abdm;

public class RegistryRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_id_the_registry_knows_under_the_given_name_is_verified()
    {
        var answer = RegistryRules.Compare(new RegistryAnswer(RegistryStatus.Verified, "Asha Verma"), "Dr. Asha  Verma");

        var check = RegistryRules.Accept(Registry.Hpr, "71-1234-5678-9012", answer, proceedUnverified: false, reason: null, Now).Value;

        check.Verified.ShouldBeTrue();
        check.ProceedReason.ShouldBeNull();
    }

    [Fact]
    public void An_id_under_another_name_is_not_verified() =>
        RegistryRules.Compare(new RegistryAnswer(RegistryStatus.Verified, "Asha Varma"), "Asha Verma").Status.ShouldBe(RegistryStatus.NameDiffers);

    [Theory]
    [InlineData(RegistryStatus.NotFound, "is not in the Healthcare Professionals Registry")]
    [InlineData(RegistryStatus.Unavailable, "did not answer")]
    public void An_unverified_id_is_refused_unless_the_admin_proceeds_with_a_reason(RegistryStatus status, string said)
    {
        var answer = new RegistryAnswer(status, null);

        RegistryRules.Accept(Registry.Hpr, "71-1234-5678-9012", answer, false, null, Now).Error.Message.ShouldContain(said);
        RegistryRules.Accept(Registry.Hpr, "71-1234-5678-9012", answer, true, "ok", Now).Error.Message.ShouldContain("give a reason");
        var accepted = RegistryRules.Accept(Registry.Hpr, "71-1234-5678-9012", answer, true, " Registry down; council certificate seen ", Now).Value;
        accepted.Verified.ShouldBeFalse();
        accepted.ProceedReason.ShouldBe("Registry down; council certificate seen");
    }

    [Fact]
    public void Without_a_registry_nothing_is_asked_and_nothing_is_refused() =>
        RegistryRules.Accept(Registry.Hfr, "IN2710000123", new RegistryAnswer(RegistryStatus.NotChecked, null), false, null, Now).Value.Status
            .ShouldBe(RegistryStatus.NotChecked);
}
