using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Abdm;

/// <summary>A callback from the gateway was refused (no or a bad signature, a stale TIMESTAMP) or ignored as a replay.</summary>
public sealed record GatewayCallbackRefused(string Path, string Reason, DateTimeOffset At);

/// <summary>A callback's REQUEST-ID, kept so the same callback posted again is recognised and ignored.</summary>
public sealed record ReceivedCallback(string Id, string Path, DateTimeOffset At);

/// <summary>A request sent to the gateway whose answer comes back as a callback (on-*), by its REQUEST-ID.</summary>
public sealed record PendingGatewayRequest(string Id, string CallbackPath, DateTimeOffset SentAt);

/// <summary>The callback that answered a pending request, for whichever node is waiting for it.</summary>
public sealed record GatewayAnswer(string Id, string Body, DateTimeOffset At);

/// <summary>
/// Callbacks from the ABDM gateway to Telemed's bridge URL. Each must carry the gateway's signed bearer token, checked
/// against the keys the gateway publishes (its OpenID configuration's JWKS, fetched again when a token names a key
/// not seen before); a UUID REQUEST-ID never seen before; and a TIMESTAMP close to now. Refusals and replays are
/// audited in the event store.
/// </summary>
public static class GatewayCallbacks
{
    public const string Scheme = "AbdmGateway";
    public const string OpenIdConfiguration = "/api/hiecm/gateway/v3/.well-known/openid-configuration";
    private const string RefusalItem = "abdm-callback-refusal";
    private static readonly Guid AuditStream = Ids.NameBased(Guid.Empty, "abdm/gateway-callbacks");

