using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Telemed.Server.Records;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Identity;

public class SignInTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    [Fact]
    public async Task A_patient_registers_with_a_code_and_reaches_their_own_record()
    {
        var mobile = Api.NewMobile();
        var registration = await Host.RegisterPatient(mobile, abhaNumber: "12345678901234");

        var me = await Host.As(registration.Tokens.AccessToken).GetFromJsonAsync<JsonElement>("/api/me");

        me.GetProperty("id").GetGuid().ShouldBe(registration.Patient.Id);
        me.GetProperty("role").GetString().ShouldBe("patient");
        me.GetProperty("mobile").GetString().ShouldBe(mobile);
        me.GetProperty("abhaNumber").GetString().ShouldBe("12-3456-7890-1234");
    }

    /// <summary>A hub connection keeps its caller for hours, so the caller is only what Telemed reads, not the parsed token.</summary>
    [Fact]
    public async Task A_validated_access_token_leaves_only_the_claims_telemed_reads()
    {
        var registration = await Host.RegisterPatient(Api.NewMobile());
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = Host.Services };
        http.Request.Headers.Authorization = $"Bearer {registration.Tokens.AccessToken}";

        var result = await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.AuthenticateAsync(http);

        result.Succeeded.ShouldBeTrue();
        result.Principal!.Claims.Select(c => c.Type).Order().ShouldBe(["role", "sid", "sub"]);
        result.Principal.Identity.ShouldBeOfType<System.Security.Claims.ClaimsIdentity>();
        result.Principal.AccountId().ShouldBe(registration.Patient.Id);
        result.Principal.IsInRole("patient").ShouldBeTrue();
        result.Properties!.ExpiresUtc.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_registered_patient_signs_in_again_with_a_new_code()
    {
        var mobile = Api.NewMobile();
        var registration = await Host.RegisterPatient(mobile);
        server.Time.Advance(TimeSpan.FromSeconds(31));

        var code = await Host.SendCodeAndRead(mobile);
        var response = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp/verify", new { mobile, code });

        await response.ShouldHave(HttpStatusCode.OK);
        var tokens = await response.Content.ReadFromJsonAsync<TokenResponse>(Api.Json);
        tokens!.AccountId.ShouldBe(registration.Patient.Id);
        tokens.Role.ShouldBe("patient");
    }

    [Fact]
    public async Task A_code_for_an_unregistered_number_stays_usable_for_registration()
    {
        var mobile = Api.NewMobile();
        var code = await Host.SendCodeAndRead(mobile);

        var signIn = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp/verify", new { mobile, code });
        await signIn.ShouldHave(HttpStatusCode.NotFound);
        (await signIn.Problem()).GetProperty("detail").GetString().ShouldContain("Register");

        var register = await Host.CreateClient().PostAsJsonAsync("/api/patients", new { name = "Anil Joshi", yearOfBirth = 1970, sex = "m", mobile, code });
        await register.ShouldHave(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_used_code_does_not_work_twice()
    {
        var mobile = Api.NewMobile();
        var code = await Host.SendCodeAndRead(mobile);
        var first = await Host.CreateClient().PostAsJsonAsync("/api/patients", new { name = "Anil Joshi", yearOfBirth = 1970, sex = "m", mobile, code });
        await first.ShouldHave(HttpStatusCode.Created);

        var again = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp/verify", new { mobile, code });

        await again.ShouldHave(HttpStatusCode.BadRequest);
        (await again.Problem()).GetProperty("errors").GetProperty("code")[0].GetString().ShouldContain("Ask for a new one");
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_number_even_against_the_right_code()
    {
        var registration = await Host.RegisterPatient(Api.NewMobile());
        var mobile = registration.Patient.Mobile;
        server.Time.Advance(TimeSpan.FromSeconds(31));
        var code = await Host.SendCodeAndRead(mobile);
        var wrong = code == "000000" ? "111111" : "000000";
        var client = Host.CreateClient();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var response = await client.PostAsJsonAsync("/api/auth/otp/verify", new { mobile, code = wrong });
            await response.ShouldHave(HttpStatusCode.BadRequest);
            (await response.Problem()).GetProperty("errors").GetProperty("code")[0].GetString().ShouldContain($"{5 - attempt} attempt(s) left");
        }
        var fifth = await client.PostAsJsonAsync("/api/auth/otp/verify", new { mobile, code = wrong });
        await fifth.ShouldHave(HttpStatusCode.Locked);
        (await fifth.Problem()).GetProperty("detail").GetString().ShouldContain("locked until");

        var right = await client.PostAsJsonAsync("/api/auth/otp/verify", new { mobile, code });
        await right.ShouldHave(HttpStatusCode.Locked);
        var resend = await client.PostAsJsonAsync("/api/auth/otp", new { mobile });
        await resend.ShouldHave(HttpStatusCode.TooManyRequests);
    }

    /// <summary>Asking for a new code after each few guesses used to start the count again; now the number keeps it.</summary>
    [Fact]
    public async Task Wrong_codes_count_across_new_codes_and_each_lock_lasts_twice_the_one_before()
    {
        var mobile = (await Host.RegisterPatient(Api.NewMobile())).Patient.Mobile;
        var client = Host.CreateClient();
        async Task<HttpResponseMessage> Guess(string code) => await client.PostAsJsonAsync("/api/auth/otp/verify", new { mobile, code = code == "000000" ? "111111" : "000000" });

        server.Time.Advance(TimeSpan.FromSeconds(31));
        var first = await Host.SendCodeAndRead(mobile);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await (await Guess(first)).ShouldHave(HttpStatusCode.BadRequest);
        }
        server.Time.Advance(TimeSpan.FromSeconds(31));
        var second = await Host.SendCodeAndRead(mobile);
        (await (await Guess(second)).ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("code")[0].GetString()
            .ShouldContain("1 attempt(s) left");
        (await (await Guess(second)).ShouldBeProblem(HttpStatusCode.Locked)).GetProperty("detail").GetString()
            .ShouldContain($"locked until {server.Time.GetUtcNow().AddMinutes(15):yyyy-MM-dd HH:mm}");

        server.Time.Advance(TimeSpan.FromMinutes(16));
        var third = await Host.SendCodeAndRead(mobile);
        for (var attempt = 0; attempt < 4; attempt++)
        {
            await (await Guess(third)).ShouldHave(HttpStatusCode.BadRequest);
        }
        (await (await Guess(third)).ShouldBeProblem(HttpStatusCode.Locked)).GetProperty("detail").GetString()
            .ShouldContain($"locked until {server.Time.GetUtcNow().AddMinutes(30):yyyy-MM-dd HH:mm}");
        server.Time.Advance(TimeSpan.FromMinutes(16));
        await (await client.PostAsJsonAsync("/api/auth/otp", new { mobile })).ShouldHave(HttpStatusCode.TooManyRequests);

        server.Time.Advance(TimeSpan.FromMinutes(15));
        var right = await Host.SendCodeAndRead(mobile);
        await (await client.PostAsJsonAsync("/api/auth/otp/verify", new { mobile, code = right })).ShouldHave(HttpStatusCode.OK);
        server.Time.Advance(TimeSpan.FromSeconds(31));
        var after = await Host.SendCodeAndRead(mobile);
        (await (await Guess(after)).ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("code")[0].GetString()
            .ShouldContain("4 attempt(s) left", customMessage: "a right code starts the count over");
    }

    [Fact]
    public async Task A_number_is_sent_at_most_the_daily_number_of_codes()
    {
        using var capped = server.Start(new Dictionary<string, string?> { ["Otp:MaxSendsPerDay"] = "3", ["Otp:ResendCooldownSeconds"] = "0" });
        var client = capped.CreateClient();
        var mobile = Api.NewMobile();
        for (var sent = 0; sent < 3; sent++)
        {
            await (await client.PostAsJsonAsync("/api/auth/otp", new { mobile })).ShouldHave(HttpStatusCode.Accepted);
        }

        var refused = await client.PostAsJsonAsync("/api/auth/otp", new { mobile });
        (await refused.ShouldBeProblem(HttpStatusCode.TooManyRequests)).GetProperty("detail").GetString()!.ShouldContain("3 codes today");
        await (await client.PostAsJsonAsync("/api/auth/otp", new { mobile = Api.NewMobile() })).ShouldHave(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Codes_cannot_be_requested_again_within_the_cooldown()
    {
        var mobile = Api.NewMobile();
        await Host.SendCodeAndRead(mobile);

        var again = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp", new { mobile });

        await again.ShouldHave(HttpStatusCode.TooManyRequests);
        (await again.Problem()).GetProperty("detail").GetString().ShouldContain("seconds");
    }

    [Fact]
    public async Task Staff_sign_in_with_a_password_and_see_their_professional_details()
    {
        var tokens = await Host.SignInStaff(Api.DoctorEmail);

        var me = await Host.As(tokens.AccessToken).GetFromJsonAsync<JsonElement>("/api/me");

        me.GetProperty("role").GetString().ShouldBe("doctor");
        me.GetProperty("doctor").GetProperty("hprId").GetString().ShouldBe("71-1234-5678-9012");
        me.TryGetProperty("passwordHash", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Staff_sign_in_waits_for_an_append_to_the_account_stream_in_flight_instead_of_failing()
    {
        var accountId = (await Host.SignInStaff(Api.DoctorEmail)).AccountId;
        await using var held = await HeldAppend.To(Host, accountId);

        // The sign-in's own append reaches the stream while the other is still uncommitted.
        var signIn = await held.CommitWhenWaitedOnBy(Host.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email = Api.DoctorEmail, password = Api.DemoPassword }));

        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(Api.DoctorEmail, "not-the-password")]
    [InlineData("nobody@telemed.local", Api.DemoPassword)]
    public async Task A_wrong_email_or_password_is_refused_without_saying_which(string email, string password)
    {
        var response = await Host.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email, password });

        await response.ShouldHave(HttpStatusCode.Unauthorized);
        (await response.Problem()).GetProperty("detail").GetString().ShouldBe("Email or password is wrong.");
    }

    [Fact]
    public async Task Calling_without_a_token_is_refused()
    {
        var response = await Host.CreateClient().GetAsync("/api/me");

        await response.ShouldHave(HttpStatusCode.Unauthorized);
        await response.Problem();
    }

    [Fact]
    public async Task A_forged_token_is_refused()
    {
        var tokens = await Host.SignInStaff(Api.AdminEmail);
        var parts = tokens.AccessToken.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{parts[2][..^4]}AAAA";

        var response = await Host.As(forged).GetAsync("/api/me");

        await response.ShouldHave(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_patient_may_not_use_admin_endpoints()
    {
        var registration = await Host.RegisterPatient(Api.NewMobile());

        var response = await Host.As(registration.Tokens.AccessToken).GetAsync("/api/admin/staff");

        await response.ShouldHave(HttpStatusCode.Forbidden);
        await response.Problem();
    }

    [Fact]
    public async Task An_expired_access_token_is_refused_and_the_refresh_token_renews_it()
    {
        var tokens = await Host.SignInStaff(Api.DoctorEmail);
        server.Time.Advance(TimeSpan.FromMinutes(16));

        var expired = await Host.As(tokens.AccessToken).GetAsync("/api/me");
        await expired.ShouldHave(HttpStatusCode.Unauthorized);

        var refreshed = await Host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { tokens.RefreshToken });
        await refreshed.ShouldHave(HttpStatusCode.OK);
        var renewed = await refreshed.Content.ReadFromJsonAsync<TokenResponse>(Api.Json);
        var me = await Host.As(renewed!.AccessToken).GetAsync("/api/me");
        await me.ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_its_reuse_ends_the_whole_session()
    {
        var tokens = await Host.SignInStaff(Api.DoctorEmail);
        var client = Host.CreateClient();
        var first = await client.PostAsJsonAsync("/api/auth/refresh", new { tokens.RefreshToken });
        await first.ShouldHave(HttpStatusCode.OK);
        var rotated = (await first.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!;

        var replay = await client.PostAsJsonAsync("/api/auth/refresh", new { tokens.RefreshToken });
        await replay.ShouldHave(HttpStatusCode.Unauthorized);

        var descendant = await client.PostAsJsonAsync("/api/auth/refresh", new { rotated.RefreshToken });
        await descendant.ShouldHave(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Signing_out_ends_the_refresh_token()
    {
        var tokens = await Host.SignInStaff(Api.DoctorEmail);
        var client = Host.CreateClient();

        var signOut = await client.PostAsJsonAsync("/api/auth/sign-out", new { tokens.RefreshToken });
        await signOut.ShouldHave(HttpStatusCode.NoContent);

        var refresh = await client.PostAsJsonAsync("/api/auth/refresh", new { tokens.RefreshToken });
        await refresh.ShouldHave(HttpStatusCode.Unauthorized);
    }
}
