using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Abdm;
using Telemed.Domain.Consultations;
using Telemed.Server.Infrastructure;
using Telemed.Server.Records;

namespace Telemed.Server.Abdm;

/// <summary>How one care context of a transfer went.</summary>
public sealed record CareContextDelivery(string CareContextReference, bool Delivered, string Description);

/// <summary>
/// A health-information request the consent manager made of Telemed as HIP, by its transaction id: one per transaction,
/// so the same request posted again (under a new REQUEST-ID) sends nothing twice. Holds no health information.
/// </summary>
public sealed record HealthInformationTransfer(
    string Id, string ConsentId, DateTimeOffset ReceivedAt, string? Refusal, IReadOnlyList<CareContextDelivery> CareContexts, DateTimeOffset? NotifiedAt);

/// <summary>
/// Telemed as HIP in ABDM's data  The consent manager notifies consent artefacts (granted, revoked, expired) to
/// <see cref="ConsentNotifyPath"/>: they are stored and acknowledged. It then asks for health information at
/// <see cref="RequestPath"/> with an HIU's key material and a <c>dataPushUrl</c>: the request is acknowledged (or
/// refused: unknown, revoked or expired artefact, a range outside it, unusable keys), and for each care context of the
/// artefact dated inside both ranges, the documents of the artefact's types are encrypted with Fidelius under key
/// material made for this request, pushed to the HIU, and the outcome per care context notified to the gateway.
/// </summary>
public sealed partial class HipDataFlow(
    HipGateway gateway, IDocumentStore store, HipDocuments documents, IHttpClientFactory clients, IOptions<AbdmOptions> options, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<HipDataFlow> logger)
{
    public const string ConsentNotifyPath = "/api/v3/consent/request/hip/notify";
    public const string ConsentOnNotifyPath = "/api/hiecm/consent/v3/request/hip/on-notify";
    public const string RequestPath = "/api/v3/hip/health-information/request";
    public const string OnRequestPath = "/api/hiecm/data-flow/v3/health-information/hip/on-request";
    public const string NotifyPath = "/api/hiecm/data-flow/v3/health-information/notify";

    /// <summary>The HTTP client that pushes to HIUs: not the gateway's (an HIU must never see Telemed's gateway token).</summary>
    public const string PushClient = "abdm-data-push";

    public static Task<IResult> ReceiveConsent(HttpContext http, HipDataFlow flow, CancellationToken cancellationToken) => flow.Consent(http, cancellationToken);

    public static Task<IResult> ReceiveRequest(HttpContext http, HipDataFlow flow, CancellationToken cancellationToken) => flow.Request(http, cancellationToken);

    private async Task<IResult> Consent(HttpContext http, CancellationToken cancellationToken)
    {
        var body = await CallbackBodies.Read(http, cancellationToken);
        var notification = body["notification"] as JsonObject;
        var consentId = AbhaProfiles.Text(notification?["consentId"]);
        var status = AbhaProfiles.Text(notification?["status"]);
        if (consentId is null || status is not ("GRANTED" or "REVOKED" or "EXPIRED" or "DENIED"))
        {
            return Problems.Invalid("notification", "A consent notification names the consent (notification.consentId) and its status (GRANTED, REVOKED, EXPIRED or DENIED).");
        }
        var requestId = GatewayCallbacks.RequestId(http);
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        session.Insert(new ReceivedCallback(requestId, ConsentNotifyPath, now));
        if (status == "GRANTED")
        {
            var read = Artefact(consentId, notification!["consentDetail"] as JsonObject, now);
            if (!read.IsSuccess)
            {
                return Problems.Invalid("notification.consentDetail", read.Error.Message);
            }
            session.Store(read.Value);
        }
        else if (await session.LoadAsync<ConsentArtefact>(consentId, cancellationToken) is { RevokedAt: null } stored)
        {
            // Revoked, expired or denied: from now on nothing is sent under it.
            session.Store(stored with { RevokedAt = now });
        }
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            await GatewayCallbacks.Replayed(http);
            return TypedResults.Accepted((string?)null);
        }
        gateway.Soon(() => gateway.Post(ConsentOnNotifyPath, new JsonObject
        {
            ["acknowledgement"] = new JsonObject { ["status"] = "OK", ["consentId"] = consentId },
            ["response"] = new JsonObject { ["requestId"] = requestId },
        }));
        return TypedResults.Accepted((string?)null);
    }

    private async Task<IResult> Request(HttpContext http, CancellationToken cancellationToken)
    {
        var body = await CallbackBodies.Read(http, cancellationToken);
        var transactionId = AbhaProfiles.Text(body["transactionId"]);
        var request = body["hiRequest"] as JsonObject;
        var consentId = AbhaProfiles.Text(request?["consent"]?["id"]);
        if (transactionId is null || consentId is null)
        {
            return Problems.Invalid("hiRequest", "A health-information request names its transaction (transactionId) and consent (hiRequest.consent.id).");
        }
        var requestId = GatewayCallbacks.RequestId(http);
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        var artefact = await session.LoadAsync<ConsentArtefact>(consentId, cancellationToken);
        var accepted = Accept(artefact, request!, now);
        session.Insert(new ReceivedCallback(requestId, RequestPath, now));
        session.Insert(new HealthInformationTransfer(transactionId, consentId, now, accepted.IsSuccess ? null : accepted.Error.Message, [], null));
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            await GatewayCallbacks.Replayed(http);
            return TypedResults.Accepted((string?)null);
        }
        gateway.Soon(() => Answer(requestId, transactionId, accepted));
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>What a request needs once accepted: the scope it may receive, where to push and the HIU's key material.</summary>
    private sealed record AcceptedRequest(HealthInformationScope Scope, Uri PushUrl, string HiuPublicKey, string HiuNonce);

    private static Result<AcceptedRequest, Invalid> Accept(ConsentArtefact? artefact, JsonObject request, DateTimeOffset now)
    {
        if (artefact is null)
        {
            return new Invalid("No consent artefact with this id was notified to this HIP.");
        }
        if (!Date(request["dateRange"]?["from"], out var from) || !Date(request["dateRange"]?["to"], out var to))
        {
            return new Invalid("hiRequest.dateRange needs from and to (ISO-8601).");
        }
        var scope = artefact.Scope(from, to, now);
        if (!scope.IsSuccess)
        {
            return scope.Error;
        }
        var keys = request["keyMaterial"] as JsonObject;
        if (AbhaProfiles.Text(keys?["cryptoAlg"]) != FideliusKeys.CryptoAlgorithm || !string.Equals(AbhaProfiles.Text(keys?["curve"]), FideliusKeys.Curve, StringComparison.OrdinalIgnoreCase))
        {
            return new Invalid("hiRequest.keyMaterial must be ECDH on Curve25519.");
        }
        if (Date(keys!["dhPublicKey"]?["expiry"], out var expiry) && expiry <= now)
        {
            return new Invalid("The HIU's public key has expired.");
        }
        var publicKey = AbhaProfiles.Text(keys["dhPublicKey"]?["keyValue"]);
        var nonce = AbhaProfiles.Text(keys["nonce"]);
        if (publicKey is null || nonce is null)
        {
            return new Invalid("hiRequest.keyMaterial needs dhPublicKey.keyValue and nonce.");
        }
        try
        {
            // Read now, so keys that cannot be used are refused in the acknowledgement rather than failing every push.
            FideliusKeys.Generate().Encrypt("", publicKey, nonce);
        }
        catch (FideliusException e)
        {
            return new Invalid($"The HIU's key material is unusable: {e.Message}");
        }
        if (!Uri.TryCreate(AbhaProfiles.Text(request["dataPushUrl"]), UriKind.Absolute, out var push)
            || !(push.Scheme == Uri.UriSchemeHttps || (push.Scheme == Uri.UriSchemeHttp && push.IsLoopback)))
        {
            return new Invalid("hiRequest.dataPushUrl must be an https URL.");
        }
        return new AcceptedRequest(scope.Value, push, publicKey, nonce);
    }

    /// <summary>Answers the gateway's request (on-request), then, if it was accepted, transfers and notifies.</summary>
    private async Task Answer(string requestId, string transactionId, Result<AcceptedRequest, Invalid> accepted)
    {
        var answer = new JsonObject
        {
            ["hiRequest"] = new JsonObject { ["transactionId"] = transactionId, ["sessionStatus"] = accepted.IsSuccess ? "ACKNOWLEDGED" : "ERRORED" },
            ["response"] = new JsonObject { ["requestId"] = requestId },
        };
        if (!accepted.IsSuccess)
        {
            answer["error"] = new JsonObject { ["code"] = "ABDM-1000", ["message"] = accepted.Error.Message };
        }
        await gateway.Post(OnRequestPath, answer);
        if (accepted.IsSuccess)
        {
            await Transfer(transactionId, accepted.Value);
        }
    }

    /// <summary>Builds, encrypts and pushes every document in scope, one page each, then notifies the gateway.</summary>
    private async Task Transfer(string transactionId, AcceptedRequest request)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        var artefact = request.Scope.Artefact;
        // Fresh key material for every request; within it, each document under a nonce of its own.
        var sealer = FideliusKeys.Generate().For(request.HiuPublicKey, request.HiuNonce);
        var deliveries = new List<CareContextDelivery>();
        var inScope = new List<(ConsentedCareContext Consented, CareContext Found)>();
        await using (var session = store.QuerySession())
        {
            foreach (var consented in artefact.CareContexts)
            {
                var careContext = Guid.TryParse(consented.CareContextReference, out var consultationId) && Guid.TryParse(consented.PatientReference, out var patientId)
                    ? await session.LoadAsync<CareContext>(consultationId, stopping.Token) is { } found && found.PatientId == patientId ? found : null
                    : null;
                if (careContext is null || careContext.Status != ConsultationStatus.Completed)
                {
                    deliveries.Add(new(consented.CareContextReference, false, "No completed care context of this patient has this reference."));
                }
                else if (request.Scope.Covers(careContext.EndedAt ?? careContext.StartedAt))
                {
                    inScope.Add((consented, careContext));
                }
                // Outside the date range: not sent, and nothing to report.
            }
        }
        var pages = inScope.Sum(c => HipDocuments.Count(c.Found, artefact.HiTypes));
        var page = 0;
        var http = clients.CreateClient(PushClient);
        foreach (var (consented, careContext) in inScope)
        {
            await using var session = store.QuerySession();
            // Read again before each care context: a consent revoked mid-transfer stops what has not left yet.
            if (await session.LoadAsync<ConsentArtefact>(artefact.Id, stopping.Token) is not { } current
                || current.Scope(request.Scope.From, request.Scope.To, time.GetUtcNow()) is { IsSuccess: false })
            {
                deliveries.Add(new(consented.CareContextReference, false, "The consent was revoked or expired during the transfer."));
                continue;
            }
            CareContextDelivery delivery = new(consented.CareContextReference, true, "Delivered");
            var sent = new List<string>();
            foreach (var document in await documents.Build(session, careContext, artefact.HiTypes, stopping.Token))
            {
                var body = Page(document, sealer, transactionId, ++page, pages, consented.CareContextReference, time.GetUtcNow());
                if (await Push(http, request.PushUrl, body, consented.CareContextReference, stopping.Token) is { Delivered: false } failed)
                {
                    delivery = failed;
                }
                else
                {
                    sent.Add(document.HiType);
                }
            }
            deliveries.Add(delivery);
            if (sent.Count > 0)
            {
                // On the patient's access log as soon as it has left (whatever stops the transfer later), and only what the HIU took.
                var shared = new RecordsShared(careContext.PatientId, careContext.Id, artefact.Id, artefact.HiuId, artefact.HiuName, artefact.PurposeCode,
                    artefact.PurposeText, sent, transactionId, time.GetUtcNow());
                await Journal.Save(store, journal => journal.Events.Append(careContext.PatientId, shared), CancellationToken.None);
            }
        }
        var transferred = deliveries.All(d => d.Delivered);
        var notified = await gateway.Post(NotifyPath, new JsonObject
        {
            ["notification"] = new JsonObject
            {
                ["consentId"] = artefact.Id,
                ["transactionId"] = transactionId,
                ["doneAt"] = AbdmHeaders.Format(time.GetUtcNow()),
                ["notifier"] = new JsonObject { ["type"] = "HIP", ["id"] = options.Value.HipId },
                ["statusNotification"] = new JsonObject
                {
                    ["sessionStatus"] = transferred ? "TRANSFERRED" : "FAILED",
                    ["hipId"] = options.Value.HipId,
                    ["statusResponses"] = new JsonArray([.. deliveries.Select(d => (JsonNode)new JsonObject
                    {
                        ["careContextReference"] = d.CareContextReference,
                        ["hiStatus"] = d.Delivered ? "DELIVERED" : "ERRORED",
                        ["description"] = d.Description,
                    })]),
                },
            },
        });
        await using var record = store.LightweightSession();
        if (await record.LoadAsync<HealthInformationTransfer>(transactionId, CancellationToken.None) is { } transfer)
        {
            record.Store(transfer with { CareContexts = deliveries, NotifiedAt = notified ? time.GetUtcNow() : null });
            await record.SaveChangesAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// One page of a transfer: one document, encrypted for the HIU's key and nonce under a nonce of its own, with
    /// Telemed's public key and that nonce for the HIU to decrypt it with.
    /// </summary>
    public static JsonObject Page(
        HipDocument document, FideliusSealer sealer, string transactionId, int page, int pages, string careContextReference, DateTimeOffset now)
    {
        var (content, nonce) = sealer.Seal(document.Json);
        return new()
        {
            ["pageNumber"] = page,
            ["pageCount"] = pages,
            ["transactionId"] = transactionId,
            ["entries"] = new JsonArray(new JsonObject
            {
                ["content"] = content,
                ["media"] = FhirDocuments.MediaType,
                ["checksum"] = Checksum(document.Json),
                ["careContextReference"] = careContextReference,
            }),
            ["keyMaterial"] = KeyMaterial.Json(sealer.PublicKey, nonce, now.AddDays(1)),
        };
    }

    /// <summary>Pushes a page to the HIU: delivered on a 2xx, otherwise why not (after the push client's retries).</summary>
    private async Task<CareContextDelivery> Push(HttpClient http, Uri pushUrl, JsonObject body, string careContextReference, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync(pushUrl, body, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return new(careContextReference, true, "Delivered");
            }
            PushRefused(logger, (int)response.StatusCode);
            return new(careContextReference, false, $"The HIU answered HTTP {(int)response.StatusCode}.");
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            PushFailed(logger, e.GetType().Name);
            return new(careContextReference, false, "The HIU could not be reached.");
        }
    }

    /// <summary>The artefact as the consent manager granted it; refused when it is not for this HIP or lacks a part.</summary>
    private Result<ConsentArtefact, Invalid> Artefact(string consentId, JsonObject? detail, DateTimeOffset now)
    {
        var permission = detail?["permission"];
        if (detail is null || permission is null)
        {
            return new Invalid("A granted consent carries its detail (consentDetail) with its permission.");
        }
        if (AbhaProfiles.Text(detail["hip"]?["id"]) is { } hipId && !string.Equals(hipId, options.Value.HipId, StringComparison.OrdinalIgnoreCase))
        {
            return new Invalid("The consent is for another HIP.");
        }
        if (!Date(permission["dateRange"]?["from"], out var from) || !Date(permission["dateRange"]?["to"], out var to) || from > to)
        {
            return new Invalid("permission.dateRange needs from and to (ISO-8601), from first.");
        }
        if (!Date(permission["dataEraseAt"], out var eraseAt))
        {
            return new Invalid("permission.dataEraseAt (the consent's expiry) is required.");
        }
        var hiTypes = (detail["hiTypes"] as JsonArray)?.Select(AbhaProfiles.Text).OfType<string>().ToList() ?? [];
        var careContexts = (detail["careContexts"] as JsonArray)?.OfType<JsonObject>()
            .Select(c => (Patient: AbhaProfiles.Text(c["patientReference"]), CareContext: AbhaProfiles.Text(c["careContextReference"])))
            .Where(c => c.Patient is not null && c.CareContext is not null)
            .Select(c => new ConsentedCareContext(c.Patient!, c.CareContext!)).ToList() ?? [];
        var patient = AbhaProfiles.Text(detail["patient"]?["id"]);
        var purpose = AbhaProfiles.Text(detail["purpose"]?["code"]);
        if (hiTypes.Count == 0 || careContexts.Count == 0 || patient is null || purpose is null)
        {
            return new Invalid("A consent names its patient, purpose, health-information types and care contexts.");
        }
        var frequency = permission["frequency"] is JsonObject f ? $"{AbhaProfiles.Text(f["value"])} per {AbhaProfiles.Text(f["unit"])}, {AbhaProfiles.Text(f["repeats"])} repeats" : null;
        return new ConsentArtefact(consentId, patient, AbhaProfiles.Text(detail["hiu"]?["id"]), purpose, AbhaProfiles.Text(detail["purpose"]?["text"]), hiTypes, from, to, eraseAt,
            frequency, careContexts, now, null, AbhaProfiles.Text(detail["hiu"]?["name"]));
    }

    // ABDM asks for the MD5 of the content before encryption: an integrity check alongside GCM's tag, not a security measure.
#pragma warning disable CA5351
    internal static string Checksum(string content) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content)));
#pragma warning restore CA5351

    internal static bool Date(JsonNode? node, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(AbhaProfiles.Text(node), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health-information push refused by the HIU: HTTP {Status}")]
    private static partial void PushRefused(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health-information push not delivered: {ErrorType}")]
    private static partial void PushFailed(ILogger logger, string errorType);
}
