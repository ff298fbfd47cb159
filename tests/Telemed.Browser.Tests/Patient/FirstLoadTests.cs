using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Patient;

/// <summary>
/// What a patient's browser downloads, from the sign-in page to the list of open OPDs: the patient's own code and the
/// chosen language's messages, never another role's pages (the build puts those under /assets/doctor/,
/// /assets/pharmacy/, /assets/admin/, /assets/health-worker/ and /assets/board/, each with its section of the page)
/// nor another language.
/// </summary>
[Collection(OneAtATime.Name)]
public class FirstLoadTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("en", "hi")]
    [InlineData("hi", "en")]
    public async Task A_patient_downloads_their_own_pages_and_one_language_only(string language, string other)
    {
        await fixture.OpenSession("asha.verma@telemed.local");
        var page = await fixture.NewPage();
        await page.Context.AddInitScriptAsync($"localStorage.setItem('telemed.language', '{language}')");
        var fetched = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Request += (_, request) => fetched.Enqueue(new Uri(request.Url).AbsolutePath);

        await Pages.SignInPatient(page, fixture, "9876543210");
        await Assertions.Expect(page.Locator("#sessions button[data-session]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);

        var assets = fetched.Where(path => path.StartsWith("/assets/", StringComparison.Ordinal)).Distinct().ToList();
        assets.ShouldContain(path => path.StartsWith("/assets/patient/patient-", StringComparison.Ordinal), string.Join('\n', assets));
        assets.ShouldNotContain(path => new[] { "doctor", "pharmacy", "admin", "health-worker", "board" }.Any(role => path.StartsWith($"/assets/{role}/", StringComparison.Ordinal)),
            string.Join('\n', assets));
        // The staff's libraries: the pharmacist's QR decoder and the dashboard's charts.
        assets.ShouldNotContain(path => path.StartsWith("/assets/jsQR-") || path.StartsWith("/assets/chart-") || path.StartsWith("/assets/analytics-"),
            string.Join('\n', assets));
        assets.Where(path => path.StartsWith("/assets/messages/", StringComparison.Ordinal)).ShouldHaveSingleItem()
            .ShouldStartWith($"/assets/messages/{language}-");
        assets.ShouldNotContain(path => path.StartsWith($"/assets/messages/{other}-"));
        // The staff's sections come with their code, so none of them is in the patient's page.
        foreach (var section in StaffSections)
            (await page.Locator($"#{section}").CountAsync()).ShouldBe(0, section);
    }

    [Fact]
    public async Task The_page_everyone_first_loads_holds_none_of_the_staffs_sections()
    {
        var html = await fixture.Http.GetStringAsync("/");

        html.ShouldContain("<section id=\"signin\"");
        html.ShouldContain("<section id=\"patient\"");
        foreach (var section in StaffSections) html.ShouldNotContain($"id=\"{section}\"");
    }

    private static readonly string[] StaffSections = ["doctor", "pharmacy", "health-worker", "admin", "analytics"];
}
