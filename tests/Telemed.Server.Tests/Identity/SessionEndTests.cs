using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Telemed.Server.Audit;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Identity;

/// <summary>How sessions end: staff idling past the limit, signing out everywhere, a reused refresh token, an admin's deactivation.</summary>
public class SessionEndTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    // The default check interval (20 s) plus a margin: the fake clock drives the periodic check.
    private static readonly TimeSpan PastTheNextCheck = TimeSpan.FromSeconds(21);

    private Task<HttpResponseMessage> Refresh(string? refreshToken) => Host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken });

    [Fact]
    public async Task Staff_who_keep_refreshing_stay_signed_in_but_an_idle_session_ends()
    {
        var tokens = await Host.SignInStaff(Api.DoctorEmail);
        server.Time.Advance(TimeSpan.FromMinutes(29));
        var refreshed = await Refresh(tokens.RefreshToken);
        await refreshed.ShouldHave(HttpStatusCode.OK);
        tokens = (await refreshed.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!;

        server.Time.Advance(TimeSpan.FromMinutes(31));
        var idle = await Refresh(tokens.RefreshToken);

        await idle.ShouldHave(HttpStatusCode.Unauthorized);
        (await idle.Problem()).GetProperty("detail").GetString()!.ShouldContain("30 minutes without activity");
        await (await Refresh(tokens.RefreshToken)).ShouldHave(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Patients_are_not_signed_out_for_being_idle()
    {
        var registration = await Host.RegisterPatient(Api.NewMobile());
        server.Time.Advance(TimeSpan.FromHours(6));

        await (await Refresh(registration.Tokens.RefreshToken)).ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_and_closes_the_live_connection()
    {
        var laptop = await Host.SignInStaff(Api.DoctorEmail);
        var phone = await Host.SignInStaff(Api.DoctorEmail);
        var colleague = await Host.SignInStaff("rahul.nair@telemed.local");
        await using var hub = await HubClient.Connect(Host, "/hubs/queue", laptop.AccessToken);
        await using var colleagueHub = await HubClient.Connect(Host, "/hubs/queue", colleague.AccessToken);
        var closed = hub.Closed();

        await (await Host.As(phone.AccessToken).PostAsync("/api/auth/sign-out-everywhere", null)).ShouldHave(HttpStatusCode.NoContent);
        server.Time.Advance(PastTheNextCheck);

        await closed.WaitAsync(TimeSpan.FromSeconds(10));
        colleagueHub.Connection.State.ShouldBe(HubConnectionState.Connected);
        await (await Refresh(laptop.RefreshToken)).ShouldHave(HttpStatusCode.Unauthorized);
        await (await Refresh(phone.RefreshToken)).ShouldHave(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_revoked_sessions_access_token_is_refused_on_rest_within_seconds()
    {
        var laptop = await Host.SignInStaff(Api.DoctorEmail);
        var phone = await Host.SignInStaff(Api.DoctorEmail);
        var colleague = await Host.SignInStaff("rahul.nair@telemed.local");
        await (await Host.As(laptop.AccessToken).GetAsync("/api/me")).ShouldHave(HttpStatusCode.OK);

        await (await Host.As(phone.AccessToken).PostAsync("/api/auth/sign-out-everywhere", null)).ShouldHave(HttpStatusCode.NoContent);
        server.Time.Advance(TimeSpan.FromSeconds(2));

        // The access token has 15 minutes left; the session it belongs to is over within the 2 s poll.
        await Api.Eventually(async () =>
            (await Host.As(laptop.AccessToken).GetAsync("/api/me")).StatusCode == HttpStatusCode.Unauthorized ? "refused" : null, TimeSpan.FromSeconds(10));
        await (await Host.As(phone.AccessToken).GetAsync("/api/me")).ShouldHave(HttpStatusCode.Unauthorized);
        await (await Host.As(colleague.AccessToken).GetAsync("/api/me")).ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_patients_session_ends_thirty_days_after_sign_in_however_often_it_refreshes()
    {
        var tokens = (await Host.RegisterPatient(Api.NewMobile())).Tokens;
        for (var refreshes = 0; refreshes < 4; refreshes++)
        {
            server.Time.Advance(TimeSpan.FromDays(6));
            var refreshed = await Refresh(tokens.RefreshToken);
            await refreshed.ShouldHave(HttpStatusCode.OK);
            tokens = (await refreshed.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!;
        }

        // Day 30 and an hour: the refresh token itself (7 days) is still valid, the session is not.
        server.Time.Advance(TimeSpan.FromDays(6) + TimeSpan.FromHours(1));
        var ended = await Refresh(tokens.RefreshToken);

        await ended.ShouldHave(HttpStatusCode.Unauthorized);
        (await ended.Problem()).GetProperty("detail").GetString()!.ShouldContain("time limit");
        await (await Refresh(tokens.RefreshToken)).ShouldHave(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_staff_session_ends_at_its_absolute_lifetime_even_when_never_idle()
    {
        var host = server.Start(new Dictionary<string, string?> { ["Auth:StaffSessionHours"] = "1" });
        var tokens = await host.SignInStaff("meena.iyer@telemed.local");
        for (var refreshes = 0; refreshes < 2; refreshes++)
        {
            server.Time.Advance(TimeSpan.FromMinutes(25));
            var refreshed = await host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken });
            await refreshed.ShouldHave(HttpStatusCode.OK);
            tokens = (await refreshed.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!;
        }

        server.Time.Advance(TimeSpan.FromMinutes(25));
        var ended = await host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken });

        await ended.ShouldHave(HttpStatusCode.Unauthorized);
        (await ended.Problem()).GetProperty("detail").GetString()!.ShouldContain("time limit");
    }

    [Fact]
    public async Task A_revoked_sessions_access_token_cannot_reopen_the_hub()
    {
        var tokens = await Host.SignInStaff("rahul.nair@telemed.local");
        await (await Host.As(tokens.AccessToken).PostAsync("/api/auth/sign-out-everywhere", null)).ShouldHave(HttpStatusCode.NoContent);

        var closed = false;
        try
        {
            await using var hub = await HubClient.Connect(Host, "/hubs/queue", tokens.AccessToken);
            var whenClosed = hub.Closed();
            closed = await Task.WhenAny(whenClosed, Task.Delay(TimeSpan.FromSeconds(10))) == whenClosed;
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or System.Net.WebSockets.WebSocketException)
        {
            closed = true;
        }
        closed.ShouldBeTrue();
    }

    [Fact]
    public async Task A_reused_refresh_token_closes_the_sessions_live_connection()
    {
        var patient = await Host.RegisterPatient(Api.NewMobile());
        await using var hub = await HubClient.Connect(Host, "/hubs/queue", patient.Tokens.AccessToken);
        var closed = hub.Closed();
        await (await Refresh(patient.Tokens.RefreshToken)).ShouldHave(HttpStatusCode.OK);

        await (await Refresh(patient.Tokens.RefreshToken)).ShouldHave(HttpStatusCode.Unauthorized);
        server.Time.Advance(PastTheNextCheck);

        await closed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_deactivated_staff_member_is_disconnected_and_cannot_sign_in_and_the_admin_is_audited()
    {
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);
        var registered = await admin.PostAsJsonAsync("/api/admin/health-officers", new { name = "Anil Menon", email = "anil.menon@health.example.in", password = "a-long-enough-password" });
        await registered.ShouldHave(HttpStatusCode.Created);
        var officerId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var officer = await Host.SignInStaff("anil.menon@health.example.in", "a-long-enough-password");
        await using var hub = await HubClient.Connect(Host, "/hubs/queue", officer.AccessToken);
        var closed = hub.Closed();

        await (await admin.PostAsync($"/api/admin/staff/{officerId}/deactivate", null)).ShouldHave(HttpStatusCode.NoContent);
        server.Time.Advance(PastTheNextCheck);

        await closed.WaitAsync(TimeSpan.FromSeconds(10));
        var signIn = await Host.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email = "anil.menon@health.example.in", password = "a-long-enough-password" });
        await signIn.ShouldHave(HttpStatusCode.Unauthorized);
        await (await Refresh(officer.RefreshToken)).ShouldHave(HttpStatusCode.Unauthorized);
        var audit = await admin.GetFromJsonAsync<AuditPage>($"/api/admin/audit?resource=account/{officerId}&action=deactivate", Api.Json);
        audit!.Entries.ShouldHaveSingleItem().AccountId.ShouldBe(DemoSeeder.AdminId);
    }

    [Fact]
    public async Task An_admin_cannot_deactivate_themselves_or_an_unknown_account()
    {
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);
        await (await admin.PostAsync($"/api/admin/staff/{DemoSeeder.AdminId}/deactivate", null)).ShouldHave(HttpStatusCode.Conflict);
        await (await admin.PostAsync($"/api/admin/staff/{Guid.NewGuid()}/deactivate", null)).ShouldHave(HttpStatusCode.NotFound);
    }
}
