using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Telemed.Domain.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Identity;

/// <summary>A sign-in's tokens; <c>refreshToken</c> is absent when it went into the web client's cookie (<see cref="RefreshCookie"/>).</summary>
public sealed record TokenResponse(
    Guid AccountId,
    string Role,
    string AccessToken,
    int ExpiresIn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken,
    DateTimeOffset RefreshTokenExpiresAt,
    string TokenType = "Bearer");

/// <summary>Issues short-lived access tokens (ES256 JWT) and rotating refresh tokens.</summary>
public sealed class Tokens(SigningKey key, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new();

    /// <summary>
    /// Adds the refresh token record to the session; the caller saves it with the rest of its change. With
    /// <paramref name="actorId"/> the tokens are a dependant's, held by that guardian: the access token names the guardian
    /// in an RFC 8693 <c>act</c> claim.
    /// </summary>
    public TokenResponse Issue(IDocumentSession session, Guid accountId, Role role, Guid? familyId = null, Guid? actorId = null)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var family = familyId ?? Ids.New();
        var expires = now.AddMinutes(settings.AccessTokenMinutes);
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = accountId.ToString(),
            [JwtRegisteredClaimNames.Jti] = Ids.New().ToString(),
            [ClaimNames.Role] = Roles.Name(role),
            [ClaimNames.Session] = family.ToString(),
        };
        if (actorId is { } actor)
        {
            claims[ClaimNames.Actor] = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = actor.ToString() };
        }
        var accessToken = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = key.Credentials,
            Claims = claims,
        });

        var refreshToken = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var refreshExpires = now.AddDays(settings.RefreshTokenDays);
        session.Store(new RefreshTokenRecord(Hash(refreshToken), accountId, role, family, now, refreshExpires, ActorId: actorId));
        return new TokenResponse(accountId, Roles.Name(role), accessToken, settings.AccessTokenMinutes * 60, refreshToken, refreshExpires);
    }

    /// <summary>
    /// A guest's token (see <c>GuestEndpoints</c>): for the <see cref="GuestScheme"/> audience only, so no endpoint or hub
    /// but a consultation's call accepts it; as long as a call may last, since a guest has nothing to refresh it with.
    /// </summary>
    public (string AccessToken, int ExpiresIn) IssueGuest(Guid guestId)
    {
        var now = time.GetUtcNow();
        var accessToken = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.GuestAudience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + GuestTokenLifetime).UtcDateTime,
            SigningCredentials = key.Credentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = guestId.ToString(),
                [JwtRegisteredClaimNames.Jti] = Ids.New().ToString(),
                [ClaimNames.Role] = GuestRole,
            },
        });
        return (accessToken, (int)GuestTokenLifetime.TotalSeconds);
    }

    public const string GuestScheme = "Guest";

    public const string GuestRole = "guest";

    public static readonly TimeSpan GuestTokenLifetime = TimeSpan.FromHours(2);

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

public static class ClaimNames
{
    public const string Role = "role";

    /// <summary>The refresh token family (the sign-in session) an access token belongs to, so revoking it can end live connections.</summary>
    public const string Session = JwtRegisteredClaimNames.Sid;

    /// <summary>RFC 8693's actor: who acts for the token's subject (a guardian for a dependant), as <c>{"sub": id}</c>.</summary>
    public const string Actor = "act";
}

public static class CallerExtensions
{
    /// <summary>The Telemed account id of the signed-in caller (the token's subject).</summary>
    public static Guid AccountId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? id
            : throw new InvalidOperationException("The token has no account id; the authentication setup is wrong.");

    /// <summary>The guardian acting for the caller's account (a dependant's), from the token's <c>act</c> claim; null otherwise.</summary>
    public static Guid? ActingGuardianId(this ClaimsPrincipal user)
    {
        if (user.FindFirstValue(ClaimNames.Actor) is not { } actor)
        {
            return null;
        }
        using var json = JsonDocument.Parse(actor);
        return json.RootElement.ValueKind == JsonValueKind.Object
            && json.RootElement.TryGetProperty(JwtRegisteredClaimNames.Sub, out var sub)
            && Guid.TryParse(sub.GetString(), out var id)
                ? id
                : throw new InvalidOperationException("The token's act claim names no account; the token issuer is wrong.");
    }

    /// <summary>The person acting: the guardian when the caller's token is a dependant's, otherwise the account holder.</summary>
    public static Guid ActorId(this ClaimsPrincipal user) => user.ActingGuardianId() ?? user.AccountId();

    /// <summary>The sign-in session of the caller's token; null for tokens from an external issuer.</summary>
    public static Guid? SessionId(this ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue(ClaimNames.Session), out var id) ? id : null;
}
