using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Telemed.Server.Infrastructure;

public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Other origins (https://app.example.in) whose pages may call the API and the hubs; the server's own always may.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// The server's own origins as browsers see them (https://telemed.example.in, https://host:8443): behind a proxy the
    /// request's Host need not say the port the browser used. Empty, the request's Host is the server's own origin.
    /// </summary>
    public string[] PublicOrigins { get; set; } = [];

    /// <summary>Sign-in and one-time-code requests per client address per minute.</summary>
    [Range(1, 100_000)]
    public int SignInPerMinute { get; set; } = 30;

    /// <summary>Public prescription verifications per client address per minute (a pharmacy counter scans a few).</summary>
    [Range(1, 100_000)]
    public int VerificationPerMinute { get; set; } = 30;

    /// <summary>Check-ins per patient per minute.</summary>
    [Range(1, 100_000)]
    public int CheckInPerMinute { get; set; } = 10;

    /// <summary>Files shared in calls per account per minute.</summary>
    [Range(1, 100_000)]
    public int SharedFilesPerMinute { get; set; } = 10;

    /// <summary>Pre-call bandwidth samples per account per minute (each is a download of a fixed size).</summary>
    [Range(1, 100_000)]
    public int SpeedSamplesPerMinute { get; set; } = 6;

    /// <summary>
    /// Token refreshes and sign-outs per client address per minute: each browser refreshes every quarter of an hour, so
    /// even a clinic of many devices behind one address stays far below it.
    /// </summary>
    [Range(1, 100_000)]
    public int SessionPerMinute { get; set; } = 120;

    /// <summary>Fetches of the public keys (JWKS, cacheable for five minutes) per client address per minute.</summary>
    [Range(1, 100_000)]
    public int PublicKeysPerMinute { get; set; } = 60;

    /// <summary>Payment-provider webhook deliveries per sender address per minute (Stripe retries what is refused).</summary>
    [Range(1, 100_000)]
    public int WebhookPerMinute { get; set; } = 600;

    /// <summary>
    /// The largest request body any endpoint reads unless it sets its own limit (check-in attachments do): larger
    /// bodies, chunked ones included, are refused with 413 as they arrive.
    /// </summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Reverse proxies (addresses or CIDR ranges: nginx, the ingress controller's pods) whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed, so rate limits and the audit see the client's address instead of the proxy's.
    /// Empty: the headers are ignored, since any client could write them.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>
    /// When set, the operators' endpoints (/metrics, /openapi) answer only requests to this port, which the server must
    /// also listen on (urls) and which nginx and the ingress do not forward: on the public port they are unknown paths
    /// (401 without a token, 404 with one).
    /// Unset, they answer on every port (development).
    /// </summary>
    [Range(1, 65535)]
    public int? ManagementPort { get; set; }

    public static bool IsNetwork(string value) => IPNetwork.TryParse(value, out _) || IPAddress.TryParse(value, out _);

    public static IPNetwork Network(string value) =>
        IPNetwork.TryParse(value, out var network) ? network : new IPNetwork(IPAddress.Parse(value), IPAddress.Parse(value).GetAddressBytes().Length * 8);
}

/// <summary>
/// Origins outside the server that a feature's pages need (payments: Stripe.js, its frames and its API). Each feature adds
/// its own at set-up, from its configuration, so the policy admits exactly what is configured and nothing when it is off.
/// </summary>
public sealed class ContentSecuritySources
{
    public List<string> Scripts { get; } = [];

    public List<string> Frames { get; } = [];

    public List<string> Connections { get; } = [];
}

/// <summary>
/// Browser-facing hardening: security headers on every answer, hubs refusing pages from other origins (a WebSocket is
/// not covered by CORS), CORS only for configured origins, and rate limits on the endpoints people could hammer.
/// </summary>
public static class Security
{
    public const string SignInLimit = "sign-in";
    public const string CheckInLimit = "check-in";
    public const string VerificationLimit = "verification";
    public const string SessionLimit = "session";
    public const string PublicKeysLimit = "public-keys";
    public const string WebhookLimit = "webhook";
    public const string SharedFileLimit = "shared-file";
    public const string SpeedSampleLimit = "speed-sample";

