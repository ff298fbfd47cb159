using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Admin;

/// <summary>The password page the e-mailed links open: a new staff member's first password, and "Forgot your password?".</summary>
[Collection(OneAtATime.Name)]
public partial class PasswordPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    /// <summary>The newest e-mail of a template to an address in the development sink, once the dispatcher has handed it over.</summary>
    private async Task<string> Mail(string email, string template)
    {
        for (var attempt = 0; ; attempt++)
        {
            var messages = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/dev/messages?to={Uri.EscapeDataString(email)}");
            if (messages.EnumerateArray().FirstOrDefault(m => m.GetProperty("template").GetString() == template) is { ValueKind: JsonValueKind.Object } mail)
            {
                return mail.GetProperty("text").GetString()!;
            }
            if (attempt > 200)
            {
                throw new TimeoutException($"No {template} e-mail reached the development sink.");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>The link in the e-mail, on the server under test (its public address is the default, not this test server's port).</summary>
    private Uri Link(string mail) => new(fixture.Server.Address, ResetLink().Match(mail).Value);

    [Fact]
    public async Task A_new_staff_member_follows_the_emailed_link_and_chooses_a_password_in_the_page_then_forgets_it_and_resets_it()
    {
        var email = $"kiran.{Guid.NewGuid():N}@example.in";
        var admin = await fixture.SignIn("admin@telemed.local");
        await fixture.Send(HttpMethod.Post, "/api/admin/health-officers", admin, new { name = "Kiran Joshi", email });

        var page = await fixture.NewPage();
        await page.GotoAsync(Link(await Mail(email, "StaffFirstPassword")).ToString());
        await Assertions.Expect(page.Locator("#ask-form")).ToBeHiddenAsync();
        await page.FillAsync("#new-password", "my-own-password-1");
        await page.FillAsync("#repeat-password", "my-own-password-2");
        await page.ClickAsync("#reset-choose");
        await Assertions.Expect(page.Locator("#error")).ToHaveTextAsync("The two passwords differ. Type the same one twice.");
        await page.FillAsync("#repeat-password", "my-own-password-1");
        await page.ClickAsync("#reset-choose");
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("Your password is saved");
        (await fixture.Http.PostAsJsonAsync("/api/auth/sign-in", new { email, password = "my-own-password-1" })).EnsureSuccessStatusCode();

        await page.GotoAsync(new Uri(fixture.Server.Address, "/").ToString());
        await page.ClickAsync("#forgot-password");
        await page.FillAsync("#reset-email", email);
        await page.ClickAsync("#reset-ask");
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("the link is on its way");
        await page.GotoAsync(Link(await Mail(email, "StaffPasswordReset")).ToString());
        await page.FillAsync("#new-password", "a-second-password");
        await page.FillAsync("#repeat-password", "a-second-password");
        await page.ClickAsync("#reset-choose");
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("Your password is saved");
        (await fixture.Http.PostAsJsonAsync("/api/auth/sign-in", new { email, password = "a-second-password" })).EnsureSuccessStatusCode();
    }

    [GeneratedRegex(@"/reset-password\?token=[A-Za-z0-9._%-]+")]
    private static partial Regex ResetLink();
}
