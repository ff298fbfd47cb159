using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Identity;

/// <summary>Rotating the access-token key: the next key is accepted before it signs, the old one until its tokens expire.</summary>
public class SigningKeyRotationTests(TelemedServer server) : IClassFixture<TelemedServer>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("telemed-keys-").FullName;

    private TelemedFactory Node(string signingKey, params string[] accepted)
    {
        var settings = new Dictionary<string, string?> { ["Auth:SigningKeyPath"] = Path.Combine(folder, signingKey) };
        for (var i = 0; i < accepted.Length; i++)
        {
            settings[$"Auth:AcceptedSigningKeyPaths:{i}"] = Path.Combine(folder, accepted[i]);
        }
        return server.Start(settings);
    }

    private static async Task<HttpStatusCode> Staff(TelemedFactory node, string token) => (await node.As(token).GetAsync("/api/admin/staff")).StatusCode;

    private static string KeyId(string token) => new JsonWebToken(token).Kid;

    [Fact]
    public async Task Tokens_of_the_old_key_keep_working_through_a_rotation_and_stop_when_it_is_dropped()
    {
        var old = Node("old.pem");
        var oldToken = (await old.SignInStaff(Api.AdminEmail)).AccessToken;
        await Node("new.pem").SignInStaff(Api.AdminEmail);

        // Step 1: every node accepts the new key; the old one still signs.
        var accepting = Node("old.pem", "new.pem");
        KeyId((await accepting.SignInStaff(Api.AdminEmail)).AccessToken).ShouldBe(KeyId(oldToken));
        // Step 2: the new key signs; the old one's tokens are still good.
        var rotated = Node("new.pem", "old.pem");
        var newToken = (await rotated.SignInStaff(Api.AdminEmail)).AccessToken;
        KeyId(newToken).ShouldNotBe(KeyId(oldToken));
        (await Staff(rotated, oldToken)).ShouldBe(HttpStatusCode.OK);
        (await Staff(accepting, newToken)).ShouldBe(HttpStatusCode.OK, "a node still in step 1 accepts what step 2 signs");
        // Step 3: the old key is gone, and so are its tokens.
        var done = Node("new.pem");
        (await Staff(done, newToken)).ShouldBe(HttpStatusCode.OK);
        (await Staff(done, oldToken)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void An_accepted_key_file_that_is_missing_stops_the_start()
    {
        var failure = Should.Throw<Exception>(() => Node("signing.pem", "missing.pem").CreateClient());

        failure.ToString().ShouldContain("Auth:AcceptedSigningKeyPaths names a key file that does not exist.");
    }

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
