using System.Security.Cryptography;
using System.Text;
using Telemed.Domain.Signalling;

namespace Telemed.Domain.Tests.Signalling;

public class TurnCredentialsTests
{
    [Fact]
    public void Credentials_follow_the_coturn_rest_api_format()
    {
        var now = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

        var credential = TurnCredentials.Issue("s3cret", "user-42", now, TimeSpan.FromHours(1));

        credential.Username.ShouldBe($"{now.AddHours(1).ToUnixTimeSeconds()}:user-42");
        credential.ExpiresAt.ShouldBe(now.AddHours(1));
#pragma warning disable CA5350 // the format under test
        var expected = Convert.ToBase64String(new HMACSHA1(Encoding.UTF8.GetBytes("s3cret")).ComputeHash(Encoding.UTF8.GetBytes(credential.Username)));
#pragma warning restore CA5350
        credential.Credential.ShouldBe(expected);
    }

    [Fact]
    public void A_different_secret_gives_a_different_password() =>
        TurnCredentials.Issue("a", "u", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1)).Credential
            .ShouldNotBe(TurnCredentials.Issue("b", "u", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1)).Credential);
}
