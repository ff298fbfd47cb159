using System.Net;
using System.Net.Http.Json;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Identity;

/// <summary>Wrong staff passwords lock the email with doubling locks, alike for an email that has no account.</summary>
public class PasswordLockoutTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private const string Rahul = "rahul.nair@telemed.local";

    private Task<HttpResponseMessage> SignIn(string email, string password) =>
        server.Host.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email, password });

    private async Task WrongTimes(string email, int times)
    {
        for (var i = 0; i < times; i++)
        {
            (await SignIn(email, "not-the-password")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task The_fifth_wrong_password_locks_the_email_even_against_the_right_one_until_the_lock_ends()
    {
        await WrongTimes(Rahul, 4);

        var locked = await SignIn(Rahul, "not-the-password");
        await locked.ShouldHave(HttpStatusCode.Locked);
        (await locked.Problem()).GetProperty("detail").GetString()!.ShouldContain("locked until");
        (await SignIn(Rahul, Api.DemoPassword)).StatusCode.ShouldBe(HttpStatusCode.Locked, "no password is tried during a lock");

        server.Time.Advance(TimeSpan.FromMinutes(1));
        await (await SignIn(Rahul, Api.DemoPassword)).ShouldHave(HttpStatusCode.OK);
        await WrongTimes(Rahul, 4);
        (await SignIn(Rahul, Api.DemoPassword)).StatusCode.ShouldBe(HttpStatusCode.OK, "the right password started the count over");
    }

    [Fact]
    public async Task An_email_with_no_account_locks_the_same_way()
    {
        var nobody = $"nobody-{Guid.NewGuid():N}@telemed.local";
        await WrongTimes(nobody, 4);

        var locked = await SignIn(nobody, "not-the-password");

        await locked.ShouldHave(HttpStatusCode.Locked);
        (await locked.Problem()).GetProperty("detail").GetString()!.ShouldContain("locked until");
    }

    [Fact]
    public async Task Wrong_passwords_sent_all_at_once_each_count()
    {
        var email = $"parallel-{Guid.NewGuid():N}@telemed.local";

        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SignIn(email, "not-the-password")));

        replies.Count(r => r.StatusCode == HttpStatusCode.Locked).ShouldBe(4, "the fifth counted failure locks, and the three after it meet the lock");
        (await SignIn(email, "not-the-password")).StatusCode.ShouldBe(HttpStatusCode.Locked);
    }
}
