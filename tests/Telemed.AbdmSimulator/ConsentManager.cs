using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Telemed.Domain.Abdm;

namespace Telemed.AbdmSimulator;

/// <summary>A care context as a consent names it: the HIP's patient and care context references.</summary>
public sealed record ConsentedRecord(string PatientReference, string CareContextReference);

/// <summary>A health-information request the simulated HIU made: its transaction and the key material it will decrypt with.</summary>
public sealed record HiuRequest(string TransactionId, string ConsentId, FideliusKeys Keys, SentCallback Sent);

/// <summary>One page the HIP pushed to the simulated HIU's dataPushUrl, as received (still encrypted).</summary>
public sealed record PushedPage(string TransactionId, JsonObject Body);

/// <summary>A document the HIU decrypted from a push, with the checksum it came with and whether it matched.</summary>
public sealed record ReceivedDocument(string CareContextReference, string Json, bool ChecksumMatches);

/// <summary>
/// The consent manager and an HIU behind the gateway, for Telemed as HIP: the consent manager notifies the HIP of a
/// granted or revoked consent artefact (<c>/api/v3/consent/request/hip/notify</c>) and relays an HIU's request for
/// health information (<c>/api/v3/hip/health-information/request</c>) with the HIU's Fidelius key material and a
/// dataPushUrl on this simulator; the HIU receives the encrypted pages there and decrypts them with its own keys. What
/// the HIP answers the gateway (on-notify, on-request, the transfer notification) is kept for the tests.
/// </summary>
public sealed class ConsentManager(SimulatorState state, Gateway gateway)
{
    public const string PushPath = "/simulator/hiu/data-push";

    /// <summary>The HIP's acknowledgements of consent notifications (on-notify), newest last.</summary>
    public ConcurrentQueue<JsonObject> ConsentAcknowledgements { get; } = new();

    /// <summary>The HIP's answers to health-information requests (on-request), newest last.</summary>
    public ConcurrentQueue<JsonObject> RequestAnswers { get; } = new();

    /// <summary>The HIP's transfer notifications, newest last.</summary>
    public ConcurrentQueue<JsonObject> TransferNotifications { get; } = new();

    /// <summary>Pages the HIP pushed to the HIU, in arrival order.</summary>
    public ConcurrentQueue<PushedPage> Pushed { get; } = new();

    /// <summary>Answers the next pushes with this status instead of taking them (the HIU down).</summary>
    public ConcurrentQueue<int> PushFailures { get; } = new();

