using System.Net;
using System.Net.Http.Json;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Identity;

/// <summary>How sessions end: staff idling past the limit.</summary>
public class SessionEndTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private Task<HttpResponseMessage> Refresh(string refreshToken) => Host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken });

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
}
