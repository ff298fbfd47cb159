using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Calls;

/// <summary>Access tokens that live one minute (the shortest the server allows), so one expires within the test.</summary>
public sealed class ShortTokensFixture : BrowserFixture
{
    protected override Task<IDictionary<string, string>> ServerSettings() =>
        Task.FromResult<IDictionary<string, string>>(new Dictionary<string, string>
        {
            ["Auth__AccessTokenMinutes"] = "1",
            ["Otp__ResendCooldownSeconds"] = "0",
        });
}

public class SessionExpiryTests(ShortTokensFixture fixture) : IClassFixture<ShortTokensFixture>
{
    private const string Mobile = "9876543210";

    [Fact]
    public async Task An_expired_access_token_is_refreshed_unnoticed_and_a_revoked_session_sends_the_patient_to_sign_in_keeping_their_place()
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var patient = await fixture.NewPage();
        await Pages.CheckIn(patient, fixture, Mobile, sessionId);
        await Assertions.Expect(patient.Locator("#token")).ToHaveTextAsync("1");
        var first = await StoredTokens(patient);

        await WaitUntilTheServerRefuses(first.AccessToken);

        // A reload connects the hub and reads the sessions with the expired token in hand: both go through, after a refresh.
        await patient.ReloadAsync();
        await Assertions.Expect(patient.Locator("#token")).ToHaveTextAsync("1");
        await patient.ClickAsync("#records-open");
        await Assertions.Expect(patient.Locator("#records")).ToContainTextAsync("No consultations yet.");
        await Assertions.Expect(patient.Locator("#error")).ToHaveTextAsync("");
        var refreshed = await StoredTokens(patient);
        refreshed.AccessToken.ShouldNotBe(first.AccessToken);
        refreshed.RefreshToken.ShouldNotBe(first.RefreshToken);
        (await Get("/api/records", refreshed.AccessToken)).ShouldBe(HttpStatusCode.OK);

        // The session is ended elsewhere (signed out on another device); its access token has expired meanwhile.
        await fixture.Send(HttpMethod.Post, "/api/auth/sign-out", null, new { refreshToken = refreshed.RefreshToken });
        await patient.ReloadAsync();

        await Assertions.Expect(patient.Locator("#signin")).ToBeVisibleAsync();
        await Assertions.Expect(patient.Locator("#error")).ToHaveTextAsync("Your session has expired — sign in again.");
        await Assertions.Expect(patient.Locator("#patient")).ToBeHiddenAsync();

        // Signing in again brings the waiting room back with the same token: the place in the queue is on the server.
        await patient.FillAsync("#mobile", Mobile);
        var asked = DateTimeOffset.UtcNow;
        await patient.ClickAsync("#send-code");
        await patient.WaitForFunctionAsync("() => document.getElementById('error').textContent === ''");
        await patient.FillAsync("#code", await fixture.LatestCode("+91" + Mobile, asked));
        await patient.ClickAsync("#patient-signin");
        await Assertions.Expect(patient.Locator("#token")).ToHaveTextAsync("1");
        await Assertions.Expect(patient.Locator("#token-state")).ToHaveTextAsync("Waiting");
    }

    private sealed record StoredSession(string AccessToken, string RefreshToken);

    /// <summary>The access token the tab last sent, and the refresh token from the browser's cookie jar (no script of the page can read either).</summary>
    private async Task<StoredSession> StoredTokens(IPage page) =>
        new(fixture.AccessToken(page)!, (await page.Context.CookiesAsync()).Single(c => c.Name == "telemed-refresh").Value);

    /// <summary>The token's minute plus the server's clock skew allowance: asked every few seconds, for at most two minutes.</summary>
    private async Task WaitUntilTheServerRefuses(string accessToken)
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        while (await Get("/api/records", accessToken) == HttpStatusCode.OK)
        {
            DateTime.UtcNow.ShouldBeLessThan(until, "the access token should have expired");
            await Task.Delay(5000);
        }
        (await Get("/api/records", accessToken)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    private async Task<HttpStatusCode> Get(string path, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await fixture.Http.SendAsync(request);
        return response.StatusCode;
    }
}
