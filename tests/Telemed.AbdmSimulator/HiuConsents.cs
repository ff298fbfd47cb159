using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Telemed.Domain.Abdm;

namespace Telemed.AbdmSimulator;

/// <summary>How the other HIP spoils its next push, for the tests of what an HIU must refuse.</summary>
public enum PushTampering
{
    None,

    /// <summary>A byte of the ciphertext flipped on the way.</summary>
    Ciphertext,

    /// <summary>Encrypted with a key pair other than the one whose public key the page carries.</summary>
    WrongKey,

    /// <summary>The page carries a nonce other than the one the content was encrypted under.</summary>
    WrongNonce,
}

/// <summary>A consent request an HIU made of the consent manager, and the artefacts the patient's approval produced.</summary>
public sealed record HiuConsentRequestHeld(
    string Id, string HiuId, string AbhaAddress, string PurposeCode, string? PurposeText, IReadOnlyList<string> HiTypes, DateTimeOffset From, DateTimeOffset To,
    DateTimeOffset DataEraseAt, string Status, IReadOnlyList<string> ArtefactIds);

/// <summary>One artefact the consent manager made on the patient's approval: for the other HIP, its records' care contexts.</summary>
public sealed record HiuArtefactHeld(string Id, string ConsentRequestId, JsonObject Detail, string Status);

/// <summary>
/// The consent manager and the PHR app for Telemed as HIU, and another HIP holding the patient's records elsewhere.
/// The HIU's consent request (<c>/api/hiecm/consent/v3/request/init</c>) is answered on-init with its id; the patient
/// approves or denies it in the PHR app (<see cref="Approve"/>, <see cref="Deny"/>, or <c>/simulator/phr/consents</c>),
/// revokes it later, or it expires, and the HIU is notified; the HIU fetches the artefact (on-fetch) and asks for its
/// health information (on-request with a transaction id), and the other HIP encrypts its documents — a
/// PrescriptionRecord and an OPConsultRecord in the NRCeS profiles — with Fidelius for the HIU's key material and pushes
/// them to the dataPushUrl, one page each (the simulated HIP holds one document of each type, dated two weeks ago).
/// </summary>
public sealed class HiuConsents(SimulatorState state, Gateway gateway, IHttpClientFactory clients)
{
    public const string OtherHipId = "IN2710000999";
    public const string OtherHipName = "Sunrise Hospital, Pune";
    public const string OnInitPath = "/api/v3/hiu/consent/request/on-init";
    public const string NotifyPath = "/api/v3/hiu/consent/request/notify";
    public const string OnFetchPath = "/api/v3/hiu/consent/on-fetch";
    public const string OnRequestPath = "/api/v3/hiu/health-information/on-request";
    public const string PrescriptionReference = "SUNRISE-OPD-2026-0412-RX";
    public const string ConsultationReference = "SUNRISE-OPD-2026-0412";

    public ConcurrentDictionary<string, HiuConsentRequestHeld> Requests { get; } = new();

    public ConcurrentDictionary<string, HiuArtefactHeld> Artefacts { get; } = new();

    /// <summary>The HIU's acknowledgements of consent notifications (hiu/on-notify), newest last.</summary>
    public ConcurrentQueue<JsonObject> Acknowledgements { get; } = new();

    /// <summary>What the HIU answered each push, in order.</summary>
    public ConcurrentQueue<int> PushStatuses { get; } = new();

    /// <summary>How the next pushes are spoiled, one each.</summary>
    public ConcurrentQueue<PushTampering> Tampering { get; } = new();

