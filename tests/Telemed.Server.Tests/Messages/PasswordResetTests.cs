using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Messages;

/// <summary>A Telemed host whose e-mail goes to a real SMTP server (aiosmtpd) on loopback.</summary>
public sealed class MailFixture : IAsyncLifetime
{
    public TelemedServer Server { get; } = new();

    public SmtpServer Smtp { get; private set; } = null!;

    public TelemedFactory Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Smtp = await SmtpServer.Start();
        await Server.InitializeAsync();
        Host = Server.Start(new Dictionary<string, string?>
        {
            ["Email:Provider"] = "Smtp",
            ["Email:Host"] = "127.0.0.1",
            ["Email:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // A test server on loopback; deployments keep the default, STARTTLS that must succeed.
            ["Email:Security"] = "None",
            ["Email:From"] = "Telemed <no-reply@telemed.test>",
            ["Messages:PublicUrl"] = "https://telemed.test",
            ["Messages:PollMilliseconds"] = "100",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public partial class PasswordResetTests(MailFixture fixture) : IClassFixture<MailFixture>
{
    private TelemedFactory Host => fixture.Host;

    private async Task<string> RegisterStaff(string email)
    {
        var admin = await Host.SignInStaff(Api.AdminEmail);
        var created = await Host.As(admin.AccessToken).PostAsJsonAsync("/api/admin/health-officers", new { name = "Kiran Joshi", email, password = "the-first-password" });
        await created.ShouldHave(HttpStatusCode.Created);
        return email;
    }

    private async Task<string> ResetToken(string email)
    {
        await (await Host.CreateClient().PostAsJsonAsync("/api/auth/password-reset", new { email })).ShouldHave(HttpStatusCode.Accepted);
        var mail = await fixture.Smtp.To(email, "Reset your Telemed password");
        mail.From.Mailboxes.Single().Address.ShouldBe("no-reply@telemed.test");
        var link = ResetLink().Match(mail.TextBody);
        link.Success.ShouldBeTrue(mail.TextBody);
        return Uri.UnescapeDataString(link.Groups["token"].Value);
    }

    [Fact]
    public async Task A_forgotten_password_is_reset_by_following_the_emailed_link_once()
    {
        var email = await RegisterStaff($"kiran.{Guid.NewGuid():N}@example.in");
        var before = await Host.SignInStaff(email, "the-first-password");

        var token = await ResetToken(email);
        var breached = await Host.CreateClient().PostAsJsonAsync("/api/auth/password-reset/complete", new { token, newPassword = "qwertyuiop" });
        await breached.ShouldHave(HttpStatusCode.BadRequest);
        (await breached.Problem()).GetProperty("errors").GetProperty("newPassword")[0].GetString()!.ShouldContain("leaked from other sites");
        var reset = await Host.CreateClient().PostAsJsonAsync("/api/auth/password-reset/complete", new { token, newPassword = "a-brand-new-password" });

        await reset.ShouldHave(HttpStatusCode.NoContent);
        await Host.SignInStaff(email, "a-brand-new-password");
        (await Host.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email, password = "the-first-password" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { before.RefreshToken })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var again = await Host.CreateClient().PostAsJsonAsync("/api/auth/password-reset/complete", new { token, newPassword = "yet-another-password" });
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await again.Problem()).GetProperty("errors").GetProperty("token")[0].GetString()!.ShouldContain("used or has expired");
    }

    [Fact]
    public async Task A_reset_link_expires_after_30_minutes()
    {
        var email = await RegisterStaff($"kiran.{Guid.NewGuid():N}@example.in");
        var token = await ResetToken(email);

        fixture.Server.Time.Advance(TimeSpan.FromMinutes(31));
        var late = await Host.CreateClient().PostAsJsonAsync("/api/auth/password-reset/complete", new { token, newPassword = "a-brand-new-password" });

        late.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_tampered_token_and_an_unknown_address_get_nothing()
    {
        var tampered = await Host.CreateClient().PostAsJsonAsync("/api/auth/password-reset/complete",
            new { token = $"{Guid.NewGuid():N}.AAAAAAAAAAAAAAAAAAAAAA", newPassword = "a-brand-new-password" });
        (await tampered.Problem()).GetProperty("errors").GetProperty("token")[0].GetString().ShouldBe("This is not a password reset link Telemed sent.");

        var unknown = $"nobody.{Guid.NewGuid():N}@example.in";
        await (await Host.CreateClient().PostAsJsonAsync("/api/auth/password-reset", new { email = unknown })).ShouldHave(HttpStatusCode.Accepted);
        await Task.Delay(500);
        fixture.Smtp.Messages().ShouldNotContain(m => m.To.Mailboxes.Any(to => to.Address == unknown));
    }

    [Fact]
    public async Task Staff_change_their_password_with_the_current_one_and_every_session_ends()
    {
        var email = await RegisterStaff($"kiran.{Guid.NewGuid():N}@example.in");
        var session = await Host.SignInStaff(email, "the-first-password");
        var client = Host.As(session.AccessToken);

        var wrong = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = "not-it-at-all", newPassword = "a-brand-new-password" });
        (await wrong.Problem()).GetProperty("errors").GetProperty("currentPassword")[0].GetString().ShouldBe("The current password is wrong.");
        var changed = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = "the-first-password", newPassword = "a-brand-new-password" });

        await changed.ShouldHave(HttpStatusCode.NoContent);
        await Host.SignInStaff(email, "a-brand-new-password");
        (await Host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { session.RefreshToken })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_new_staff_member_chooses_their_own_password_through_the_link_in_their_first_email()
    {
        var email = $"kiran.{Guid.NewGuid():N}@example.in";
        var admin = await Host.SignInStaff(Api.AdminEmail);
        var created = await Host.As(admin.AccessToken).PostAsJsonAsync("/api/admin/health-officers", new { name = "Kiran Joshi", email, language = "hi" });
        await created.ShouldHave(HttpStatusCode.Created);

        var mail = await fixture.Smtp.To(email, "आपका Telemed खाता");
        mail.TextBody.ShouldContain("72 घंटे");
        var token = Uri.UnescapeDataString(ResetLink().Match(mail.TextBody).Groups["token"].Value);
        var chosen = await Host.CreateClient().PostAsJsonAsync("/api/auth/password-reset/complete", new { token, newPassword = "my-own-first-password" });

        await chosen.ShouldHave(HttpStatusCode.NoContent);
        await Host.SignInStaff(email, "my-own-first-password");
        (await Host.CreateClient().PostAsJsonAsync("/api/auth/password-reset/complete", new { token, newPassword = "someone-elses-password" }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [GeneratedRegex(@"https://telemed\.test/reset-password\?token=(?<token>[A-Za-z0-9._%-]+)")]
    private static partial Regex ResetLink();
}
