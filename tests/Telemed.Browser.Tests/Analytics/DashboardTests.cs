using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Analytics;

/// <summary>The health officer's dashboard draws its charts (Chart.js, loaded only for officers) from the analytics API.</summary>
[Collection(OneAtATime.Name)]
public class DashboardTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_opens_the_dashboard_from_the_admin_home_and_sees_the_waiting_volume_and_syndrome_charts_and_the_alert_list()
    {
        var page = await fixture.NewPage();
        await Pages.SignInAdmin(page);
        await page.ClickAsync("#adm-analytics");

        await Assertions.Expect(page.Locator("#analytics")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#an-facility option")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#an-alerts li")).ToHaveTextAsync("No outbreak alerts in the last 30 days.");
        foreach (var chart in new[] { "#an-waits", "#an-volume", "#an-syndromes" })
        {
            (await page.EvaluateAsync<bool>($"() => window.getComputedStyle(document.querySelector('{chart}')).display !== 'none' && document.querySelector('{chart}').width > 0"))
                .ShouldBeTrue(chart);
        }
        (await page.TextContentAsync("#error")).ShouldBeNullOrEmpty();

        await page.SelectOptionAsync("#language", "hi");
        await Assertions.Expect(page.Locator("#analytics h2")).ToHaveTextAsync("ओपीडी और प्रकोप विश्लेषण");
        await Assertions.Expect(page.Locator("#an-alerts li")).ToHaveTextAsync("पिछले 30 दिनों में कोई प्रकोप चेतावनी नहीं।");
        await Assertions.Expect(page.Locator("#an-waits")).ToHaveAttributeAsync("aria-label", "प्रतिदिन प्रतीक्षा समय की माध्यिका और 90वाँ प्रतिशतक");
        await Axe.ShouldHaveNoSeriousViolations(page, "analytics (hi)");
    }

    [Fact]
    public async Task A_health_officer_lands_on_the_dashboard_and_sees_its_charts_and_alerts_and_no_admin_page()
    {
        var email = $"officer.{Guid.NewGuid():N}@health.example.in";
        await fixture.Send(HttpMethod.Post, "/api/admin/health-officers", await fixture.SignIn("admin@telemed.local"),
            new { name = "Dr. Kavya Menon", email, password = "officer-password-2026" });
        var page = await fixture.NewPage();
        await Pages.SignInStaff(page, email, password: "officer-password-2026");

        await Assertions.Expect(page.Locator("#analytics")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("Health officer");
        await Assertions.Expect(page.Locator("#an-alerts li").First).ToBeVisibleAsync();
        foreach (var chart in new[] { "#an-waits", "#an-volume", "#an-syndromes" })
        {
            await page.WaitForFunctionAsync($"() => document.querySelector('{chart}').width > 0");
        }
        await Assertions.Expect(page.Locator("#an-back")).ToBeHiddenAsync();
        (await page.Locator("#admin").CountAsync()).ShouldBe(0, "an officer's page holds no admin section");
        (await page.TextContentAsync("#error")).ShouldBeNullOrEmpty();
        await Axe.ShouldHaveNoSeriousViolations(page, "the health officer's dashboard");
    }
}
