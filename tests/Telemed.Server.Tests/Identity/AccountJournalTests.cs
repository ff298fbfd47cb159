using System.Net;
using System.Net.Http.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Identity;

/// <summary>
/// Ending a session races with everything else written to the account's stream (every audited read appends to it): the
/// session ends, and is journalled, whichever append commits first.
/// </summary>
public class AccountJournalTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private Task<HttpResponseMessage> Refresh(string refreshToken) => Host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken });

    private async Task<IReadOnlyList<object>> Journalled(Guid accountId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. (await session.Events.FetchStreamAsync(accountId)).Select(e => e.Data)];
    }

    [Fact]
    public async Task A_reused_refresh_token_ends_its_session_while_another_append_to_the_account_is_in_flight()
    {
        var signedIn = await Host.SignInStaff(Api.DoctorEmail);
        var rotated = await Refresh(signedIn.RefreshToken!);
        await rotated.ShouldHave(HttpStatusCode.OK);
        var current = (await rotated.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!;
        await using var held = await HeldAppend.To(Host, signedIn.AccountId);

        var reused = await held.CommitWhenWaitedOnBy(Refresh(signedIn.RefreshToken!));

        await reused.ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await Refresh(current.RefreshToken!)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await Journalled(signedIn.AccountId)).OfType<RefreshTokenReused>().ShouldContain(e => e.FamilyId != Guid.Empty);
    }

    [Fact]
    public async Task Signing_out_while_another_append_to_the_account_is_in_flight_ends_the_session()
    {
        var signedIn = await Host.SignInStaff(Api.DoctorEmail);
        await using var held = await HeldAppend.To(Host, signedIn.AccountId);

        var signedOut = await held.CommitWhenWaitedOnBy(Host.CreateClient().PostAsJsonAsync("/api/auth/sign-out", new { refreshToken = signedIn.RefreshToken }));

        await signedOut.ShouldHave(HttpStatusCode.NoContent);
        await (await Refresh(signedIn.RefreshToken!)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await Journalled(signedIn.AccountId)).OfType<SignedOut>().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Signing_out_everywhere_while_another_append_to_the_account_is_in_flight_ends_every_session()
    {
        var first = await Host.SignInStaff(Api.DoctorEmail);
        var second = await Host.SignInStaff(Api.DoctorEmail);
        await using var held = await HeldAppend.To(Host, first.AccountId);

        var signedOut = await held.CommitWhenWaitedOnBy(Host.As(first.AccessToken).PostAsync("/api/auth/sign-out-everywhere", null));

        await signedOut.ShouldHave(HttpStatusCode.NoContent);
        await (await Refresh(second.RefreshToken!)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await Journalled(first.AccountId)).OfType<SignedOutEverywhere>().ShouldNotBeEmpty();
    }
}
