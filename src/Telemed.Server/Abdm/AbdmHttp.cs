using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Telemed.Server.Abdm;

/// <summary>The headers ABDM's APIs take.</summary>
public static class AbdmHeaders
{
    public const string RequestId = "REQUEST-ID";
    public const string Timestamp = "TIMESTAMP";
    public const string CmId = "X-CM-ID";
    public const string HipId = "X-HIP-ID";
    public const string HiuId = "X-HIU-ID";
    public const string UserToken = "X-token";

    /// <summary>UTC with milliseconds and a Z, as ABDM requires (anything else is refused as ABDM-1016, sometimes as a 404).</summary>
    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// What ABDM said when it refused a call, whichever of its four shapes it used: <c>{"error":{"code","message"}}</c>,
/// a flat <c>{"code","message","timestamp"}</c>, field validation <c>{"field":"message","timestamp"}</c>, or the API
/// gateway's <c>{"code":"900901","message","description"}</c>; registries' <c>HIS-</c> codes are read one level down.
/// Codes are compared without the trailing ": " ABDM sometimes leaves on them.
/// </summary>
public sealed record AbdmError(int Status, string? Code, string Message)
{
    public bool Is(string code) => Code == code;

    public static AbdmError Read(HttpStatusCode status, string body)
    {
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
        }
        if (json is null)
        {
            return new((int)status, null, $"HTTP {(int)status} with no readable body");
        }
        var source = json["error"] as JsonObject ?? json;
        var detail = (json["details"] as JsonArray)?.FirstOrDefault() as JsonObject;
        var code = Text(detail?["code"]) ?? Text(source["code"]);
        var message = Text(detail?["message"]) ?? Text(source["message"]) ?? Text(source["description"]);
        if (code is null && message is null)
        {
            var fields = json.Where(pair => pair.Key != "timestamp").Select(pair => $"{pair.Key}: {Text(pair.Value)}");
            message = string.Join("; ", fields);
        }
        return new((int)status, code?.Trim().TrimEnd(':').Trim(), message ?? "");
    }

    private static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : null;
}

/// <summary>ABDM answered and refused the call.</summary>
public sealed class AbdmRefusedException(AbdmError error) : Exception($"ABDM refused the call: {error.Code} {error.Message}")
{
    public AbdmError Error { get; } = error;
}

/// <summary>ABDM did not answer (or answered only with server errors) after every attempt.</summary>
public sealed class AbdmUnavailableException(string reason, Exception? inner = null) : Exception($"ABDM is unavailable: {reason}", inner);

/// <summary>
/// Calls to ABDM (gateway, ABHA service, registries) through one pipeline: a REQUEST-ID for the call (the same on every
/// retry, so ABDM can tell a retry from a new request), then the resilience handler (time-out per attempt, retries),
/// then per attempt a fresh TIMESTAMP, X-CM-ID and the gateway session token.
/// </summary>
public sealed class AbdmHttp(HttpClient http)
{
    /// <summary>Marks a request that carries no session token (the session request itself).</summary>
    public static readonly HttpRequestOptionsKey<bool> Anonymous = new("abdm-anonymous");

    public async Task<JsonObject> Send(HttpMethod method, Uri uri, JsonObject? body, CancellationToken cancellationToken, Action<HttpRequestMessage>? prepare = null)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = body is null ? null : JsonContent.Create(body) };
        prepare?.Invoke(request);
        using var response = await Exchange(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (text.Length == 0)
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? new JsonObject { ["items"] = JsonNode.Parse(text) };
        }
        catch (JsonException e)
        {
            throw new AbdmUnavailableException("the answer was not JSON", e);
        }
    }

    public async Task<(byte[] Content, string ContentType)> Download(Uri uri, CancellationToken cancellationToken, Action<HttpRequestMessage>? prepare = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        prepare?.Invoke(request);
        using var response = await Exchange(request, cancellationToken);
        return (await response.Content.ReadAsByteArrayAsync(cancellationToken), response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream");
    }

    private async Task<HttpResponseMessage> Exchange(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new AbdmUnavailableException(e is HttpRequestException ? "no connection" : "no answer in time", e);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var error = AbdmError.Read(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            throw (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests
                ? new AbdmUnavailableException($"HTTP {(int)response.StatusCode} {error.Code} {error.Message}".Trim())
                : new AbdmRefusedException(error);
        }
    }
}

/// <summary>Gives a call its REQUEST-ID once, outside the retries, so every attempt carries the same one.</summary>
public sealed class AbdmRequestIdHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.Contains(AbdmHeaders.RequestId))
        {
            request.Headers.Add(AbdmHeaders.RequestId, Guid.NewGuid().ToString());
        }
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// Per attempt: TIMESTAMP (the wall clock: ABDM compares it with its own), X-CM-ID, and the gateway session token. A
/// 401 from ABDM's API gateway (code 900901) for a token that was cached gets one more try with a new token.
/// </summary>
public sealed class AbdmAttemptHandler(GatewaySession session, IOptions<AbdmOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(AbdmHeaders.Timestamp);
        request.Headers.Add(AbdmHeaders.Timestamp, AbdmHeaders.Format(TimeProvider.System.GetUtcNow()));
        if (!request.Headers.Contains(AbdmHeaders.CmId))
        {
            request.Headers.Add(AbdmHeaders.CmId, options.Value.CmId);
        }
        if (request.Options.TryGetValue(AbdmHttp.Anonymous, out var anonymous) && anonymous)
        {
            return await base.SendAsync(request, cancellationToken);
        }
        var token = await session.Token(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var error = AbdmError.Read(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        if (error.Code is not ("900901" or "900900"))
        {
            return response;
        }
        session.Forget(token);
        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await session.Token(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