    /// <summary>Run after a page is pushed and before the next: something that happens mid-transfer (a revocation).</summary>
    public ConcurrentQueue<Func<Task>> BetweenPages { get; } = new();

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/hiecm/consent/v3/request/init", (HttpRequest request, HiuConsents cm) => cm.Init(request));
        app.MapPost("/api/hiecm/consent/v3/request/hiu/on-notify", async (HttpRequest request, HiuConsents cm) =>
        {
            cm.Acknowledgements.Enqueue(await AbhaService.Body(request));
            return Results.Accepted();
        });
        app.MapPost("/api/hiecm/consent/v3/fetch", (HttpRequest request, HiuConsents cm) => cm.Fetch(request));
        app.MapPost("/api/hiecm/data-flow/v3/health-information/request", (HttpRequest request, HiuConsents cm) => cm.HealthInformation(request));
        app.MapGet("/simulator/phr/consents", (string? abhaAddress, HiuConsents cm) =>
            Results.Json(cm.Requests.Values.Where(r => abhaAddress is null || r.AbhaAddress == abhaAddress).OrderBy(r => r.Id)));
        app.MapPost("/simulator/phr/consents/{id}/{decision}", async (string id, string decision, HiuConsents cm) => decision switch
        {
            "approve" => Results.Json(await cm.Approve(id)),
            "deny" => Results.Json(await cm.Deny(id)),
            "revoke" => Results.Json(await cm.Revoke(id)),
            _ => Results.NotFound(),
        });
    }

    /// <summary>The consent request most recently made for an ABHA address, waiting briefly for it.</summary>
    public async Task<HiuConsentRequestHeld> Latest(string abhaAddress, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (Requests.Values.Where(r => r.AbhaAddress == abhaAddress).MaxBy(r => r.Id) is { } found)
            {
                return found;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No consent request came for this ABHA address.");
            }
            await Task.Delay(20);
        }
    }

    private async Task<IResult> Init(HttpRequest request)
    {
        var hiuId = request.Headers["X-HIU-ID"].ToString();
        var body = await AbhaService.Body(request);
        var consent = body["consent"];
        var permission = consent?["permission"];
        var hiTypes = (consent?["hiTypes"] as JsonArray)?.Select(t => t?.GetValue<string>()).OfType<string>().ToList() ?? [];
        if (hiuId.Length == 0 || consent?["patient"]?["id"]?.GetValue<string>() is not { } address || consent["purpose"]?["code"]?.GetValue<string>() is not { } purpose
            || hiTypes.Count == 0 || !Date(permission?["dateRange"]?["from"], out var from) || !Date(permission?["dateRange"]?["to"], out var to)
            || !Date(permission?["dataEraseAt"], out var eraseAt))
        {
            return AbdmErrors.Field("consent", "Invalid consent request");
        }
        var requestId = request.Headers["REQUEST-ID"].ToString();
        JsonObject answer;
        if (state.People.ByAddress(address) is null)
        {
            answer = new JsonObject { ["error"] = new JsonObject { ["code"] = "ABDM-1132", ["message"] = "Kindly enter valid linked ABHA Address" } };
        }
        else
        {
            // Time-ordered, so the latest request for an address is the greatest id.
            var id = Guid.CreateVersion7().ToString();
            Requests[id] = new HiuConsentRequestHeld(id, hiuId, address, purpose, consent["purpose"]?["text"]?.GetValue<string>(), hiTypes, from, to, eraseAt, "REQUESTED", []);
            answer = new JsonObject { ["consentRequest"] = new JsonObject { ["id"] = id } };
        }
        answer["response"] = new JsonObject { ["requestId"] = requestId };
        Later(OnInitPath, hiuId, answer);
        return Results.Accepted();
    }

    /// <summary>The patient approves in their PHR app: one artefact for the other HIP's records, notified to the HIU.</summary>
    public async Task<SentCallback> Approve(string consentRequestId, CallbackSigning signing = CallbackSigning.Valid)
    {
        var held = Requests[consentRequestId];
        var artefactId = Guid.NewGuid().ToString();
        var careContexts = new JsonArray();
        foreach (var (type, reference) in new[] { (HiTypes.Prescription, PrescriptionReference), (HiTypes.OpConsultation, ConsultationReference) })
        {
            if (held.HiTypes.Contains(type))
            {
                careContexts.Add(new JsonObject { ["patientReference"] = $"SUNRISE-{held.AbhaAddress}", ["careContextReference"] = reference });
            }
        }
        var detail = new JsonObject
        {
            ["schemaVersion"] = "v3",
            ["consentId"] = artefactId,
            ["createdAt"] = Format(DateTimeOffset.UtcNow),
            ["patient"] = new JsonObject { ["id"] = held.AbhaAddress },
            ["careContexts"] = careContexts,
            ["purpose"] = new JsonObject { ["text"] = held.PurposeText, ["code"] = held.PurposeCode },
            ["hip"] = new JsonObject { ["id"] = OtherHipId, ["name"] = OtherHipName },
            ["hiu"] = new JsonObject { ["id"] = held.HiuId },
            ["consentManager"] = new JsonObject { ["id"] = state.Options.CmId },
            ["hiTypes"] = new JsonArray([.. held.HiTypes.Select(t => (JsonNode)JsonValue.Create(t))]),
            ["permission"] = new JsonObject
            {
                ["accessMode"] = "VIEW",
                ["dateRange"] = new JsonObject { ["from"] = Format(held.From), ["to"] = Format(held.To) },
                ["dataEraseAt"] = Format(held.DataEraseAt),
                ["frequency"] = new JsonObject { ["unit"] = "HOUR", ["value"] = 1, ["repeats"] = 0 },
            },
        };
        Artefacts[artefactId] = new HiuArtefactHeld(artefactId, consentRequestId, detail, "GRANTED");
        Requests[consentRequestId] = held with { Status = "GRANTED", ArtefactIds = [artefactId] };
        return await Notify(consentRequestId, "GRANTED", signing);
    }

    /// <summary>The patient denies the request in their PHR app.</summary>
    public Task<SentCallback> Deny(string consentRequestId)
    {
        Requests[consentRequestId] = Requests[consentRequestId] with { Status = "DENIED" };
        return Notify(consentRequestId, "DENIED", CallbackSigning.Valid);
    }

    /// <summary>The patient revokes a granted consent: its artefacts serve nothing more.</summary>
    public Task<SentCallback> Revoke(string consentRequestId) => End(consentRequestId, "REVOKED");

    /// <summary>The consent's time ran out.</summary>
    public Task<SentCallback> Expire(string consentRequestId) => End(consentRequestId, "EXPIRED");

    private Task<SentCallback> End(string consentRequestId, string status)
    {
        Requests[consentRequestId] = Requests[consentRequestId] with { Status = status };
        foreach (var id in Requests[consentRequestId].ArtefactIds)
        {
            Artefacts[id] = Artefacts[id] with { Status = status };
        }
        return Notify(consentRequestId, status, CallbackSigning.Valid);
    }

    private Task<SentCallback> Notify(string consentRequestId, string status, CallbackSigning signing)
    {
        var held = Requests[consentRequestId];
        return gateway.Post(NotifyPath, held.HiuId, new JsonObject
        {
            ["notification"] = new JsonObject
            {
                ["consentRequestId"] = consentRequestId,
                ["status"] = status,
                ["consentArtefacts"] = new JsonArray([.. held.ArtefactIds.Select(id => (JsonNode)new JsonObject { ["id"] = id })]),
            },
        }, signing);
    }

    private async Task<IResult> Fetch(HttpRequest request)
    {
        var hiuId = request.Headers["X-HIU-ID"].ToString();
        var body = await AbhaService.Body(request);
        var consentId = body["consentId"]?.GetValue<string>();
        JsonObject answer = consentId is not null && Artefacts.TryGetValue(consentId, out var artefact) && Requests[artefact.ConsentRequestId].HiuId == hiuId
            ? new JsonObject
            {
                ["consent"] = new JsonObject
                {
                    ["status"] = artefact.Status,
                    ["consentDetail"] = artefact.Detail.DeepClone(),
                    ["signature"] = Convert.ToBase64String(state.Keys.Sign(Encoding.UTF8.GetBytes(artefact.Detail.ToJsonString()))),
                },
            }
            : new JsonObject { ["error"] = new JsonObject { ["code"] = "ABDM-1000", ["message"] = "Consent artefact not found" } };
        answer["response"] = new JsonObject { ["requestId"] = request.Headers["REQUEST-ID"].ToString() };
        Later(OnFetchPath, hiuId, answer);
        return Results.Accepted();
    }

    /// <summary>
    /// The HIU's request under an artefact: acknowledged with a transaction id when the artefact is granted and unexpired,
    /// then the other HIP pushes its documents dated inside the requested range.
    /// </summary>
    private async Task<IResult> HealthInformation(HttpRequest request)
    {
        var hiuId = request.Headers["X-HIU-ID"].ToString();
        var body = await AbhaService.Body(request);
        var hiRequest = body["hiRequest"];
        var consentId = hiRequest?["consent"]?["id"]?.GetValue<string>();
        var keys = hiRequest?["keyMaterial"];
        var publicKey = keys?["dhPublicKey"]?["keyValue"]?.GetValue<string>();
        var nonce = keys?["nonce"]?.GetValue<string>();
        if (consentId is null || publicKey is null || nonce is null || !Uri.TryCreate(hiRequest?["dataPushUrl"]?.GetValue<string>(), UriKind.Absolute, out var pushUrl))
        {
            return AbdmErrors.Field("hiRequest", "Invalid health information request");
        }
        var requestId = request.Headers["REQUEST-ID"].ToString();
        JsonObject answer;
        HiuArtefactHeld? artefact = null;
        if (!Artefacts.TryGetValue(consentId, out artefact) || artefact.Status != "GRANTED" || Requests[artefact.ConsentRequestId].DataEraseAt <= DateTimeOffset.UtcNow)
        {
            answer = new JsonObject { ["error"] = new JsonObject { ["code"] = "ABDM-1000", ["message"] = "Consent artefact is not granted or has expired" } };
            artefact = null;
        }
        else
        {
            answer = new JsonObject { ["hiRequest"] = new JsonObject { ["transactionId"] = Guid.NewGuid().ToString(), ["sessionStatus"] = "REQUESTED" } };
        }
        answer["response"] = new JsonObject { ["requestId"] = requestId };
        var transactionId = answer["hiRequest"]?["transactionId"]?.GetValue<string>();
        _ = Task.Run(async () =>
        {
            await Task.Delay(state.Options.CallbackDelayMilliseconds);
            await gateway.Post(OnRequestPath, hiuId, answer, CallbackSigning.Valid);
            if (artefact is not null && transactionId is not null)
            {
                await Push(artefact, transactionId, pushUrl, publicKey, nonce);
            }
        });
        return Results.Accepted();
    }

    /// <summary>The other HIP: each document of the artefact's types encrypted for the HIU, one page each, under a nonce of its own.</summary>
    private async Task Push(HiuArtefactHeld artefact, string transactionId, Uri pushUrl, string hiuPublicKey, string hiuNonce)
    {
        var held = Requests[artefact.ConsentRequestId];
        var documents = ExampleRecords.For(held.AbhaAddress, held.HiTypes);
        var sealer = FideliusKeys.Generate().For(hiuPublicKey, hiuNonce);
        var http = clients.CreateClient("bridge");
        var page = 0;
        foreach (var (reference, json) in documents)
        {
            if (page > 0 && BetweenPages.TryDequeue(out var between))
            {
                await between();
            }
            page++;
            var tampering = Tampering.TryDequeue(out var spoil) ? spoil : PushTampering.None;
            var (content, nonce) = tampering == PushTampering.WrongKey
                ? FideliusKeys.Generate().For(hiuPublicKey, hiuNonce).Seal(json)
                : sealer.Seal(json);
            if (tampering == PushTampering.Ciphertext)
            {
                var bytes = Convert.FromBase64String(content);
                bytes[bytes.Length / 2] ^= 0x01;
                content = Convert.ToBase64String(bytes);
            }
            if (tampering == PushTampering.WrongNonce)
            {
                nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            }
#pragma warning disable CA5351 // ABDM's checksum is MD5 by its specification.
            var checksum = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(json)));
