using System.Net;
using System.Net.Http.Json;
using Marten;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Telemed.Domain.Identity;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Identity;

/// <summary>
/// The web client's refresh token in an HttpOnly, SameSite=Strict cookie for /api/auth: every sign-in that issues tokens
/// sets it, refresh and sign-out read it, and a page of another origin cannot make use of it.
/// </summary>
public class RefreshCookieTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private const string OwnCookie = "__Secure-telemed-refresh";
    private const string ActingCookie = "__Secure-telemed-refresh-acting";

    private TelemedFactory Host => server.Host;

    /// <summary>
    /// A request as the web client's page sends it: over https, from the server's own origin, asking for the cookie.
    /// Cookies go by hand (the client keeps none), so the test sees each one set and chooses what comes back.
    /// </summary>
    private Task<HttpResponseMessage> Post(
        string path, object? body = null, string? cookies = null, string? header = RefreshCookie.Own, string? origin = "https://localhost",
        string? accessToken = null, string scheme = "https")
    {
        var client = Host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"{scheme}://localhost"), HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (header is not null)
        {
            request.Headers.Add(RefreshCookie.Header, header);
        }
        if (origin is not null)
        {
            request.Headers.Add(HeaderNames.Origin, origin);
        }
        if (cookies is not null)
        {
            request.Headers.Add(HeaderNames.Cookie, cookies);
        }
        if (accessToken is not null)
        {
            request.Headers.Authorization = new("Bearer", accessToken);
        }
        return client.SendAsync(request);
    }

    private static IList<SetCookieHeaderValue> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues(HeaderNames.SetCookie, out var values) ? SetCookieHeaderValue.ParseList(values.ToList()) : [];

    /// <summary>The refresh cookie the answer sets, checked for what keeps it from scripts and other sites; its value is the refresh token.</summary>
    private async Task<string> RefreshCookieOf(HttpResponseMessage response, string name = OwnCookie, bool secure = true)
    {
        var cookie = SetCookies(response).ShouldHaveSingleItem();
        cookie.Name.ToString().ShouldBe(name);
        cookie.HttpOnly.ShouldBeTrue();
        cookie.Secure.ShouldBe(secure);
        cookie.SameSite.ShouldBe(SameSiteMode.Strict);
        cookie.Path.ToString().ShouldBe("/api/auth");
        cookie.Domain.HasValue.ShouldBeFalse();
        // As long as the refresh token (Auth:RefreshTokenDays, 7); the header carries whole seconds.
        cookie.Expires!.Value.ShouldBe(Host.Time.GetUtcNow().AddDays(7), TimeSpan.FromSeconds(1));
        var value = cookie.Value.ToString();
        value.Length.ShouldBeGreaterThan(40);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain(value);
        text.ShouldNotContain("\"refreshToken\"");
        return value;
    }

    private static async Task<TokenResponse> Tokens(HttpResponseMessage response)
    {
        await response.ShouldHave(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!;
    }

    private async Task<(TokenResponse Tokens, string Cookie)> DoctorSignsIn()
    {
        var response = await Post("/api/auth/sign-in", new { email = Api.DoctorEmail, password = Api.DemoPassword });
        return (await Tokens(response), await RefreshCookieOf(response));
    }

    [Fact]
    public async Task Every_sign_in_that_issues_tokens_gives_the_web_client_its_refresh_token_only_in_an_http_only_strict_cookie_for_the_auth_endpoints()
    {
        var mobile = Api.NewMobile();
        var registered = await Post("/api/patients", new { name = "Kavita Rao", yearOfBirth = 1979, sex = "female", mobile, code = await Host.SendCodeAndRead(mobile) });
        await registered.ShouldHave(HttpStatusCode.Created);
        await RefreshCookieOf(registered);
        var guardian = (await registered.Content.ReadFromJsonAsync<PatientRegistration>(Api.Json))!;
        guardian.Tokens.RefreshToken.ShouldBeNull();
        (await Host.As(guardian.Tokens.AccessToken).GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        Host.Time.Advance(TimeSpan.FromSeconds(31));
        var patient = await Post("/api/auth/otp/verify", new { mobile, code = await Host.SendCodeAndRead(mobile) });
        await Tokens(patient);
        await RefreshCookieOf(patient);

        await DoctorSignsIn();

        var challenge = (await (await Post("/api/auth/sign-in", new { email = Api.AdminEmail, password = Api.DemoPassword }))
            .Content.ReadFromJsonAsync<MfaChallengeResponse>(Api.Json))!;
        var admin = await Post("/api/auth/mfa/verify", new { challenge = challenge.Challenge, code = Host.DemoAdminCode() });
        (await Tokens(admin)).Role.ShouldBe("admin");
        await RefreshCookieOf(admin);

        var enrolling = await NewAdminsChallenge();
        var secret = TotpCodes.FromBase32((await (await Post("/api/auth/mfa/enrolment", new { challenge = enrolling.Challenge }))
            .Content.ReadFromJsonAsync<MfaEnrolment>(Api.Json))!.Secret);
        var enrolled = await Post("/api/auth/mfa/enrolment/confirm", new { challenge = enrolling.Challenge, code = TotpCodes.Code(secret, Host.Time.GetUtcNow()) });
        await enrolled.ShouldHave(HttpStatusCode.OK);
        await RefreshCookieOf(enrolled);

        var child = await Host.AddDependant(new TestPatient(guardian.Patient.Id, guardian.Tokens.AccessToken));
        var acting = await Post($"/api/dependants/{child.Id}/session", accessToken: guardian.Tokens.AccessToken);
        (await Tokens(acting)).AccountId.ShouldBe(child.Id);
        await RefreshCookieOf(acting, ActingCookie);
    }

    /// <summary>An admin without MFA (written as the demo seed writes one), at the enrolment step of signing in.</summary>
    private async Task<MfaChallengeResponse> NewAdminsChallenge()
    {
        var email = $"admin.{Guid.NewGuid():N}@example.in";
        var adminId = Guid.NewGuid();
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            var account = new StaffAccount(adminId, Role.Admin, "Second Admin", email, "", null, null, Host.Time.GetUtcNow());
            session.Insert(account with { PasswordHash = Host.Services.GetRequiredService<IPasswordHasher<StaffAccount>>().HashPassword(account, Api.DemoPassword) });
            session.Events.StartStream(adminId, new StaffRegistered(adminId, Role.Admin, null, Host.Time.GetUtcNow()));
            await session.SaveChangesAsync();
        }
        var challenge = await Post("/api/auth/sign-in", new { email, password = Api.DemoPassword });
        await challenge.ShouldHave(HttpStatusCode.Accepted);
        return (await challenge.Content.ReadFromJsonAsync<MfaChallengeResponse>(Api.Json))!;
    }

    [Fact]
    public async Task Refreshing_with_the_cookie_and_no_body_rotates_the_cookie_and_the_old_one_is_refused()
    {
        var (signedIn, first) = await DoctorSignsIn();

        var refreshed = await Post("/api/auth/refresh", cookies: $"{OwnCookie}={first}");

        var renewed = await Tokens(refreshed);
        renewed.AccountId.ShouldBe(signedIn.AccountId);
        var second = await RefreshCookieOf(refreshed);
        second.ShouldNotBe(first);
        (await Host.As(renewed.AccessToken).GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await Post("/api/auth/refresh", cookies: $"{OwnCookie}={first}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await Post("/api/auth/refresh", cookies: $"{OwnCookie}={second}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_cookie_is_not_read_without_the_header_nor_for_a_page_of_another_origin()
    {
        var (_, cookie) = await DoctorSignsIn();

        // What a form or a simple request from another site could send: the cookie alone is not a refresh token.
        var withoutHeader = await Post("/api/auth/refresh", cookies: $"{OwnCookie}={cookie}", header: null, origin: "https://evil.example");
        (await withoutHeader.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("refreshToken").GetArrayLength().ShouldBe(1);
        var signOutWithoutHeader = await Post("/api/auth/sign-out", cookies: $"{OwnCookie}={cookie}", header: null, origin: "https://evil.example");
        await signOutWithoutHeader.ShouldBeProblem(HttpStatusCode.BadRequest);
        // A page of another origin that got the header through (it takes a CORS preflight this server does not admit).
        var crossSite = await Post("/api/auth/refresh", cookies: $"{OwnCookie}={cookie}", origin: "https://evil.example");
        await crossSite.ShouldBeProblem(HttpStatusCode.Forbidden);
        SetCookies(crossSite).ShouldBeEmpty();
        await (await Post("/api/auth/sign-out", cookies: $"{OwnCookie}={cookie}", origin: "https://evil.example")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await Post("/api/auth/refresh", cookies: $"{OwnCookie}={cookie}", origin: "https://localhost.evil.example")).ShouldBeProblem(HttpStatusCode.Forbidden);

        // None of them used the token or ended the session.
        await Tokens(await Post("/api/auth/refresh", cookies: $"{OwnCookie}={cookie}"));
    }

    [Fact]
    public async Task Signing_out_with_the_cookie_clears_it_and_the_old_cookie_is_refused_afterwards()
    {
        var (_, cookie) = await DoctorSignsIn();

        var signOut = await Post("/api/auth/sign-out", cookies: $"{OwnCookie}={cookie}");

        await signOut.ShouldHave(HttpStatusCode.NoContent);
        var cleared = SetCookies(signOut);
        cleared.Select(c => c.Name.ToString()).Order().ShouldBe([OwnCookie, ActingCookie]);
        foreach (var gone in cleared)
        {
            gone.Value.ToString().ShouldBeEmpty();
            gone.Expires!.Value.ShouldBeLessThan(DateTimeOffset.UtcNow);
            gone.Path.ToString().ShouldBe("/api/auth");
            gone.Secure.ShouldBeTrue();
        }
        await (await Post("/api/auth/refresh", cookies: $"{OwnCookie}={cookie}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        // The browser sends no cookie once it is cleared: that too is no sign-in.
        await (await Post("/api/auth/refresh")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_guardian_holds_a_family_members_sign_in_in_a_second_cookie_and_signing_out_everywhere_clears_both()
    {
        var mobile = Api.NewMobile();
        var registered = await Post("/api/patients", new { name = "Kavita Rao", yearOfBirth = 1979, sex = "female", mobile, code = await Host.SendCodeAndRead(mobile) });
        var own = await RefreshCookieOf(registered);
        var guardian = (await registered.Content.ReadFromJsonAsync<PatientRegistration>(Api.Json))!;
        var child = await Host.AddDependant(new TestPatient(guardian.Patient.Id, guardian.Tokens.AccessToken));
        var acting = await RefreshCookieOf(await Post($"/api/dependants/{child.Id}/session", accessToken: guardian.Tokens.AccessToken), ActingCookie);
        var both = $"{OwnCookie}={own}; {ActingCookie}={acting}";

        var asChild = await Post("/api/auth/refresh", cookies: both, header: RefreshCookie.Acting);
        (await Tokens(asChild)).AccountId.ShouldBe(child.Id);
        acting = await RefreshCookieOf(asChild, ActingCookie);
        both = $"{OwnCookie}={own}; {ActingCookie}={acting}";
        var asGuardian = await Post("/api/auth/refresh", cookies: both);
        var back = await Tokens(asGuardian);
        back.AccountId.ShouldBe(guardian.Patient.Id);
        own = await RefreshCookieOf(asGuardian);
        both = $"{OwnCookie}={own}; {ActingCookie}={acting}";

        var everywhere = await Post("/api/auth/sign-out-everywhere", cookies: both, accessToken: back.AccessToken);

        await everywhere.ShouldHave(HttpStatusCode.NoContent);
        SetCookies(everywhere).Select(c => (c.Name.ToString(), c.Value.ToString())).Order().ShouldBe([(OwnCookie, ""), (ActingCookie, "")]);
        await (await Post("/api/auth/refresh", cookies: both)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await Post("/api/auth/refresh", cookies: both, header: RefreshCookie.Acting)).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Signing_out_while_acting_for_a_family_member_ends_the_guardians_own_sign_in_too_and_clears_both_cookies()
    {
        var mobile = Api.NewMobile();
        var registered = await Post("/api/patients", new { name = "Kavita Rao", yearOfBirth = 1979, sex = "female", mobile, code = await Host.SendCodeAndRead(mobile) });
        var own = await RefreshCookieOf(registered);
        var guardian = (await registered.Content.ReadFromJsonAsync<PatientRegistration>(Api.Json))!;
        var child = await Host.AddDependant(new TestPatient(guardian.Patient.Id, guardian.Tokens.AccessToken));
        var acting = await RefreshCookieOf(await Post($"/api/dependants/{child.Id}/session", accessToken: guardian.Tokens.AccessToken), ActingCookie);
        var both = $"{OwnCookie}={own}; {ActingCookie}={acting}";

        var signOut = await Post("/api/auth/sign-out", cookies: both, header: RefreshCookie.Acting);

        await signOut.ShouldHave(HttpStatusCode.NoContent);
        SetCookies(signOut).Select(c => (c.Name.ToString(), c.Value.ToString())).Order().ShouldBe([(OwnCookie, ""), (ActingCookie, "")]);
        await (await Post("/api/auth/refresh", cookies: both, header: RefreshCookie.Acting)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        // The guardian's own token, whose cookie the sign-out cleared, does not outlive it: the family member's sign-in is
        // part of the guardian's session.
        await (await Post("/api/auth/refresh", cookies: both)).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    /// <summary>
    /// Behind a proxy on another port than 443 the browser's Origin carries the port and the Host the proxy passes may
    /// not: with <c>Security:PublicOrigins</c> set, the configured origins are the server's own, whatever the Host says.
    /// </summary>
    [Fact]
    public async Task With_public_origins_configured_the_cookie_is_used_from_those_origins_whatever_host_the_proxy_passes()
    {
        var proxied = server.Start(new Dictionary<string, string?> { ["Security:PublicOrigins:0"] = "https://telemed.example.in:8443/" });
        Task<HttpResponseMessage> Send(string path, string cookie, string origin)
        {
            var client = proxied.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://telemed.example.in"), HandleCookies = false });
            var request = new HttpRequestMessage(HttpMethod.Post, path);
            request.Headers.Add(RefreshCookie.Header, RefreshCookie.Own);
            request.Headers.Add(HeaderNames.Origin, origin);
            request.Headers.Add(HeaderNames.Cookie, $"{OwnCookie}={cookie}");
            return client.SendAsync(request);
        }
        var (_, cookie) = await DoctorSignsIn();

        var refreshed = await Send("/api/auth/refresh", cookie, "https://telemed.example.in:8443");

        await Tokens(refreshed);
        cookie = await RefreshCookieOf(refreshed);
        // The Host alone no longer makes an origin the server's own, nor does another port of the same host.
        await (await Send("/api/auth/refresh", cookie, "https://telemed.example.in")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await Send("/api/auth/refresh", cookie, "https://telemed.example.in:9443")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await Send("/api/auth/sign-out", cookie, "https://TELEMED.example.in:8443")).ShouldHave(HttpStatusCode.NoContent);
    }

    /// <summary>
    /// On a developer's machine and in the tests the server answers plain http on loopback: the cookie is then not
    /// Secure (the browser would not send it back) and not prefixed, and an https request does not read it.
    /// </summary>
    [Fact]
    public async Task Over_plain_http_outside_production_the_cookie_is_not_secure_and_has_no_prefix()
    {
        var signedIn = await Post("/api/auth/sign-in", new { email = Api.DoctorEmail, password = Api.DemoPassword }, origin: "http://localhost", scheme: "http");
        await Tokens(signedIn);
        var cookie = await RefreshCookieOf(signedIn, "telemed-refresh", secure: false);

        await (await Post("/api/auth/refresh", cookies: $"telemed-refresh={cookie}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        var refreshed = await Post("/api/auth/refresh", cookies: $"telemed-refresh={cookie}", origin: "http://localhost", scheme: "http");
        await Tokens(refreshed);
        await RefreshCookieOf(refreshed, "telemed-refresh", secure: false);
    }

    [Fact]
    public async Task Clients_without_the_header_keep_the_refresh_token_in_the_body_and_get_no_cookie()
    {
        var signedIn = await Post("/api/auth/sign-in", new { email = Api.DoctorEmail, password = Api.DemoPassword }, header: null, origin: null);

        var tokens = await Tokens(signedIn);
        tokens.RefreshToken.ShouldNotBeNullOrEmpty();
        SetCookies(signedIn).ShouldBeEmpty();
        var refreshed = await Post("/api/auth/refresh", new { tokens.RefreshToken }, header: null, origin: null);
        (await Tokens(refreshed)).RefreshToken.ShouldNotBeNullOrEmpty();
        SetCookies(refreshed).ShouldBeEmpty();
    }
}
