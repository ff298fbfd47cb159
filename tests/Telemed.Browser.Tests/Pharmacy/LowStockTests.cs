using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Shouldly;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Pharmacy;

/// <summary>
/// A facility pharmacy's pharmacist sets the least of a medicine to hold and sees it listed as running low once a
/// dispense takes its stock below that, as the server's own low-stock list has it. The pharmacy and its pharmacist are
/// registered through the admin's API; the prescription is a real signed one.
/// </summary>
[Collection(OneAtATime.Name)]
public class LowStockTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Password = "a-long-enough-password";

    private async Task<Guid> Created(string path, string token, object body) =>
        (await (await fixture.Send(HttpMethod.Post, path, token, body)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

    [Fact]
    public async Task A_pharmacist_sets_a_threshold_and_sees_the_medicine_running_low_once_a_dispense_takes_it_below()
    {
        var admin = await fixture.SignIn("admin@telemed.local");
        var facility = await Created("/api/admin/facilities", admin, new
        {
            hfrId = "IN0910000888", name = "CHC Barabanki", district = "Barabanki", state = "Uttar Pradesh", proceedUnverified = true, unverifiedReason = "test",
        });
        var pharmacy = await Created("/api/admin/pharmacies", admin, new { name = "CHC Barabanki dispensary", licenceNumber = "UP-BBK-0001", district = "Barabanki", state = "Uttar Pradesh", facilityId = facility });
        await fixture.Send(HttpMethod.Post, "/api/admin/pharmacists", admin, new
        {
            name = "Pooja Mishra", email = "pooja.mishra@chc.example.in", password = Password, registrationNumber = "UPPC-5678", stateCouncil = "UP Pharmacy Council", pharmacyId = pharmacy,
        });

        var page = await fixture.NewPage();
        await Pages.SignInStaff(page, "pooja.mishra@chc.example.in", password: Password);
        await Assertions.Expect(page.Locator("#rx-stock-panel")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#rx-low")).ToHaveTextAsync("Nothing is running low.");
        await page.FillAsync("#rx-rc-generic", "paracetamol");
        await page.FillAsync("#rx-rc-strength", "500 mg");
        await page.FillAsync("#rx-rc-form", "tablet");
        await page.FillAsync("#rx-rc-quantity", "20");
        await page.FillAsync("#rx-rc-batch", "PCM-3310");
        await page.FillAsync("#rx-rc-expiry", "2030-06-30");
        await page.ClickAsync("#rx-receive-submit");
        await Assertions.Expect(page.Locator("#rx-stock")).ToHaveTextAsync("paracetamol 500 mg tablet: 20 in stock");

        await page.FillAsync("#rx-th-generic", "paracetamol");
        await page.FillAsync("#rx-th-strength", "500 mg");
        await page.FillAsync("#rx-th-form", "tablet");
        await page.ClickAsync("#rx-threshold-submit");
        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("The minimum is 0 (stop watching)");
        await page.FillAsync("#rx-th-minimum", "15");
        await page.ClickAsync("#rx-threshold-submit");
        await Assertions.Expect(page.Locator("#rx-threshold-status")).ToHaveTextAsync("Threshold saved.");
        await Assertions.Expect(page.Locator("#error")).ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#rx-low")).ToHaveTextAsync("Nothing is running low.");

        var (prescriptionId, _) = await Pages.IssuePrescription(fixture, "+919812345678");
        await page.FillAsync("#rx-id", prescriptionId.ToString());
        await page.ClickAsync("#rx-check");
        await Assertions.Expect(page.Locator("#rx-verdict")).ToHaveAttributeAsync("data-verdict", "valid");
        await page.FillAsync("#rx-lines tbody tr[data-line='0'] .qty", "6");
        await page.ClickAsync("#rx-dispense");
        await Assertions.Expect(page.Locator("#rx-result")).ToHaveTextAsync("Dispensing recorded.");
        await Assertions.Expect(page.Locator("#rx-stock")).ToHaveTextAsync("paracetamol 500 mg tablet: 14 in stock");
        await Assertions.Expect(page.Locator("#rx-low li[data-medicine='paracetamol 500 mg tablet']")).ToHaveTextAsync("paracetamol 500 mg tablet: 14 left, threshold 15");
        await Axe.ShouldHaveNoSeriousViolations(page, "the pharmacist's stock with a medicine running low");

        var low = await (await fixture.Send(HttpMethod.Get, "/api/pharmacy/stock/low", fixture.AccessToken(page))).Content.ReadFromJsonAsync<JsonElement>();
        low.GetArrayLength().ShouldBe(1);
        low[0].GetProperty("medicine").GetProperty("generic").GetString().ShouldBe("paracetamol");
        low[0].GetProperty("usable").GetInt32().ShouldBe(14);
        low[0].GetProperty("minimum").GetInt32().ShouldBe(15);
    }
}