#pragma warning restore CA5351
            var body = new JsonObject
            {
                ["pageNumber"] = page,
                ["pageCount"] = documents.Count,
                ["transactionId"] = transactionId,
                ["entries"] = new JsonArray(new JsonObject
                {
                    ["content"] = content,
                    ["media"] = "application/fhir+json",
                    ["checksum"] = checksum,
                    ["careContextReference"] = reference,
                }),
                ["keyMaterial"] = new JsonObject
                {
                    ["cryptoAlg"] = FideliusKeys.CryptoAlgorithm,
                    ["curve"] = FideliusKeys.Curve,
                    ["dhPublicKey"] = new JsonObject
                    {
                        ["expiry"] = Format(DateTimeOffset.UtcNow.AddHours(1)),
                        ["parameters"] = FideliusKeys.Parameters,
                        ["keyValue"] = sealer.PublicKey,
                    },
                    ["nonce"] = nonce,
                },
            };
            try
            {
                using var response = await http.PostAsJsonAsync(pushUrl, body);
                PushStatuses.Enqueue((int)response.StatusCode);
            }
            catch (HttpRequestException)
            {
                PushStatuses.Enqueue(0);
            }
        }
    }

    private void Later(string path, string hiuId, JsonObject body) => _ = Task.Run(async () =>
    {
        await Task.Delay(state.Options.CallbackDelayMilliseconds);
        await gateway.Post(path, hiuId, body, CallbackSigning.Valid);
    });

    private static bool Date(JsonNode? node, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(node?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
