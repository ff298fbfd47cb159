using System.Globalization;

namespace Telemed.AbdmSimulator;

/// <summary>
/// What every ABDM call must carry, checked before it is handled: a UUID REQUEST-ID, a TIMESTAMP in UTC ISO-8601
/// with milliseconds and a Z, a gateway session token (except on the session call itself), and X-CM-ID on the
/// gateway's paths. Then the faults a test set up, and the answer kept for a REQUEST-ID seen before: a retry gets the
/// first answer and nothing is done twice.
/// </summary>
public sealed class RequestChecks(RequestDelegate next, SimulatorState state)
{
    private static readonly string[] Checked = ["/abha/api", "/api/hiecm", "/gateway", "/v4/int"];
    private static readonly string[] WithoutSession = ["/api/hiecm/gateway/v3/sessions", "/gateway/v0.5/sessions", "/api/hiecm/gateway/v3/certs",
        "/gateway/v0.5/certs", "/api/hiecm/gateway/v3/.well-known/openid-configuration", "/gateway/v0.5/.well-known/openid-configuration"];

    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        if (!Checked.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal)))
        {
            await next(http);
            return;
        }
        var requestId = http.Request.Headers["REQUEST-ID"].ToString();
        state.Arrivals.Enqueue((path, requestId));
        if (await Refusal(http, path, requestId) is { } refusal)
        {
            await refusal.ExecuteAsync(http);
            return;
        }
        if (state.Faults.Failure(path) is { } status)
        {
            await AbdmErrors.Wrapped(status, "ABDM-1019", "Dependent Service Unavailable").ExecuteAsync(http);
            return;
        }
        var delay = state.Faults.Delay(path);
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await Task.Delay(delay, CancellationToken.None);
            await next(http);
            return;
        }
        var first = new TaskCompletionSource<KeptAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var kept = state.Answers.GetOrAdd(requestId, first.Task);
        if (kept == first.Task)
        {
            try
            {
                first.SetResult(await Handle(http));
            }
            catch (Exception e)
            {
                state.Answers.TryRemove(requestId, out _);
                first.SetException(e);
                throw;
            }
        }
        var answer = await kept;
        await Task.Delay(delay, CancellationToken.None);
        if (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        http.Response.StatusCode = answer.Status;
        http.Response.ContentType = answer.ContentType;
        await http.Response.Body.WriteAsync(answer.Body, CancellationToken.None);
    }

    /// <summary>Runs the call, capturing its answer to keep (the caller may have gone: it is done all the same).</summary>
    private async Task<KeptAnswer> Handle(HttpContext http)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        return new KeptAnswer(http.Response.StatusCode, http.Response.ContentType ?? "application/json", buffer.ToArray());
    }

    private async Task<IResult?> Refusal(HttpContext http, string path, string requestId)
    {
        if (!Guid.TryParse(requestId, out _))
        {
            return AbdmErrors.Field("REQUEST-ID", "Invalid Request Id");
        }
        var timestamp = http.Request.Headers["TIMESTAMP"].ToString();
        if (!timestamp.EndsWith('Z')
            || !DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            || (at - DateTimeOffset.UtcNow).Duration() > TimeSpan.FromMinutes(5))
        {
            return AbdmErrors.Wrapped(400, "ABDM-1016", "Invalid Timestamp");
        }
        var gateway = path.StartsWith("/api/hiecm", StringComparison.Ordinal) || path.StartsWith("/gateway", StringComparison.Ordinal);
        if (gateway && http.Request.Headers["X-CM-ID"].ToString() != state.Options.CmId)
        {
            return AbdmErrors.InvalidCredentials();
        }
        if (WithoutSession.Contains(path))
        {
            return null;
        }
        var authorization = http.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..] : null;
        return await state.Keys.Read(token, state.Issuer) is { } claims && claims.TryGetValue("clientId", out var client)
            && client?.ToString() == state.Options.ClientId
            ? null
            : AbdmErrors.InvalidCredentials();
    }
}