    /// <summary>Run after the next push is taken and before it is answered: something that happens mid-transfer (a revocation).</summary>
    public ConcurrentQueue<Func<Task>> AfterPush { get; } = new();

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/hiecm/consent/v3/request/hip/on-notify", (HttpRequest request, ConsentManager cm) => Keep(request, cm.ConsentAcknowledgements));
        app.MapPost("/api/hiecm/data-flow/v3/health-information/hip/on-request", (HttpRequest request, ConsentManager cm) => Keep(request, cm.RequestAnswers));
        app.MapPost("/api/hiecm/data-flow/v3/health-information/notify", (HttpRequest request, ConsentManager cm) => Keep(request, cm.TransferNotifications));
        foreach (var (path, required) in new[] { (OnDiscoverPath, "transactionId"), (OnInitPath, "transactionId"), (OnConfirmPath, "response") })
        {
            app.MapPost(path, (HttpRequest request, SimulatorState state) => Relay(request, state, required));
        }
        app.MapPost(PushPath, async (HttpRequest request, ConsentManager cm) =>
        {
            if (cm.PushFailures.TryDequeue(out var status))
            {
                return Results.StatusCode(status);
            }
            var body = await AbhaService.Body(request);
            cm.Pushed.Enqueue(new PushedPage(body["transactionId"]?.GetValue<string>() ?? "", body));
            if (cm.AfterPush.TryDequeue(out var then))
            {
                await then();
            }
            return Results.Accepted();
        });
    }

    public const string OnDiscoverPath = "/api/hiecm/user-initiated-linking/v3/patient/care-context/on-discover";
    public const string OnInitPath = "/api/hiecm/user-initiated-linking/v3/link/care-context/on-init";
    public const string OnConfirmPath = "/api/hiecm/user-initiated-linking/v3/link/care-context/on-confirm";

    /// <summary>
    /// The HIP's answer to a step of user-initiated linking, relayed to the PHR app that is waiting for it: only for a
    /// request the consent manager sent, and an answer is either the result or an error (each step's own fields).
    /// </summary>
    private static async Task<IResult> Relay(HttpRequest request, SimulatorState state, string required)
    {
        var body = await AbhaService.Body(request);
        var answers = body["response"]?["requestId"]?.GetValue<string>() ?? "";
        if (!state.Answering.TryGetValue(answers, out var waiting))
        {
            return AbdmErrors.Wrapped(400, "ABDM-1030", "Request id not found");
        }
        if (body[required] is null)
        {
            return AbdmErrors.Field(required, $"{required} is required");
        }
        var path = request.Path.Value;
        if (body["error"] is null && ((path == OnInitPath && body["link"]?["referenceNumber"] is null)
            || (path != OnInitPath && (body["patient"] as JsonArray)?.Count is null or 0)))
        {
            return AbdmErrors.Field(path == OnInitPath ? "link" : "patient", "Either the result or an error is required");
        }
        waiting.TrySetResult(body);
        return Results.Accepted();
    }

    private static async Task<IResult> Keep(HttpRequest request, ConcurrentQueue<JsonObject> into)
    {
        into.Enqueue(await AbhaService.Body(request));
        return Results.Accepted();
    }

    /// <summary>The patient approved a consent in their PHR app: the artefact is notified to the HIP.</summary>
    public async Task<(string ConsentId, SentCallback Sent)> Grant(
        string hipId, string abhaAddress, IReadOnlyList<ConsentedRecord> records, IReadOnlyList<string> hiTypes, DateTimeOffset from, DateTimeOffset to,
        DateTimeOffset eraseAt, CallbackSigning signing = CallbackSigning.Valid)
    {
        var consentId = Guid.NewGuid().ToString();
        var detail = new JsonObject
        {
            ["schemaVersion"] = "v3",
            ["consentId"] = consentId,
            ["createdAt"] = Format(DateTimeOffset.UtcNow),
            ["patient"] = new JsonObject { ["id"] = abhaAddress },
            ["careContexts"] = new JsonArray([.. records.Select(r => (JsonNode)new JsonObject
            {
                ["patientReference"] = r.PatientReference,
                ["careContextReference"] = r.CareContextReference,
            })]),
            ["purpose"] = new JsonObject { ["text"] = "Care Management", ["code"] = "CAREMGT", ["refUri"] = "http://terminology.hl7.org/ValueSet/v3-PurposeOfUse" },
            ["hip"] = new JsonObject { ["id"] = hipId, ["name"] = "Telemed" },
            ["hiu"] = new JsonObject { ["id"] = "SIM-HIU-1", ["name"] = "Simulated HIU" },
            ["consentManager"] = new JsonObject { ["id"] = state.Options.CmId },
            ["requester"] = new JsonObject { ["name"] = "Dr. Simulated", ["identifier"] = new JsonObject { ["type"] = "REGNO", ["value"] = "MH1001", ["system"] = "https://www.mciindia.org" } },
            ["hiTypes"] = new JsonArray([.. hiTypes.Select(t => (JsonNode)JsonValue.Create(t))]),
            ["permission"] = new JsonObject
            {
                ["accessMode"] = "VIEW",
                ["dateRange"] = new JsonObject { ["from"] = Format(from), ["to"] = Format(to) },
                ["dataEraseAt"] = Format(eraseAt),
                ["frequency"] = new JsonObject { ["unit"] = "HOUR", ["value"] = 1, ["repeats"] = 0 },
            },
        };
        var body = new JsonObject
        {
            ["notification"] = new JsonObject
            {
                ["status"] = "GRANTED",
                ["consentId"] = consentId,
                ["consentDetail"] = detail,
                ["signature"] = Convert.ToBase64String(state.Keys.Sign(Encoding.UTF8.GetBytes(detail.ToJsonString()))),
                ["grantAcknowledgement"] = false,
            },
        };
        return (consentId, await gateway.Post("/api/v3/consent/request/hip/notify", hipId, body, signing));
    }

    /// <summary>The patient revoked the consent: the HIP is told.</summary>
    public Task<SentCallback> Revoke(string hipId, string consentId) =>
        gateway.Post("/api/v3/consent/request/hip/notify", hipId, new JsonObject
        {
            ["notification"] = new JsonObject { ["status"] = "REVOKED", ["consentId"] = consentId },
        }, CallbackSigning.Valid);

    /// <summary>The HIU asks for the records under a consent, with fresh key material of its own and this simulator as dataPushUrl.</summary>
    public async Task<HiuRequest> RequestHealthInformation(string hipId, string consentId, DateTimeOffset from, DateTimeOffset to, CallbackSigning signing = CallbackSigning.Valid)
    {
        var keys = FideliusKeys.Generate();
        var transactionId = Guid.NewGuid().ToString();
        var body = new JsonObject
        {
            ["transactionId"] = transactionId,
            ["hiRequest"] = new JsonObject
            {
                ["consent"] = new JsonObject { ["id"] = consentId },
                ["dateRange"] = new JsonObject { ["from"] = Format(from), ["to"] = Format(to) },
                ["dataPushUrl"] = new Uri(state.Address, PushPath).ToString(),
                ["keyMaterial"] = new JsonObject
                {
                    ["cryptoAlg"] = FideliusKeys.CryptoAlgorithm,
                    ["curve"] = FideliusKeys.Curve,
                    ["dhPublicKey"] = new JsonObject
                    {
                        ["expiry"] = Format(DateTimeOffset.UtcNow.AddHours(1)),
                        ["parameters"] = FideliusKeys.Parameters,
                        ["keyValue"] = keys.PublicKey,
                    },
                    ["nonce"] = keys.Nonce,
                },
            },
        };
        var sent = await gateway.Post("/api/v3/hip/health-information/request", hipId, body, signing);
        return new HiuRequest(transactionId, consentId, keys, sent);
    }

    /// <summary>The HIP's transfer notification for a transaction, waiting for it.</summary>
    public Task<JsonObject> Notification(string transactionId, TimeSpan? within = null) =>
        TransferNotifications.WaitFor(n => n["notification"]?["transactionId"]?.GetValue<string>() == transactionId, within);

    /// <summary>The HIP's answer (on-request) to a transaction's request, waiting for it.</summary>
    public Task<JsonObject> Answer(string transactionId, TimeSpan? within = null) =>
        RequestAnswers.WaitFor(a => a["hiRequest"]?["transactionId"]?.GetValue<string>() == transactionId, within);

    /// <summary>The HIP's acknowledgement of a consent notification, waiting for it.</summary>
    public Task<JsonObject> Acknowledgement(string consentId, TimeSpan? within = null) =>
        ConsentAcknowledgements.WaitFor(a => a["acknowledgement"]?["consentId"]?.GetValue<string>() == consentId, within);

    /// <summary>Everything pushed for the request, decrypted with the HIU's key material; throws if anything fails to decrypt.</summary>
    public IReadOnlyList<ReceivedDocument> Decrypt(HiuRequest request)
    {
        var documents = new List<ReceivedDocument>();
        foreach (var page in Pushed.Where(p => p.TransactionId == request.TransactionId))
        {
            var hip = page.Body["keyMaterial"]!;
            var publicKey = hip["dhPublicKey"]!["keyValue"]!.GetValue<string>();
            var nonce = hip["nonce"]!.GetValue<string>();
            foreach (var entry in page.Body["entries"]!.AsArray().OfType<JsonObject>())
            {
                var json = request.Keys.Decrypt(entry["content"]!.GetValue<string>(), publicKey, nonce);
#pragma warning disable CA5351 // ABDM's checksum is MD5 by its specification.
                var checksum = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(json)));
#pragma warning restore CA5351
                documents.Add(new ReceivedDocument(entry["careContextReference"]!.GetValue<string>(), json, checksum == entry["checksum"]?.GetValue<string>()));
            }
        }
        return documents;
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>Waiting for what Telemed sent the simulator.</summary>
public static class Received
{
    /// <summary>The first body in the queue that matches, waiting for it (20 seconds unless told).</summary>
    public static async Task<JsonObject> WaitFor(this ConcurrentQueue<JsonObject> queue, Func<JsonObject, bool> match, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (queue.FirstOrDefault(match) is { } found)
            {
                return found;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Telemed did not call the gateway in time.");
            }
            await Task.Delay(20);
        }
    }
}