    public static void AddGatewayCallbackAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication().AddJwtBearer(Scheme);
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<IOptions<AbdmOptions>, IHttpClientFactory>((jwt, abdm, clients) =>
        {
            var metadata = abdm.Value.Gateway(OpenIdConfiguration);
            jwt.MetadataAddress = metadata.ToString();
            jwt.RequireHttpsMetadata = metadata.Scheme == Uri.UriSchemeHttps;
            // The gateway's certificate endpoints want REQUEST-ID, TIMESTAMP and X-CM-ID like every other call.
            jwt.Backchannel = clients.CreateClient(nameof(AbdmHttp));
            jwt.MapInboundClaims = false;
            // The gateway's tokens are judged by the wall clock: they come from its clock, not from this application's.
            jwt.TimeProvider = TimeProvider.System;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                // ABDM does not publish what audience its callback tokens carry.
                ValidateAudience = false,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha512],
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            jwt.Events = new JwtBearerEvents
            {
                OnAuthenticationFailed = context =>
                {
                    context.HttpContext.Items[RefusalItem] = context.Exception switch
                    {
                        SecurityTokenSignatureKeyNotFoundException => "signed with a key the gateway does not publish",
                        SecurityTokenInvalidSignatureException => "bad signature",
                        SecurityTokenExpiredException => "expired token",
                        SecurityTokenInvalidIssuerException => "token from another issuer",
                        _ => "invalid token",
                    };
                    return Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var reason = context.HttpContext.Items[RefusalItem] as string ?? "no bearer token";
                    await Audit(context.HttpContext, reason);
                    await Results.Problem($"The callback was refused: {reason}.", statusCode: StatusCodes.Status401Unauthorized, title: "Not the gateway")
                        .ExecuteAsync(context.HttpContext);
                },
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(Scheme, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
    }

    /// <summary>Callbacks: the gateway's token, then <see cref="Guard"/>.</summary>
    public static RouteGroupBuilder MapGatewayCallbacks(this IEndpointRouteBuilder app) =>
        app.MapGroup("").WithTags("ABDM gateway callbacks").RequireAuthorization(Scheme).AddEndpointFilter(Guard);

    /// <summary>The REQUEST-ID of the callback being handled (checked by the guard).</summary>
    public static string RequestId(HttpContext http) => http.Request.Headers[AbdmHeaders.RequestId].ToString();

    private static async ValueTask<object?> Guard(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var settings = http.RequestServices.GetRequiredService<IOptions<AbdmOptions>>().Value;
        // Freshness is about the wall clock the gateway stamped the callback with.
        var now = TimeProvider.System.GetUtcNow();
        if (!Guid.TryParse(RequestId(http), out _))
        {
            await Audit(http, "no REQUEST-ID");
            return Problems.Invalid(AbdmHeaders.RequestId, "A callback carries its REQUEST-ID (a UUID).");
        }
        if (!DateTimeOffset.TryParse(http.Request.Headers[AbdmHeaders.Timestamp], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            || (now - at).Duration() > TimeSpan.FromSeconds(settings.CallbackMaxAgeSeconds))
        {
            await Audit(http, "TIMESTAMP missing or too far from now");
            return Problems.Invalid(AbdmHeaders.Timestamp, $"A callback's TIMESTAMP must be within {settings.CallbackMaxAgeSeconds} seconds of now (UTC).");
        }
        var session = http.RequestServices.GetRequiredService<IQuerySession>();
        if (await session.LoadAsync<ReceivedCallback>(RequestId(http), http.RequestAborted) is not null)
        {
            await Replayed(http);
            return TypedResults.Accepted((string?)null);
        }
        return await next(context);
    }

    /// <summary>
    /// An on-* callback answering a request Telemed sent through <see cref="GatewayRequests"/> (a link token, a consent
    /// request, an artefact, a health-information request): taken only for a request still waiting, on the path that answers it.
    /// </summary>
    public static async Task<IResult> ReceiveAnswer(
        HttpContext http, IDocumentSession session, GatewayRequests requests, TimeProvider time, CancellationToken cancellationToken)
    {
        var path = http.Request.Path.Value!;
        var body = await CallbackBodies.Read(http, cancellationToken);
        session.Insert(new ReceivedCallback(RequestId(http), path, time.GetUtcNow()));
        if (!await requests.Take(session, path, body, cancellationToken))
        {
            return Problems.Invalid("response.requestId", "This callback answers no request Telemed is waiting on.");
        }
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            await Replayed(http);
            return TypedResults.Accepted((string?)null);
        }
        requests.Delivered(body);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>A callback seen before: answered as accepted (the gateway asked nothing new), acted on never, audited.</summary>
    public static Task Replayed(HttpContext http) => Audit(http, "replayed, ignored");

    private static Task Audit(HttpContext http, string reason)
    {
        var store = http.RequestServices.GetRequiredService<IDocumentStore>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        return Journal.Save(store, session => session.Events.Append(AuditStream, new GatewayCallbackRefused(http.Request.Path, reason, now)), CancellationToken.None);
    }
}

/// <summary>Thrown when the gateway's on-* callback to a request does not come within Abdm:CallbackTimeoutSeconds.</summary>
public sealed class GatewayCallbackTimeoutException(string path) : Exception($"No callback answered {path} in time.");

/// <summary>
/// Requests to the gateway answered by a callback: sent with a REQUEST-ID, then answered by an on-* callback naming it
/// in <c>response.requestId</c>. The callback may land on any node, so the answer goes through the database; the node
/// that holds the waiting request hears of one that lands on it at once.
/// </summary>
public sealed class GatewayRequests(AbdmHttp abdm, IDocumentStore store, IOptions<AbdmOptions> options)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> waiting = new();

    /// <param name="sender">Who asks: <see cref="AbdmHeaders.HipId"/> or <see cref="AbdmHeaders.HiuId"/>, and Telemed's id in that role.</param>
    public async Task<JsonObject> Ask(string path, string callbackPath, JsonObject body, (string Header, string Id) sender, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid().ToString();
        var answered = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting[requestId] = answered;
        try
        {
            await using (var session = store.LightweightSession())
            {
                session.Store(new PendingGatewayRequest(requestId, callbackPath, TimeProvider.System.GetUtcNow()));
                await session.SaveChangesAsync(cancellationToken);
            }
            await abdm.Send(HttpMethod.Post, options.Value.Gateway(path), body, cancellationToken, request =>
            {
                request.Headers.Add(AbdmHeaders.RequestId, requestId);
                request.Headers.Add(sender.Header, sender.Id);
            });
            // A network wait: the wall clock, whatever clock the application reads.
            var deadline = TimeProvider.System.GetUtcNow().AddSeconds(options.Value.CallbackTimeoutSeconds);
            while (true)
            {
                if (await Task.WhenAny(answered.Task, Task.Delay(Poll, cancellationToken)) == answered.Task)
                {
                    return await answered.Task;
                }
                await using var query = store.QuerySession();
                if (await query.LoadAsync<GatewayAnswer>(requestId, cancellationToken) is { } stored)
                {
                    return JsonNode.Parse(stored.Body) as JsonObject ?? [];
                }
                if (TimeProvider.System.GetUtcNow() > deadline)
                {
                    throw new GatewayCallbackTimeoutException(callbackPath);
                }
            }
        }
        finally
        {
            waiting.TryRemove(requestId, out _);
            await using var cleanup = store.LightweightSession();
            cleanup.Delete<PendingGatewayRequest>(requestId);
            cleanup.Delete<GatewayAnswer>(requestId);
            await cleanup.SaveChangesAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Takes an on-* callback's answer: only for a request Telemed sent and still waits for, on the path that answers it.
    /// Stored in <paramref name="session"/> (with the callback's REQUEST-ID); call <see cref="Delivered"/> after saving.
    /// </summary>
    public async Task<bool> Take(IDocumentSession session, string callbackPath, JsonObject body, CancellationToken cancellationToken)
    {
        var requestId = body["response"]?["requestId"]?.GetValue<string>();
        if (requestId is null || await session.LoadAsync<PendingGatewayRequest>(requestId, cancellationToken) is not { } pending || pending.CallbackPath != callbackPath)
        {
            return false;
        }
        session.Store(new GatewayAnswer(requestId, body.ToJsonString(), TimeProvider.System.GetUtcNow()));
        return true;
    }

    public void Delivered(JsonObject body)
    {
        if (body["response"]?["requestId"]?.GetValue<string>() is { } requestId && waiting.TryGetValue(requestId, out var answered))
        {
            answered.TrySetResult(body);
        }
    }
}
