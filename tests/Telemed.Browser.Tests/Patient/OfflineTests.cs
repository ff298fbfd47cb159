using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Patient;

/// <summary>
/// The installable app without a connection: the service worker keeps the pages and the chunks they loaded, a reload
/// offline still shows the page with a notice that the connection is gone, and the page recovers by itself when the
/// connection is back. The browser context's offline switch cuts the page and its service worker off the network.
/// </summary>
[Collection(OneAtATime.Name)]
public class OfflineTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    // Recovery waits for the next readiness probe (at most ten seconds apart) and for "Connected again" to be said.
    private static readonly LocatorAssertionsToBeHiddenOptions Recovered = new() { Timeout = 20_000 };

    [Theory]
    [InlineData("en", "No connection: you are offline.")]
    [InlineData("hi", "कनेक्शन नहीं है: आप ऑफ़लाइन हैं।")]
    public async Task The_sign_in_page_reloads_offline_with_a_notice_that_goes_when_the_connection_is_back(string language, string notice)
    {
        var page = await fixture.NewPage();
        await page.Context.AddInitScriptAsync($"localStorage.setItem('telemed.language', '{language}')");
        await page.GotoAsync("/");
        await ShellKept(page, "/index.html");

        await page.Context.SetOfflineAsync(true);
        var reload = await page.ReloadAsync();

        reload.ShouldNotBeNull().FromServiceWorker.ShouldBeTrue();
        await Assertions.Expect(page.Locator("#patient-form")).ToBeVisibleAsync();
        var banner = page.Locator("#connection-banner[role=status]");
        await Assertions.Expect(banner).ToBeVisibleAsync();
        await Assertions.Expect(banner).ToContainTextAsync(notice);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        (await page.EvaluateAsync<bool>("() => fetch('/health/live').then(() => true, () => false)")).ShouldBeFalse("the page is cut off");
        await Axe.ShouldHaveNoSeriousViolations(page, $"sign-in page offline ({language})");

        await page.Context.SetOfflineAsync(false);

        await Assertions.Expect(banner).ToBeHiddenAsync(Recovered);
        await Assertions.Expect(page.Locator("#patient-form")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_signed_in_patient_reloading_offline_keeps_the_page_and_is_back_in_it_when_the_connection_returns()
    {
        await fixture.OpenSession("asha.verma@telemed.local");
        var page = await fixture.NewPage();
        await Pages.SignInPatient(page, fixture, "9876543210");
        var sessions = page.Locator("#sessions button[data-session]").First;
        await Assertions.Expect(sessions).ToBeVisibleAsync();
        await ShellKept(page, "/index.html");

        await page.Context.SetOfflineAsync(true);
        await page.ReloadAsync();

        await Assertions.Expect(page.Locator("#connection-banner")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#connection-banner")).ToHaveAttributeAsync("data-state", "offline");

        await page.Context.SetOfflineAsync(false);

        await Assertions.Expect(sessions).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#connection-banner")).ToBeHiddenAsync(Recovered);
        (await page.TextContentAsync("#error")).ShouldBeNullOrEmpty();
    }

    [Fact]
    public async Task The_prescription_check_opens_offline_from_the_cache_and_checks_once_the_connection_is_back()
    {
        var page = await fixture.NewPage();
        await page.GotoAsync($"/verify/{Guid.NewGuid()}");
        await Assertions.Expect(page.Locator("#error")).Not.ToBeEmptyAsync();
        await ShellKept(page, "/verify.html");

        await page.Context.SetOfflineAsync(true);
        // Another prescription's link: the same page, from the cache.
        var reload = await page.GotoAsync($"/verify/{Guid.NewGuid()}");

        reload.ShouldNotBeNull().FromServiceWorker.ShouldBeTrue();
        await Assertions.Expect(page.Locator("#connection-banner[role=status]")).ToContainTextAsync("No connection: you are offline.");
        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("No connection: this did not reach the clinic.");
        await Axe.ShouldHaveNoSeriousViolations(page, "prescription check offline");

        await page.Context.SetOfflineAsync(false);

        await Assertions.Expect(page.Locator("#connection-banner")).ToBeHiddenAsync(Recovered);
        // Checked again by itself: the server's answer (no such prescription) replaces the missing connection.
        await Assertions.Expect(page.Locator("#error")).Not.ToContainTextAsync("No connection", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#error")).Not.ToBeEmptyAsync();
    }

    /// <summary>
    /// Chromium's own installability check, which lists every criterion a page misses. The test's browser contexts are
    /// off the record, which it always reports; nothing else may be missing. The password page links no manifest: its
    /// errors show that the check looks past the first.
    /// </summary>
    [Fact]
    public async Task Chromium_finds_the_app_installable_from_the_sign_in_page()
    {
        var page = await fixture.NewPage();
        await page.GotoAsync("/");
        await ShellKept(page, "/index.html");

        (await InstallabilityErrors(page)).ShouldBe(["in-incognito"]);

        await page.GotoAsync("/reset-password");
        (await InstallabilityErrors(page)).ShouldContain("no-manifest");
    }

    private static async Task<List<string>> InstallabilityErrors(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var answer = (await cdp.SendAsync("Page.getInstallabilityErrors")).ShouldNotBeNull();
        return [.. answer.GetProperty("installabilityErrors").EnumerateArray().Select(error => error.GetProperty("errorId").GetString()!)];
    }

    /// <summary>Waits until the service worker holds the page and the messages it was shown in.</summary>
    private static async Task ShellKept(IPage page, string pageFile)
    {
        var kept = await page.EvaluateAsync<bool>("""
            async pageFile => {
              for (const deadline = Date.now() + 15000; Date.now() < deadline; await new Promise(resolve => setTimeout(resolve, 100))) {
                const cached = [];
                for (const name of await caches.keys()) {
                  for (const request of await (await caches.open(name)).keys()) cached.push(new URL(request.url).pathname);
                }
                if (cached.includes(pageFile) && cached.some(path => path.startsWith('/assets/messages/'))) return true;
              }
              return false;
            }
            """, pageFile);
        kept.ShouldBeTrue($"the service worker keeps {pageFile} and the messages");
    }
}
