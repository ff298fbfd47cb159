using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Telemed.Domain.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Identity;

public sealed record TokenResponse(
    Guid AccountId,
    string Role,
    string AccessToken,
    int ExpiresIn,
    string RefreshToken,
    DateTimeOffset RefreshTokenExpiresAt,
    string TokenType = "Bearer");

/// <summary>Issues short-lived access tokens (ES256 JWT) and rotating refresh tokens.</summary>
public sealed class Tokens(SigningKey key, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new();

    /// <summary>Adds the refresh token record to the session; the caller saves it with the rest of its change.</summary>
    public TokenResponse Issue(IDocumentSession session, Guid accountId, Role role, Guid? familyId = null)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var family = familyId ?? Ids.New();
        var expires = now.AddMinutes(settings.AccessTokenMinutes);
        var accessToken = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = key.Credentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = accountId.ToString(),
                [JwtRegisteredClaimNames.Jti] = Ids.New().ToString(),
                [ClaimNames.Role] = Roles.Name(role),
                [ClaimNames.Session] = family.ToString(),
            },
        });

        var refreshToken = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var refreshExpires = now.AddDays(settings.RefreshTokenDays);
        session.Store(new RefreshTokenRecord(Hash(refreshToken), accountId, role, family, now, refreshExpires));
        return new TokenResponse(accountId, Roles.Name(role), accessToken, settings.AccessTokenMinutes * 60, refreshToken, refreshExpires);
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

public static class ClaimNames
{
    public const string Role = "role";

    /// <summary>The refresh token family (the sign-in session) an access token belongs to, so revoking it can end live connections.</summary>
    public const string Session = JwtRegisteredClaimNames.Sid;
}

public static class CallerExtensions
{
    /// <summary>The Telemed account id of the signed-in caller (the token's subject).</summary>
    public static Guid AccountId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? id
            : throw new InvalidOperationException("The token has no account id; the authentication setup is wrong.");

    /// <summary>The sign-in session of the caller's token; null for tokens from an external issuer.</summary>
    public static Guid? SessionId(this ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue(ClaimNames.Session), out var id) ? id : null;
}
