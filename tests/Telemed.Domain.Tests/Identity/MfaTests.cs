using System.Collections.Immutable;
using Telemed.Domain.Identity;

namespace Telemed.Domain.Tests.Identity;

public class MfaTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 10, TimeSpan.Zero);
    private static readonly byte[] Secret = TotpCodes.FromBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");

    private static MfaFactor Enrolled(params string[] recoveryCodes) => new(0, RecoveryCodes.Hashes(recoveryCodes));

    [Fact]
    public void Codes_are_rfc_6238s_sha1_test_vectors()
    {
        // RFC 6238 appendix B: the ASCII key "12345678901234567890", 8-digit codes ending in these six digits.
        var key = "12345678901234567890"u8.ToArray();
        TotpCodes.Code(key, DateTimeOffset.FromUnixTimeSeconds(59)).ShouldBe("287082");
        TotpCodes.Code(key, DateTimeOffset.FromUnixTimeSeconds(1111111109)).ShouldBe("081804");
        TotpCodes.Code(key, DateTimeOffset.FromUnixTimeSeconds(2000000000)).ShouldBe("279037");
    }

    [Fact]
    public void A_new_secret_has_160_bits_and_its_uri_names_the_issuer_account_and_parameters()
    {
        var secret = TotpCodes.NewSecret();
        secret.Length.ShouldBe(20);
        TotpCodes.NewSecret().ShouldNotBe(secret);
        TotpCodes.FromBase32(TotpCodes.Base32(secret)).ShouldBe(secret);

        var uri = TotpCodes.Uri(secret, "Telemed", "asha@telemed.local");

        uri.ShouldStartWith("otpauth://totp/Telemed:asha%40telemed.local?");
        uri.ShouldContain($"secret={TotpCodes.Base32(secret).TrimEnd('=')}");
        uri.ShouldContain("issuer=Telemed");
        uri.ShouldContain("period=30");
        uri.ShouldContain("digits=6");
    }

    [Fact]
    public void The_code_of_now_and_of_one_step_either_side_is_accepted_and_two_steps_away_is_not()
    {
        var factor = Enrolled();
        foreach (var offset in new[] { -30, 0, 30 })
        {
            factor.Use(Secret, TotpCodes.Code(Secret, Now.AddSeconds(offset)), Now).IsSuccess.ShouldBeTrue($"{offset} s");
        }
        factor.Use(Secret, TotpCodes.Code(Secret, Now.AddSeconds(-60)), Now).Error.ShouldBe(MfaError.WrongCode);
        factor.Use(Secret, TotpCodes.Code(Secret, Now.AddSeconds(60)), Now).Error.ShouldBe(MfaError.WrongCode);
    }

    [Fact]
    public void A_code_works_once_and_so_does_any_code_of_an_earlier_step()
    {
        var code = TotpCodes.Code(Secret, Now);
        var used = Enrolled().Use(Secret, code, Now);
        used.Value.Method.ShouldBe(MfaMethod.Totp);
        used.Value.Factor.LastStep.ShouldBe(TotpCodes.Step(Now));

        used.Value.Factor.Use(Secret, code, Now).Error.ShouldBe(MfaError.Replayed);
        used.Value.Factor.Use(Secret, TotpCodes.Code(Secret, Now.AddSeconds(-30)), Now).Error.ShouldBe(MfaError.Replayed);
        used.Value.Factor.Use(Secret, TotpCodes.Code(Secret, Now.AddSeconds(30)), Now).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void A_code_of_another_secret_is_wrong_and_what_is_no_code_at_all_is_malformed()
    {
        Enrolled().Use(TotpCodes.NewSecret(), TotpCodes.Code(Secret, Now), Now).Error.ShouldBe(MfaError.WrongCode);
        Enrolled().Use(Secret, "12345", Now).Error.ShouldBe(MfaError.Malformed);
        Enrolled().Use(Secret, "", Now).Error.ShouldBe(MfaError.Malformed);
        Enrolled().Use(Secret, null, Now).Error.ShouldBe(MfaError.Malformed);
        Enrolled().Use(Secret, "abcd-efgh-ijk!", Now).Error.ShouldBe(MfaError.Malformed);
    }

    [Fact]
    public void Ten_recovery_codes_of_twelve_letters_are_new_each_time()
    {
        var codes = RecoveryCodes.New();
        codes.Count.ShouldBe(RecoveryCodes.Count);
        codes.Distinct().Count().ShouldBe(10);
        codes.ShouldAllBe(code => code.Length == 14 && code[4] == '-' && code[9] == '-');
        RecoveryCodes.New().Intersect(codes).ShouldBeEmpty();
    }

    [Fact]
    public void A_recovery_code_works_once_whatever_its_case_and_dashes_and_the_others_stay()
    {
        var codes = RecoveryCodes.New();
        var factor = Enrolled([.. codes]);
        factor.RecoveryCodeHashes.ShouldNotContain(codes[0]);

        var used = factor.Use(Secret, codes[3].Replace("-", " ", StringComparison.Ordinal).ToUpperInvariant(), Now);

        used.Value.Method.ShouldBe(MfaMethod.RecoveryCode);
        used.Value.Factor.RecoveryCodeHashes.Count.ShouldBe(9);
        used.Value.Factor.LastStep.ShouldBe(0);
        used.Value.Factor.Use(Secret, codes[3], Now).Error.ShouldBe(MfaError.WrongCode);
        used.Value.Factor.Use(Secret, codes[4], Now).Value.Factor.RecoveryCodeHashes.Count.ShouldBe(8);
        Enrolled([.. codes]).Use(Secret, "aaaa-bbbb-cccc", Now).Error.ShouldBe(MfaError.WrongCode);
    }

    [Fact]
    public void A_factor_without_recovery_codes_refuses_any()
    {
        new MfaFactor(0, ImmutableList<string>.Empty).Use(Secret, "aaaa-bbbb-cccc", Now).Error.ShouldBe(MfaError.WrongCode);
    }
}
