using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Sessions;

/// <summary>
/// Signing out from every role's page, and the tabs of one browser sharing its refresh cookie: the access token lives
/// only in the page, and a reload (or two at once) takes a fresh one from the cookie.
/// </summary>
public class SignOutTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string WorkerPassword = "a-long-enough-password";

    /// <summary>Signs the role's demo account in on the page and returns the id of the section its home is in.</summary>
    private async Task<string> SignIn(IPage page, string role)
    {
        switch (role)
        {
            case "patient":
                await Pages.SignInPatient(page, fixture, "9876543210");
                return "#patient";
            case "doctor":
                await Pages.SignInStaff(page, "asha.verma@telemed.local");
                return "#doctor";
            case "pharmacist":
                await Pages.SignInStaff(page, "meena.iyer@telemed.local");
                return "#pharmacy";
            case "admin":
                await Pages.SignInAdmin(page);
                return "#admin";
            default:
                await Pages.SignInStaff(page, await HealthWorker(), password: WorkerPassword);
                return "#health-worker";
        }
    }

    /// <summary>A health worker at a spoke of the demo hub, registered by the admin.</summary>
    private async Task<string> HealthWorker()
    {
        var admin = await fixture.SignIn("admin@telemed.local");
        var spoke = (await (await fixture.Send(HttpMethod.Post, "/api/admin/facilities", admin, new
        {
            hfrId = "IN0910000" + Random.Shared.Next(100, 999), name = "HWC Milak", district = "Rampur", state = "Uttar Pradesh", proceedUnverified = true, unverifiedReason = "test",
        })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await fixture.Send(HttpMethod.Post, "/api/admin/hub-spokes", admin, new { hubId = Guid.Parse("0193a000-0000-7000-8000-000000000001"), spokeId = spoke });
        var email = $"worker.{Guid.NewGuid():N}@hwc.example.in";
        await fixture.Send(HttpMethod.Post, "/api/admin/health-workers", admin, new { name = "Sunita Devi", email, password = WorkerPassword, cadre = "anm", facilityId = spoke });
        return email;
    }

    [Theory]
    [InlineData("patient")]
    [InlineData("doctor")]
    [InlineData("pharmacist")]
    [InlineData("admin")]
    [InlineData("health-worker")]
    public async Task Every_roles_page_signs_out_to_the_sign_in_page_and_neither_back_nor_a_reload_brings_it_back(string role)
    {
        var page = await fixture.NewPage();
        // A page before the app's, for Back to go to.
        await page.GotoAsync("/verify.html");
        await page.GotoAsync("/");
        var home = await SignIn(page, role);
        await Assertions.Expect(page.Locator(home)).ToBeVisibleAsync();
        var signOut = page.Locator("#sign-out");
        await Assertions.Expect(signOut).ToBeVisibleAsync();
        await Assertions.Expect(signOut).ToHaveAttributeAsync("data-icon", "sign-out");
        await Assertions.Expect(signOut).ToHaveAccessibleNameAsync("Sign out");
        (await signOut.BoundingBoxAsync())!.Height.ShouldBeGreaterThanOrEqualTo(48);
        if (role == "doctor")
        {
            await Axe.ShouldHaveNoSeriousViolations(page, "doctor's home with the sign-out button");
        }
        await page.SelectOptionAsync("#language", "hi");
        await Assertions.Expect(signOut).ToHaveTextAsync("साइन आउट करें");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "telemed-refresh");

        await page.ClickAsync("#sign-out");

        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(home)).ToBeHiddenAsync();
        await Assertions.Expect(signOut).ToBeHiddenAsync();
        (await page.Context.CookiesAsync()).ShouldNotContain(c => c.Name.StartsWith("telemed-refresh", StringComparison.Ordinal));
        (await page.EvaluateAsync<int>("() => sessionStorage.length")).ShouldBe(0);
        // The sign-in is over on the server too: a copy of the cookie refreshes nothing.
        (await fixture.Http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = cookie.Value })).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);

        await page.GoBackAsync();
        await page.GoForwardAsync();
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(home)).ToBeHiddenAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(home)).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#error")).ToHaveTextAsync("");
    }

    [Fact]
    public async Task Signing_out_in_one_tab_signs_the_browsers_other_tabs_out()
    {
        var first = await fixture.NewPage();
        await Pages.SignInStaff(first, "rahul.nair@telemed.local");
        await Assertions.Expect(first.Locator("#doctor")).ToBeVisibleAsync();
        var second = await OpenedFrom(first);
        await Assertions.Expect(second.Locator("#doctor")).ToBeVisibleAsync();

        await second.ClickAsync("#sign-out");

        await Assertions.Expect(second.Locator("#signin")).ToBeVisibleAsync();
        await Assertions.Expect(first.Locator("#signin")).ToBeVisibleAsync();
        await Assertions.Expect(first.Locator("#doctor")).ToBeHiddenAsync();
    }

    /// <summary>
    /// Both tabs reload at the same moment, so both take a fresh access token from the one cookie. Each refresh is held
    /// until the other has come too (or a second and a half has passed) and then let go with it: without the web lock
    /// both would present the same cookie and the second would look like a stolen, reused refresh token.
    /// </summary>
    [Fact]
    public async Task Two_tabs_reloading_at_once_both_stay_signed_in()
    {
        // The doctor's page loads its sessions and connects two hubs: on a loaded machine that takes more than 5 s.
        var slowly = new LocatorAssertionsToBeVisibleOptions { Timeout = 20_000 };
        var first = await fixture.NewPage();
        await Pages.SignInStaff(first, "asha.verma@telemed.local");
        await Assertions.Expect(first.Locator("#doctor")).ToBeVisibleAsync(slowly);
        var second = await OpenedFrom(first);
        await Assertions.Expect(second.Locator("#doctor")).ToBeVisibleAsync(slowly);
        var arrived = 0;
        var together = new TaskCompletionSource();
        await first.Context.RouteAsync("**/api/auth/refresh", async route =>
        {
            if (Interlocked.Increment(ref arrived) >= 2)
            {
                together.TrySetResult();
            }
            await Task.WhenAny(together.Task, Task.Delay(1500));
            await route.ContinueAsync();
        });

        await Task.WhenAll(first.ReloadAsync(), second.ReloadAsync());

        foreach (var tab in new[] { first, second })
        {
            await Assertions.Expect(tab.Locator("#doctor")).ToBeVisibleAsync(slowly);
            await Assertions.Expect(tab.Locator("#signin")).ToBeHiddenAsync();
            await Assertions.Expect(tab.Locator("#error")).ToHaveTextAsync("");
        }
        arrived.ShouldBe(2);
        // The sign-in is still alive: another reload refreshes again.
        await first.ReloadAsync();
        await Assertions.Expect(first.Locator("#doctor")).ToBeVisibleAsync(slowly);
        await Assertions.Expect(first.Locator("#error")).ToHaveTextAsync("");
    }

    /// <summary>A second tab the page opens (as a link opened in a new tab does): it starts with the page's sessionStorage.</summary>
    private static async Task<IPage> OpenedFrom(IPage page) =>
        await page.Context.RunAndWaitForPageAsync(() => page.EvaluateAsync("() => { window.open('/'); }"));
}
