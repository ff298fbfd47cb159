using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Telemed.Domain.Signalling;

public sealed record TurnCredential(string Username, string Credential, DateTimeOffset ExpiresAt);

/// <summary>
/// Time-limited TURN credentials in coturn's REST-API format (use-auth-secret): the username is
/// "expiry-unix-time:user", the password base64(HMAC-SHA1(shared secret, username)). coturn checks both and
/// refuses the username once its time has passed, so nothing has to be revoked.
/// </summary>
public static class TurnCredentials
{
    public static TurnCredential Issue(string sharedSecret, string userId, DateTimeOffset now, TimeSpan lifetime)
    {
        var expires = now + lifetime;
        var username = string.Create(CultureInfo.InvariantCulture, $"{expires.ToUnixTimeSeconds()}:{userId}");
#pragma warning disable CA5350 // HMAC-SHA1 is what coturn's REST-API scheme specifies; it is not our choice to make.
        var credential = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(sharedSecret), Encoding.UTF8.GetBytes(username)));
#pragma warning restore CA5350
        return new TurnCredential(username, credential, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }
}