    // The web client: own scripts and styles (Chart.js sets inline canvas styles), media from the camera and from
    // peers, API and hub calls to this origin (plus what a feature declares, see ContentSecuritySources), never framed.
    public static string ContentSecurityPolicy(ContentSecuritySources sources)
    {
        static string With(string own, List<string> more) => string.Join(' ', [own, .. more.Distinct()]);
        var frames = sources.Frames.Count > 0 ? $"frame-src {With("'self'", sources.Frames)}; " : "";
        return $"default-src 'self'; script-src {With("'self'", sources.Scripts)}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
            $"media-src 'self' blob: mediastream:; connect-src {With("'self'", sources.Connections)}; {frames}font-src 'self'; object-src 'none'; " +
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    public static IHostApplicationBuilder AddTelemedSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SecurityOptions>().Bind(builder.Configuration.GetSection(SecurityOptions.Section)).ValidateDataAnnotations()
            .Validate(options => options.TrustedProxies.All(SecurityOptions.IsNetwork), "Security:TrustedProxies must be IP addresses or CIDR ranges (10.0.0.0/8).")
            .ValidateOnStart();
        var configured = builder.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>();
        var origins = configured?.AllowedOrigins ?? [];
        if (configured?.TrustedProxies is { Length: > 0 } proxies && proxies.All(SecurityOptions.IsNetwork))
        {
            services.Configure<ForwardedHeadersOptions>(forwarded =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                foreach (var proxy in proxies)
                {
                    forwarded.KnownIPNetworks.Add(SecurityOptions.Network(proxy));
                }
            });
            services.AddTransient<IStartupFilter, ForwardedHeadersFirst>();
        }
        // A year, subdomains included: what browsers' preload lists ask, so no first visit to any Telemed host goes over plain HTTP.
        services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.IncludeSubDomains = true;
        });
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<SecurityOptions>>((kestrel, security) =>
            kestrel.Limits.MaxRequestBodySize = security.Value.MaxRequestBodyBytes);
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod().AllowCredentials()));
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await Problems.TooManyRequests("Too many attempts from here; wait a minute and try again.").ExecuteAsync(context.HttpContext);
            };
            limiter.AddPolicy(SignInLimit, http => Partition(http, SignInLimit,
                ClientNetwork(http.Connection.RemoteIpAddress), options => options.SignInPerMinute));
            limiter.AddPolicy(VerificationLimit, http => Partition(http, VerificationLimit,
                ClientNetwork(http.Connection.RemoteIpAddress), options => options.VerificationPerMinute));
            limiter.AddPolicy(SessionLimit, http => Partition(http, SessionLimit,
                ClientNetwork(http.Connection.RemoteIpAddress), options => options.SessionPerMinute));
            limiter.AddPolicy(PublicKeysLimit, http => Partition(http, PublicKeysLimit,
                ClientNetwork(http.Connection.RemoteIpAddress), options => options.PublicKeysPerMinute));
            limiter.AddPolicy(WebhookLimit, http => Partition(http, WebhookLimit,
                ClientNetwork(http.Connection.RemoteIpAddress), options => options.WebhookPerMinute));
            limiter.AddPolicy(CheckInLimit, http => Partition(http, CheckInLimit,
                http.User.FindFirstValue(System.IdentityModel.Tokens.Jwt.JwtRegisteredClaimNames.Sub) ?? ClientNetwork(http.Connection.RemoteIpAddress),
                options => options.CheckInPerMinute));
            limiter.AddPolicy(SharedFileLimit, http => Partition(http, SharedFileLimit, AccountOrNetwork(http), options => options.SharedFilesPerMinute));
            limiter.AddPolicy(SpeedSampleLimit, http => Partition(http, SpeedSampleLimit, AccountOrNetwork(http), options => options.SpeedSamplesPerMinute));
        });
        return builder;
    }

    /// <summary>
    /// The client a per-address limit counts: an IPv4 address, or the /64 an IPv6 address is in. A subscriber is handed
    /// a whole /64 and may pick any address in it, so counting single IPv6 addresses would let one client escape the limit.
    /// </summary>
    public static string ClientNetwork(IPAddress? address)
    {
        if (address is null)
        {
            return "local";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static string AccountOrNetwork(HttpContext http) =>
        http.User.FindFirstValue(System.IdentityModel.Tokens.Jwt.JwtRegisteredClaimNames.Sub) ?? ClientNetwork(http.Connection.RemoteIpAddress);

    /// <summary>A fixed window of a minute per client: counted in Redis across nodes when scaled out, by this node alone otherwise.</summary>
    private static RateLimitPartition<string> Partition(HttpContext http, string policy, string client, Func<SecurityOptions, int> permits)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
        return http.RequestServices.GetService<SharedRateLimits>() is { } shared
            ? RateLimitPartition.Get(client, _ => shared.Limiter(policy, client, Window(permits(options))))
            : RateLimitPartition.GetFixedWindowLimiter(client, _ => Window(permits(options)));
    }

    private static FixedWindowRateLimiterOptions Window(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };

    /// <summary>Before everything else (request logging, rate limits, the audit): they must all see the client's address.</summary>
    private sealed class ForwardedHeadersFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseForwardedHeaders();
            next(app);
        };
    }

    public static WebApplication UseTelemedSecurity(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment() && !app.Environment.IsEnvironment("Testing"))
        {
            app.UseHsts();
        }
        var policy = ContentSecurityPolicy(app.Services.GetRequiredService<IOptions<ContentSecuritySources>>().Value);
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(self), microphone=(self), geolocation=(), payment=(self)";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            // API answers carry personal and health data (and PDFs of it): no browser or proxy cache keeps them.
            // An endpoint that answers with something public may say otherwise.
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                headers.CacheControl = "no-store";
            }
            if (context.Request.Path.StartsWithSegments("/hubs") && !OriginAllowed(context))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await Problems.Forbidden("This page's origin may not connect to the hub.").ExecuteAsync(context);
                return;
            }
            await next();
        });
        app.UseCors();
        return app;
    }

    /// <summary>Serves the endpoint only on <see cref="SecurityOptions.ManagementPort"/>, when one is set.</summary>
    public static TBuilder OnManagementPort<TBuilder>(this TBuilder endpoint, IEndpointRouteBuilder app) where TBuilder : IEndpointConventionBuilder =>
        app.ServiceProvider.GetRequiredService<IOptions<SecurityOptions>>().Value.ManagementPort is { } port
            ? endpoint.RequireHost($"*:{port}")
            : endpoint;

    /// <summary>After authentication, so per-patient limits know the patient.</summary>
    public static WebApplication UseTelemedRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>
    /// Whether the request may come from the page that sent it: browsers send Origin on WebSocket upgrades and on
    /// requests with a body, and it must be the server's own (<see cref="SecurityOptions.PublicOrigins"/>, or without
    /// them the request's Host) or an allowed origin; native clients send none, and are authenticated like any other call.
    /// </summary>
    public static bool OriginAllowed(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }
        var options = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
        if (options.PublicOrigins.Length == 0
            && Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return options.PublicOrigins.Concat(options.AllowedOrigins).Any(a => SameOrigin(a, origin));
    }

    /// <summary>Origins compared as browsers write them: scheme, host and a port only when it is not the scheme's default.</summary>
    private static bool SameOrigin(string configured, string origin) =>
        Uri.TryCreate(configured, UriKind.Absolute, out var expected) && Uri.TryCreate(origin, UriKind.Absolute, out var given)
            ? string.Equals(expected.GetLeftPart(UriPartial.Authority), given.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            : string.Equals(configured.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
