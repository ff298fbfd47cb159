using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Telemed.AbdmSimulator;

/// <summary>How a callback to the bridge is signed: as the gateway signs it, with a key it never published, or not at all.</summary>
public enum CallbackSigning
{
    Valid,
    Forged,
    Missing,
}

/// <summary>
/// The gateway (HIE-CM): session tokens by client credentials, its signing keys (JWKS) and OpenID configuration, the
/// HIP's answer to a shared profile (on-share), and the link token request whose result it posts to the bridge
/// (on-generate-token). Callbacks carry REQUEST-ID, TIMESTAMP, X-HIP-ID, X-CM-ID and a gateway-signed bearer token.
/// </summary>
public sealed partial class Gateway(SimulatorState state, IHttpClientFactory clients, ILogger<Gateway> logger)
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var root in new[] { "/api/hiecm/gateway/v3", "/gateway/v0.5" })
        {
            app.MapPost($"{root}/sessions", Session);
            app.MapGet($"{root}/certs", (SimulatorState state) => Results.Json(state.Keys.Jwks()));
            app.MapGet($"{root}/.well-known/openid-configuration", (SimulatorState state) => Results.Json(new JsonObject
            {
                ["issuer"] = state.Issuer,
                ["jwks_uri"] = new Uri(state.Address, $"{root}/certs").ToString(),
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            }));
        }
        app.MapPost("/api/hiecm/patient-share/v3/on-share", OnShare);
        app.MapPost("/api/hiecm/v3/token/generate-token", (HttpRequest request, Gateway gateway) => gateway.GenerateToken(request));
        app.MapPost("/api/hiecm/hip/v3/link/carecontext", (HttpRequest request, Gateway gateway) => gateway.LinkCareContext(request));
    }

    public const string OnCareContextPath = "/api/v3/link/on_carecontext";

    /// <summary>
    /// HIP-initiated linking: the link token (X-LINK-TOKEN) must be one this gateway issued to this HIP for this ABHA and
    /// unexpired, and each patient entry's count must match its care contexts; otherwise refused at once. The outcome
    /// comes as on_carecontext: linked (linking a care context again changes nothing), or an error (the ABHA deactivated
    /// since the token was issued, or the token issued for another ABHA).
    /// </summary>
    private async Task<IResult> LinkCareContext(HttpRequest request)
    {
        var hipId = request.Headers["X-HIP-ID"].ToString();
        if (hipId.Length == 0)
        {
            return AbdmErrors.Field("X-HIP-ID", "Invalid HIP Id");
        }
        var linkToken = request.Headers["X-LINK-TOKEN"].ToString();
        if (linkToken.Length == 0)
        {
            return AbdmErrors.Field("X-LINK-TOKEN", "Invalid Link Token");
        }
        if (await state.Keys.Read(linkToken, state.Issuer) is not { } claims || Claim(claims, "typ") != "link" || Claim(claims, "hipId") != hipId)
        {
            return AbdmErrors.Wrapped(401, "ABDM-1094", "Invalid or expired Link Token");
        }
        var body = await AbhaService.Body(request);
        var entries = (body["patient"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (entries.Count == 0 || entries.Any(e => e["referenceNumber"] is null || e["hiType"] is null
            || e["careContexts"] is not JsonArray contexts || contexts.Count == 0 || e["count"] is not JsonValue count
            || !count.TryGetValue<int>(out var n) || n != contexts.Count))
        {
            return AbdmErrors.Field("patient", "Counter and Care context count mismatch");
        }
        var number = body["abhaNumber"] is JsonValue value && value.TryGetValue<long>(out var digits) ? digits.ToString(CultureInfo.InvariantCulture) : null;
        var account = state.People.ByNumber(Claim(claims, "sub") ?? "");
        JsonObject result;
        if (account is null || number != account.Digits)
        {
            result = Error("ABDM-1056", "ABHA address and Link token mismatch");
        }
        else if (account.Status != "ACTIVE")
        {
            result = Error("ABDM-1134", "Deactivated ABHA Account");
        }
        else
        {
            foreach (var entry in entries)
            {
                foreach (var context in entry["careContexts"]!.AsArray().OfType<JsonObject>())
                {
                    state.Link(new LinkedCareContext(account.Number, hipId, entry["referenceNumber"]!.ToString(), context["referenceNumber"]?.ToString() ?? "",
                        entry["hiType"]!.ToString(), "HIP"));
                }
            }
            result = new JsonObject { ["status"] = "Successfully Linked care context" };
        }
        result["abhaAddress"] = account?.PreferredAddress ?? body["abhaAddress"]?.ToString();
        result["response"] = new JsonObject { ["requestId"] = request.Headers["REQUEST-ID"].ToString() };
        _ = Task.Run(async () =>
        {
            await Task.Delay(state.Options.CallbackDelayMilliseconds);
            await Post(OnCareContextPath, hipId, result, CallbackSigning.Valid);
        });
        return Results.Accepted();
    }

    private static async Task<IResult> Session(HttpRequest request, SimulatorState state)
    {
        var body = await AbhaService.Body(request);
        if (body["grantType"]?.GetValue<string>() != "client_credentials")
        {
            return AbdmErrors.Field("grantType", "Invalid Grant Type");
        }
        if (body["clientId"]?.GetValue<string>() != state.Options.ClientId || body["clientSecret"]?.GetValue<string>() != state.Options.ClientSecret)
        {
            // As the sandbox answers it, trailing colon and space in the code included.
            return AbdmErrors.Wrapped(401, "ABDM-9999: ", "Invalid user credentials");
        }
        state.NoteSession();
        var lifetime = TimeSpan.FromSeconds(state.Options.SessionSeconds);
        return Results.Json(new JsonObject
        {
            ["accessToken"] = state.Keys.Issue(state.Issuer, Guid.NewGuid().ToString(), lifetime, new Dictionary<string, object> { ["clientId"] = state.Options.ClientId }),
            ["expiresIn"] = state.Options.SessionSeconds,
            ["refreshExpiresIn"] = 1800,
            ["refreshToken"] = Guid.NewGuid().ToString("N"),
            ["tokenType"] = "bearer",
        });
    }

    private static async Task<IResult> OnShare(HttpRequest request, SimulatorState state)
    {
        var body = await AbhaService.Body(request);
        var answers = body["response"]?["requestId"]?.GetValue<string>() ?? "";
        if (!state.Answering.TryGetValue(answers, out var waiting))
        {
            return AbdmErrors.Wrapped(400, "ABDM-1030", "Request id not found");
        }
        var acknowledgement = body["acknowledgement"];
        if (body["error"] is null && (acknowledgement?["status"]?.GetValue<string>() != "SUCCESS" || acknowledgement["abhaAddress"] is null
            || acknowledgement["profile"]?["tokenNumber"] is null || acknowledgement["profile"]?["context"] is null))
        {
            return AbdmErrors.Field("acknowledgement", "Invalid Acknowledgement");
        }
        waiting.TrySetResult(body);
        return Results.Accepted();
    }

    private async Task<IResult> GenerateToken(HttpRequest request)
    {
        var hipId = request.Headers["X-HIP-ID"].ToString();
        if (hipId.Length == 0)
        {
            return AbdmErrors.Field("X-HIP-ID", "Invalid HIP Id");
        }
        var requestId = request.Headers["REQUEST-ID"].ToString();
        var body = await AbhaService.Body(request);
        var address = body["abhaAddress"]?.GetValue<string>();
        var number = body["abhaNumber"] is JsonValue value && value.TryGetValue<long>(out var digits) ? digits.ToString(CultureInfo.InvariantCulture) : null;
        var account = address is null ? null : state.People.ByAddress(address);
        JsonObject result;
        if (account is null || (number is not null && number != account.Digits))
        {
            result = Error("ABDM-1132", "Kindly enter valid linked ABHA Address");
        }
        else if (!string.Equals(body["name"]?.GetValue<string>()?.Trim(), account.Person.Name, StringComparison.OrdinalIgnoreCase)
            || body["gender"]?.GetValue<string>() != account.Person.Gender
            || body["yearOfBirth"] is not JsonValue year || !year.TryGetValue<int>(out var born) || born != account.Person.DateOfBirth.Year)
        {
            result = Error("ABDM-1207", "The information you provided does not match the details on record.");
        }
        else
        {
            result = new JsonObject
            {
                ["abhaAddress"] = account.PreferredAddress,
                ["linkToken"] = state.Keys.Issue(state.Issuer, account.Number, TimeSpan.FromDays(180), new Dictionary<string, object> { ["hipId"] = hipId, ["typ"] = "link" }),
            };
        }
        result["response"] = new JsonObject { ["requestId"] = requestId };
        _ = Task.Run(async () =>
        {
            await Task.Delay(state.Options.CallbackDelayMilliseconds);
            await Post("/api/v3/hip/token/on-generate-token", hipId, result, CallbackSigning.Valid);
        });
        return Results.Accepted();
    }

    private static string? Claim(IDictionary<string, object> claims, string name) => claims.TryGetValue(name, out var value) ? value?.ToString() : null;

    private static JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    /// <summary>Posts a callback to the bridge as the gateway does, and notes it (and the bridge's answer).</summary>
    public async Task<SentCallback> Post(string path, string hipId, JsonObject body, CallbackSigning signing, string? requestId = null)
    {
        var authorization = signing switch
        {
            CallbackSigning.Valid => "Bearer " + state.Keys.Issue(state.Issuer, "gateway", TimeSpan.FromMinutes(10), new Dictionary<string, object> { ["clientId"] = "gateway" }),
            CallbackSigning.Forged => "Bearer " + state.Keys.Issue(state.Issuer, "gateway", TimeSpan.FromMinutes(10), new Dictionary<string, object> { ["clientId"] = "gateway" }, state.Keys.ForgedKey),
            _ => null,
        };
        var sent = new SentCallback(path, requestId ?? Guid.NewGuid().ToString(), DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            authorization, hipId, body.ToJsonString(), 0);
        return await Send(sent);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No bridge URL is set (Simulator:BridgeUrl): the callback to {Path} was not sent")]
    private static partial void NoBridge(ILogger logger, string path);

    /// <summary>Posts a callback again exactly as it was first sent (same REQUEST-ID, TIMESTAMP, token and body): a replay.</summary>
    public Task<SentCallback> Replay(SentCallback sent) => Send(sent);

    private async Task<SentCallback> Send(SentCallback sent)
    {
        if (state.Options.BridgeUrl is not { } bridge)
        {
            NoBridge(logger, sent.Path);
            return sent;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(bridge), sent.Path))
        {
            Content = new StringContent(sent.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("REQUEST-ID", sent.RequestId);
        request.Headers.Add("TIMESTAMP", sent.Timestamp);
        request.Headers.Add("X-HIP-ID", sent.HipId);
        request.Headers.Add("X-CM-ID", state.Options.CmId);
        if (sent.Authorization is { } authorization)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }
        int status;
        try
        {
            using var response = await clients.CreateClient("bridge").SendAsync(request);
            status = (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            status = 0;
        }
        var answered = sent with { Status = status };
        state.Callbacks.Enqueue(answered);
        return answered;
    }
}
