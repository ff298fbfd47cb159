using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Identity;

/// <summary>
/// The browser's refresh token, kept where the page's scripts cannot read it: an HttpOnly, SameSite=Strict cookie sent
/// only to <c>/api/auth</c>. A request with the header <c>Telemed-Refresh: own</c> (or <c>acting</c>) gets the refresh
/// token of the tokens it is issued as that cookie instead of in the body, and refreshes and signs out with the cookie
/// that header names. Two cookies, because a guardian's browser holds the guardian's own sign-in and the family member's
/// they act for side by side (<see cref="DependantEndpoints"/>). Other clients — apps, the load driver — send the
/// refresh token in the body as before, and a request without the header never has its cookie read.
/// </summary>
/// <remarks>
/// The cookie travels by itself, so reading it must not be forgeable from another site: SameSite=Strict keeps it off
/// requests that other sites start, the custom header cannot be sent from another origin without a CORS preflight
/// (admitted only for <c>Security:AllowedOrigins</c>), and an Origin header, when a browser sends one, must be the
/// server's own or an allowed origin.
/// </remarks>
public static class RefreshCookie
{
    public const string Header = "Telemed-Refresh";

    /// <summary>The header's value for the signed-in account's own sign-in.</summary>
    public const string Own = "own";

    /// <summary>The header's value for a family member's sign-in that their guardian holds (the tokens carry <c>act</c>).</summary>
    public const string Acting = "acting";

    /// <summary>Refresh and the sign-outs are all it is needed for; nothing else is sent it.</summary>
    public const string Path = "/api/auth";

    /// <summary>
    /// Whether the cookie is marked Secure (and named with the <c>__Secure-</c> prefix, which browsers accept only on
    /// such a cookie from https): always over https, and outside Development and Testing even when a request reaches the
    /// node as plain http — the browser is then on https to the proxy in front. Only a server run on a developer's
    /// machine or in the tests, over http on loopback, sets it without Secure, or the browser would not send it back.
    /// (<c>__Host-</c> would also need Path=/, sending the token with every request.)
    /// </summary>
    private static bool Secure(HttpContext http)
    {
        var environment = http.RequestServices.GetRequiredService<IHostEnvironment>();
        return http.Request.IsHttps || (!environment.IsDevelopment() && !environment.IsEnvironment("Testing"));
    }

    private static string Name(HttpContext http, bool acting) =>
        (Secure(http) ? "__Secure-" : "") + (acting ? "telemed-refresh-acting" : "telemed-refresh");

    /// <summary>Whether the request asks for the refresh token as a cookie (the web client), and which one it means.</summary>
    private static bool Wanted(HttpRequest request, out bool acting)
    {
        var value = request.Headers[Header].ToString();
        acting = value == Acting;
        return value is Own or Acting;
    }

    /// <summary>
    /// The body of a sign-in or refresh answer: for a request that asks for the cookie, the refresh token goes into it
    /// (the family member's cookie for tokens held by a guardian) and the body keeps none.
    /// </summary>
    public static TokenResponse Deliver(HttpContext http, TokenResponse issued, bool acting)
    {
        if (!Wanted(http.Request, out _))
        {
            return issued;
        }
        http.Response.Cookies.Append(Name(http, acting), issued.RefreshToken!, Options(http, issued.RefreshTokenExpiresAt));
        return issued with { RefreshToken = null };
    }

    /// <summary>
    /// The refresh token the request presents: the cookie its header names — refused from a page of another origin —
    /// or, without the header, the body's.
    /// </summary>
    public static Result<string, ProblemHttpResult> Presented(HttpContext http, string? inBody)
    {
        if (!Wanted(http.Request, out var acting))
        {
            return string.IsNullOrWhiteSpace(inBody) ? Problems.Invalid("refreshToken", "Refresh token is required.") : inBody;
        }
        if (!Security.OriginAllowed(http))
        {
            return Problems.Forbidden("A page from another origin may not use the sign-in cookie.");
        }
        return http.Request.Cookies[Name(http, acting)] is { Length: > 0 } token
            ? token
            : Problems.Unauthorized("This browser holds no sign-in to refresh. Sign in again.");
    }

    /// <summary>After a sign-out, for the web client: both cookies go, since their tokens share the ended sign-in session.</summary>
    public static void Clear(HttpContext http)
    {
        if (!Wanted(http.Request, out _))
        {
            return;
        }
        foreach (var acting in new[] { false, true })
        {
            http.Response.Cookies.Delete(Name(http, acting), Options(http, expires: null));
        }
    }

    private static CookieOptions Options(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = Secure(http),
        SameSite = SameSiteMode.Strict,
        Path = Path,
        Expires = expires,
    };
}
