using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Identity;
using Telemed.Server.Audit;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Identity;

/// <summary>Staff sign in with a second factor from an authenticator app (TOTP); admins cannot do without it.</summary>
public class MfaTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private DateTimeOffset Now => server.Time.GetUtcNow();

    private sealed record Enrolled(string Email, byte[] Secret, IReadOnlyList<string> RecoveryCodes);

    /// <summary>A doctor of the test's own, registered by the admin, with a password and no second factor yet.</summary>
    private async Task<(string Email, Guid Id)> NewDoctor(TelemedFactory? through = null)
    {
        var host = through ?? Host;
        var email = $"dr.{Guid.NewGuid():N}@example.in";
        var response = await host.As((await host.SignInStaff(Api.AdminEmail)).AccessToken).PostAsJsonAsync("/api/admin/doctors", new
        {
            name = "Dr. Meera Pillai", email, password = Api.DemoPassword, hprId = "71-" + Random.Shared.Next(1000, 9999) + "-" + Random.Shared.Next(1000, 9999) + "-" + Random.Shared.Next(1000, 9999),
            qualification = "MBBS", registrationNumber = "KMC-" + Random.Shared.Next(10000, 99999), stateCouncil = "Karnataka Medical Council",
            facilityIds = new[] { DemoSeeder.FacilityId },
        });
        await response.ShouldHave(HttpStatusCode.Created);
        return (email, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    /// <summary>An admin of the test's own, with a password and no second factor yet.</summary>
    private async Task<(string Email, Guid Id)> NewAdmin()
    {
        var email = $"admin.{Guid.NewGuid():N}@example.in";
        var adminId = Guid.NewGuid();
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            // No endpoint registers admins; a deployment's second admin is written like the demo seed writes the first.
            var account = new StaffAccount(adminId, Role.Admin, "Second Admin", email, "", null, null, Now);
            session.Insert(account with { PasswordHash = Host.Services.GetRequiredService<IPasswordHasher<StaffAccount>>().HashPassword(account, Api.DemoPassword) });
            session.Events.StartStream(adminId, new StaffRegistered(adminId, Role.Admin, null, Now));
            await session.SaveChangesAsync();
        }
        return (email, adminId);
    }

    private async Task<Enrolled> EnrolledDoctor(TelemedFactory? through = null)
    {
        var host = through ?? Host;
        var (email, _) = await NewDoctor(host);
        var me = host.As((await host.SignInStaff(email)).AccessToken);
        var enrolment = await (await me.PostAsJsonAsync("/api/me/mfa/enrolment", new { })).Content.ReadFromJsonAsync<MfaEnrolment>(Api.Json);
        var secret = TotpCodes.FromBase32(enrolment!.Secret);
        var confirmed = await me.PostAsJsonAsync("/api/me/mfa/enrolment/confirm", new { code = TotpCodes.Code(secret, host.Time.GetUtcNow()) });
        await confirmed.ShouldHave(HttpStatusCode.OK);
        return new Enrolled(email, secret, (await confirmed.Content.ReadFromJsonAsync<MfaRecoveryCodes>(Api.Json))!.RecoveryCodes);
    }

    /// <summary>The password step: 202 with a challenge and no tokens.</summary>
    private async Task<MfaChallengeResponse> Password(string email)
    {
        var response = await Host.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email, password = Api.DemoPassword });
        await response.ShouldHave(HttpStatusCode.Accepted);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.TryGetProperty("accessToken", out _).ShouldBeFalse();
        return body.Deserialize<MfaChallengeResponse>(Api.Json)!;
    }

    private Task<HttpResponseMessage> Code(MfaChallengeResponse challenge, string code) =>
        Host.CreateClient().PostAsJsonAsync("/api/auth/mfa/verify", new { challenge = challenge.Challenge, code });

    private async Task<List<AuditEntry>> Audit(Guid accountId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. await session.Query<AuditEntry>().Where(e => e.AccountId == accountId).OrderBy(e => e.At).ToListAsync()];
    }

    private async Task<Guid> IdOf(string email)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<StaffAccount>().SingleAsync(s => s.Email == email)).Id;
    }

    [Fact]
    public async Task A_staff_member_enrols_with_the_apps_first_code_and_then_signs_in_with_password_and_code()
    {
        var (email, id) = await NewDoctor();
        var me = Host.As((await Host.SignInStaff(email)).AccessToken);
        (await me.GetFromJsonAsync<MfaStatus>("/api/me/mfa", Api.Json)).ShouldBe(new MfaStatus(false, false, false, 0));

        var enrolment = (await (await me.PostAsJsonAsync("/api/me/mfa/enrolment", new { })).Content.ReadFromJsonAsync<MfaEnrolment>(Api.Json))!;
        var secret = TotpCodes.FromBase32(enrolment.Secret);
        secret.Length.ShouldBe(20);
        enrolment.OtpauthUri.ShouldStartWith("otpauth://totp/Telemed:");
        enrolment.OtpauthUri.ShouldContain($"secret={enrolment.Secret}");
        enrolment.QrCode.ShouldStartWith("data:image/png;base64,");
        (await me.GetFromJsonAsync<MfaStatus>("/api/me/mfa", Api.Json))!.Pending.ShouldBeTrue();
        // Until confirmed, the password alone still signs in.
        (await Host.SignInStaff(email)).AccountId.ShouldBe(id);

        var wrong = await me.PostAsJsonAsync("/api/me/mfa/enrolment/confirm", new { code = TotpCodes.Code(TotpCodes.NewSecret(), Now) });
        (await wrong.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("code")[0].GetString().ShouldContain("wrong");
        var confirmed = await me.PostAsJsonAsync("/api/me/mfa/enrolment/confirm", new { code = TotpCodes.Code(secret, Now) });
        await confirmed.ShouldHave(HttpStatusCode.OK);
        var recovery = (await confirmed.Content.ReadFromJsonAsync<MfaRecoveryCodes>(Api.Json))!.RecoveryCodes;
        recovery.Count.ShouldBe(10);
        (await me.GetFromJsonAsync<MfaStatus>("/api/me/mfa", Api.Json)).ShouldBe(new MfaStatus(true, false, false, 10));

        var challenge = await Password(email);
        challenge.Step.ShouldBe("code");
        challenge.ExpiresAt.ShouldBe(Now.AddMinutes(5));
        var signedIn = await Code(challenge, TotpCodes.Code(secret, Now.AddSeconds(30)));

        await signedIn.ShouldHave(HttpStatusCode.OK);
        (await signedIn.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!.AccountId.ShouldBe(id);
        (await Audit(id)).Select(e => e.Action).ShouldContain("enrol MFA");
        (await Audit(id)).Select(e => e.Action).ShouldContain("sign in (password and authenticator)");
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var stored = await session.LoadAsync<StaffMfa>(id);
        stored!.ProtectedSecret.ShouldNotContain(enrolment.Secret);
        Convert.FromBase64String(stored.ProtectedSecret).AsSpan().IndexOf(secret).ShouldBe(-1, "the secret is kept encrypted");
        stored.Factor!.RecoveryCodeHashes.ShouldNotContain(recovery[0]);
    }

    [Fact]
    public async Task A_code_is_accepted_once_and_a_challenge_once()
    {
        var doctor = await EnrolledDoctor();
        var code = TotpCodes.Code(doctor.Secret, Now.AddSeconds(30));
        var first = await Password(doctor.Email);
        await (await Code(first, code)).ShouldHave(HttpStatusCode.OK);

        var replayed = await Code(await Password(doctor.Email), code);
        (await replayed.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("code")[0].GetString().ShouldContain("used already");
        var again = await Code(first, TotpCodes.Code(doctor.Secret, Now.AddSeconds(-30)));
        (await again.ShouldBeProblem(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString().ShouldContain("Sign in again");
        (await Audit(await IdOf(doctor.Email))).Select(e => e.Action).ShouldContain("sign in (MFA code used again)");
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_email_even_against_the_right_code_and_a_right_password_does_not_start_the_count_over()
    {
        var doctor = await EnrolledDoctor();
        var challenge = await Password(doctor.Email);
        for (var i = 0; i < 4; i++)
        {
            var wrong = await Code(challenge, "000000");
            (await wrong.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("code")[0].GetString().ShouldBe("The code is wrong.");
        }
        var malformed = await Code(challenge, "12ab");
        (await malformed.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("code")[0].GetString().ShouldContain("6-digit");

        challenge = await Password(doctor.Email);
        var fifth = await Code(challenge, "000000");
        (await fifth.ShouldBeProblem(HttpStatusCode.Locked)).GetProperty("detail").GetString().ShouldContain("locked until");
        await (await Code(challenge, TotpCodes.Code(doctor.Secret, Now))).ShouldHave(HttpStatusCode.Locked);
        await (await Host.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email = doctor.Email, password = Api.DemoPassword })).ShouldHave(HttpStatusCode.Locked);

        server.Time.Advance(PasswordLockout.FirstLock);
        await (await Code(await Password(doctor.Email), TotpCodes.Code(doctor.Secret, Now))).ShouldHave(HttpStatusCode.OK);
        (await Audit(await IdOf(doctor.Email))).Count(e => e.Action == "sign in (wrong MFA code)").ShouldBe(5);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_and_the_use_is_audited()
    {
        var doctor = await EnrolledDoctor();

        var used = await Code(await Password(doctor.Email), doctor.RecoveryCodes[2].ToUpperInvariant());
        await used.ShouldHave(HttpStatusCode.OK);
        var again = await Code(await Password(doctor.Email), doctor.RecoveryCodes[2]);

        (await again.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("code")[0].GetString().ShouldBe("The code is wrong.");
        var tokens = (await used.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!;
        (await Host.As(tokens.AccessToken).GetFromJsonAsync<MfaStatus>("/api/me/mfa", Api.Json))!.RecoveryCodesLeft.ShouldBe(9);
        (await Audit(tokens.AccountId)).Select(e => e.Action).ShouldContain("sign in with an MFA recovery code (9 left)");
    }

    [Fact]
    public async Task An_admin_without_mfa_gets_no_session_until_enrolled_at_sign_in()
    {
        var (email, adminId) = await NewAdmin();

        var challenge = await Password(email);
        challenge.Step.ShouldBe("enrol");
        await (await Code(challenge, "123456")).ShouldHave(HttpStatusCode.Unauthorized);
        var anonymous = Host.CreateClient();
        var abandoned = await anonymous.PostAsJsonAsync("/api/auth/mfa/enrolment", new { challenge = challenge.Challenge });
        await abandoned.ShouldHave(HttpStatusCode.OK);
        var startedOver = await anonymous.PostAsJsonAsync("/api/auth/mfa/enrolment", new { challenge = challenge.Challenge });
        await startedOver.ShouldHave(HttpStatusCode.OK);
        var secret = TotpCodes.FromBase32((await startedOver.Content.ReadFromJsonAsync<MfaEnrolment>(Api.Json))!.Secret);
        var abandonedSecret = TotpCodes.FromBase32((await abandoned.Content.ReadFromJsonAsync<MfaEnrolment>(Api.Json))!.Secret);
        abandonedSecret.ShouldNotBe(secret);
        var wrong = await anonymous.PostAsJsonAsync("/api/auth/mfa/enrolment/confirm", new { challenge = challenge.Challenge, code = TotpCodes.Code(abandonedSecret, Now) });
        await wrong.ShouldBeProblem(HttpStatusCode.BadRequest);
        var confirmed = await anonymous.PostAsJsonAsync("/api/auth/mfa/enrolment/confirm", new { challenge = challenge.Challenge, code = TotpCodes.Code(secret, Now) });

        await confirmed.ShouldHave(HttpStatusCode.OK);
        var signedIn = (await confirmed.Content.ReadFromJsonAsync<MfaEnrolledSignIn>(Api.Json))!;
        signedIn.RecoveryCodes.Count.ShouldBe(10);
        await (await Host.As(signedIn.Tokens.AccessToken).GetAsync("/api/admin/staff")).ShouldHave(HttpStatusCode.OK);
        (await Host.As(signedIn.Tokens.AccessToken).GetFromJsonAsync<MfaStatus>("/api/me/mfa", Api.Json)).ShouldBe(new MfaStatus(true, true, false, 10));
        var reused = await anonymous.PostAsJsonAsync("/api/auth/mfa/enrolment", new { challenge = challenge.Challenge });
        await reused.ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await Password(email)).Step.ShouldBe("code");
        (await Audit(adminId)).Select(e => e.Action).ShouldContain("enrol MFA");
    }

    [Fact]
    public async Task A_challenge_expires_after_five_minutes()
    {
        var doctor = await EnrolledDoctor();
        var challenge = await Password(doctor.Email);

        server.Time.Advance(MfaSecrets.ChallengeLifetime);

        var late = await Code(challenge, TotpCodes.Code(doctor.Secret, Now));
        (await late.ShouldBeProblem(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString().ShouldContain("expired");
    }

    [Fact]
    public async Task An_admin_resets_another_staff_members_mfa_which_ends_their_sessions_but_never_their_own()
    {
        var doctor = await EnrolledDoctor();
        var doctorId = await IdOf(doctor.Email);
        var doctorTokens = (await (await Code(await Password(doctor.Email), TotpCodes.Code(doctor.Secret, Now.AddSeconds(30)))).Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!;
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);

        var own = await admin.PostAsync($"/api/admin/staff/{DemoSeeder.AdminId}/mfa/reset", null);
        (await own.ShouldBeProblem(HttpStatusCode.Forbidden)).GetProperty("detail").GetString().ShouldContain("another admin");
        await (await Host.As(doctorTokens.AccessToken).PostAsync($"/api/admin/staff/{DemoSeeder.AdminId}/mfa/reset", null)).ShouldHave(HttpStatusCode.Forbidden);
        await (await admin.PostAsync($"/api/admin/staff/{Guid.NewGuid()}/mfa/reset", null)).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await admin.PostAsync($"/api/admin/staff/{doctorId}/mfa/reset", null)).ShouldHave(HttpStatusCode.NoContent);

        await (await Host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = doctorTokens.RefreshToken })).ShouldHave(HttpStatusCode.Unauthorized);
        (await Host.SignInStaff(doctor.Email)).AccountId.ShouldBe(doctorId);
        await (await admin.PostAsync($"/api/admin/staff/{doctorId}/mfa/reset", null)).ShouldBeProblem(HttpStatusCode.Conflict);
        (await Audit(DemoSeeder.AdminId)).ShouldContain(e => e.Action == "reset MFA" && e.Resource == $"account/{doctorId}");
    }

    [Fact]
    public async Task Staff_but_not_admins_turn_mfa_off_with_a_current_code()
    {
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);
        var refused = await admin.PostAsJsonAsync("/api/me/mfa/disable", new { code = "123456" });
        (await refused.ShouldBeProblem(HttpStatusCode.Forbidden)).GetProperty("detail").GetString().ShouldContain("Admins must keep");

        var doctor = await EnrolledDoctor();
        var me = Host.As((await (await Code(await Password(doctor.Email), TotpCodes.Code(doctor.Secret, Now.AddSeconds(30)))).Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!.AccessToken);
        var wrong = await me.PostAsJsonAsync("/api/me/mfa/disable", new { code = "000000" });
        await wrong.ShouldBeProblem(HttpStatusCode.BadRequest);
        var reused = await me.PostAsJsonAsync("/api/me/mfa/disable", new { code = TotpCodes.Code(doctor.Secret, Now.AddSeconds(30)) });
        (await reused.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("code")[0].GetString().ShouldContain("used already");
        await (await me.PostAsJsonAsync("/api/me/mfa/disable", new { code = doctor.RecoveryCodes[0] })).ShouldHave(HttpStatusCode.NoContent);

        (await Host.SignInStaff(doctor.Email)).AccessToken.ShouldNotBeNullOrEmpty();
        var actions = (await Audit(await IdOf(doctor.Email))).Select(e => e.Action).ToList();
        actions.ShouldContain("turn MFA off");
        actions.ShouldContain("sign in (wrong MFA code (turning MFA off))");
    }

    [Fact]
    public async Task Staff_renew_their_recovery_codes_with_a_current_code_and_the_old_ones_stop_working()
    {
        var doctor = await EnrolledDoctor();
        var signedIn = (await (await Code(await Password(doctor.Email), TotpCodes.Code(doctor.Secret, Now.AddSeconds(30)))).Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!;
        var me = Host.As(signedIn.AccessToken);
        await (await me.PostAsJsonAsync("/api/me/mfa/recovery-codes", new { })).ShouldBeProblem(HttpStatusCode.BadRequest);
        await (await me.PostAsJsonAsync("/api/me/mfa/recovery-codes", new { code = "000000" })).ShouldBeProblem(HttpStatusCode.BadRequest);
        var replayed = await me.PostAsJsonAsync("/api/me/mfa/recovery-codes", new { code = TotpCodes.Code(doctor.Secret, Now.AddSeconds(30)) });
        (await replayed.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("code")[0].GetString().ShouldContain("used already");

        server.Time.Advance(TimeSpan.FromSeconds(60));
        var renewed = await me.PostAsJsonAsync("/api/me/mfa/recovery-codes", new { code = TotpCodes.Code(doctor.Secret, Now) });

        await renewed.ShouldHave(HttpStatusCode.OK);
        var fresh = (await renewed.Content.ReadFromJsonAsync<MfaRecoveryCodes>(Api.Json))!.RecoveryCodes;
        fresh.Count.ShouldBe(RecoveryCodes.Count);
        fresh.ShouldNotContain(doctor.RecoveryCodes[0]);
        (await me.GetFromJsonAsync<MfaStatus>("/api/me/mfa", Api.Json))!.RecoveryCodesLeft.ShouldBe(RecoveryCodes.Count);
        var old = await Code(await Password(doctor.Email), doctor.RecoveryCodes[0]);
        (await old.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("code")[0].GetString().ShouldBe("The code is wrong.");
        await (await Code(await Password(doctor.Email), fresh[0])).ShouldHave(HttpStatusCode.OK);
        // A recovery code renews them too, and is spent doing it.
        var again = await me.PostAsJsonAsync("/api/me/mfa/recovery-codes", new { code = fresh[1] });
        await again.ShouldHave(HttpStatusCode.OK);
        (await (await me.PostAsJsonAsync("/api/me/mfa/recovery-codes", new { code = fresh[2] })).ShouldBeProblem(HttpStatusCode.BadRequest))
            .GetProperty("errors").GetProperty("code")[0].GetString().ShouldBe("The code is wrong.");

        var actions = (await Audit(signedIn.AccountId)).Select(e => e.Action).ToList();
        actions.Count(a => a == "renew MFA recovery codes").ShouldBe(2);
        actions.ShouldContain("sign in (wrong MFA code (renewing recovery codes))");
    }

    [Fact]
    public async Task Renewing_recovery_codes_needs_mfa_on_and_a_staff_account()
    {
        var (email, _) = await NewDoctor();
        var doctor = Host.As((await Host.SignInStaff(email)).AccessToken);
        (await (await doctor.PostAsJsonAsync("/api/me/mfa/recovery-codes", new { code = "123456" })).ShouldBeProblem(HttpStatusCode.Conflict))
            .GetProperty("detail").GetString().ShouldContain("not on");
        var patient = Host.As((await Host.CreatePatients(1))[0].AccessToken);
        await (await patient.PostAsJsonAsync("/api/me/mfa/recovery-codes", new { code = "123456" })).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Patients_have_no_second_factor_to_manage_and_enrolment_needs_a_session()
    {
        var patient = (await Host.CreatePatients(1))[0];
        await (await Host.As(patient.AccessToken).GetAsync("/api/me/mfa")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await Host.As(patient.AccessToken).PostAsJsonAsync("/api/me/mfa/enrolment", new { })).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await Host.CreateClient().PostAsJsonAsync("/api/me/mfa/enrolment", new { })).ShouldHave(HttpStatusCode.Unauthorized);
        var missing = await Host.CreateClient().PostAsJsonAsync("/api/auth/mfa/verify", new { });
        var errors = (await missing.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.TryGetProperty("challenge", out _).ShouldBeTrue();
        errors.TryGetProperty("code", out _).ShouldBeTrue();
        await (await Host.CreateClient().PostAsJsonAsync("/api/auth/mfa/verify", new { challenge = "made-up", code = "123456" })).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    /// <summary>Nodes share Data Protection's key ring through <c>Auth:DataProtectionKeysPath</c>, or none could read what another encrypted.</summary>
    [Fact]
    public async Task An_authenticator_enrolled_through_one_node_signs_in_through_another_that_shares_the_key_ring_directory()
    {
        var keys = Directory.CreateTempSubdirectory("telemed-keys-").FullName;
        // A database of its own: what this key ring encrypts (the demo admin's secret too) no other key ring reads.
        var cluster = new TelemedServer();
        await cluster.InitializeAsync();
        try
        {
            var settings = new Dictionary<string, string?> { ["Auth:DataProtectionKeysPath"] = keys };
            var doctor = await EnrolledDoctor(cluster.Start(settings));
            Directory.GetFiles(keys, "key-*.xml").ShouldNotBeEmpty();

            var other = cluster.Start(settings);
            var response = await other.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email = doctor.Email, password = Api.DemoPassword });
            var challenge = (await response.Content.ReadFromJsonAsync<MfaChallengeResponse>(Api.Json))!;
            var signedIn = await other.CreateClient().PostAsJsonAsync("/api/auth/mfa/verify", new { challenge = challenge.Challenge, code = TotpCodes.Code(doctor.Secret, cluster.Time.GetUtcNow().AddSeconds(30)) });

            await signedIn.ShouldHave(HttpStatusCode.OK);
        }
        finally
        {
            await cluster.DisposeAsync();
            Directory.Delete(keys, recursive: true);
        }
    }

    [Fact]
    public async Task The_demo_admin_signs_in_with_the_published_demo_secret()
    {
        var challenge = await Password(Api.AdminEmail);
        challenge.Step.ShouldBe("code");

        var signedIn = await Code(challenge, Host.DemoAdminCode());

        await signedIn.ShouldHave(HttpStatusCode.OK);
        (await signedIn.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!.Role.ShouldBe("admin");
    }

    [Fact]
    public async Task Enrolling_turning_off_and_renewing_codes_each_go_through_while_another_append_to_the_account_is_in_flight()
    {
        var (email, id) = await NewDoctor();
        var me = Host.As((await Host.SignInStaff(email)).AccessToken);
        var secret = TotpCodes.FromBase32((await (await me.PostAsJsonAsync("/api/me/mfa/enrolment", new { })).Content.ReadFromJsonAsync<MfaEnrolment>(Api.Json))!.Secret);
        HttpResponseMessage enrolled;
        await using (var held = await HeldAppend.To(Host, id))
        {
            enrolled = await held.CommitWhenWaitedOnBy(me.PostAsJsonAsync("/api/me/mfa/enrolment/confirm", new { code = TotpCodes.Code(secret, Now) }));
        }
        await enrolled.ShouldHave(HttpStatusCode.OK);
        var recovery = (await enrolled.Content.ReadFromJsonAsync<MfaRecoveryCodes>(Api.Json))!.RecoveryCodes;

        HttpResponseMessage renewed;
        await using (var held = await HeldAppend.To(Host, id))
        {
            renewed = await held.CommitWhenWaitedOnBy(me.PostAsJsonAsync("/api/me/mfa/recovery-codes", new { code = recovery[0] }));
        }
        await renewed.ShouldHave(HttpStatusCode.OK);
        var fresh = (await renewed.Content.ReadFromJsonAsync<MfaRecoveryCodes>(Api.Json))!.RecoveryCodes;

        HttpResponseMessage turnedOff;
        await using (var held = await HeldAppend.To(Host, id))
        {
            turnedOff = await held.CommitWhenWaitedOnBy(me.PostAsJsonAsync("/api/me/mfa/disable", new { code = fresh[0] }));
        }
        await turnedOff.ShouldHave(HttpStatusCode.NoContent);

        (await me.GetFromJsonAsync<MfaStatus>("/api/me/mfa", Api.Json))!.Enabled.ShouldBeFalse();
        var actions = (await Audit(id)).Select(e => e.Action).ToList();
        actions.ShouldContain("enrol MFA");
        actions.ShouldContain("renew MFA recovery codes");
        actions.ShouldContain("turn MFA off");
    }

    [Fact]
    public async Task An_admin_enrolling_at_first_sign_in_gets_in_while_another_append_to_the_account_is_in_flight()
    {
        var (email, id) = await NewAdmin();
        var challenge = await Password(email);
        var anonymous = Host.CreateClient();
        var enrolment = await anonymous.PostAsJsonAsync("/api/auth/mfa/enrolment", new { challenge = challenge.Challenge });
        await enrolment.ShouldHave(HttpStatusCode.OK);
        var secret = TotpCodes.FromBase32((await enrolment.Content.ReadFromJsonAsync<MfaEnrolment>(Api.Json))!.Secret);
        await using var held = await HeldAppend.To(Host, id);

        var confirmed = await held.CommitWhenWaitedOnBy(anonymous.PostAsJsonAsync("/api/auth/mfa/enrolment/confirm", new { challenge = challenge.Challenge, code = TotpCodes.Code(secret, Now) }));

        await confirmed.ShouldHave(HttpStatusCode.OK);
        var actions = (await Audit(id)).Select(e => e.Action).ToList();
        actions.ShouldContain("enrol MFA");
    }
}
