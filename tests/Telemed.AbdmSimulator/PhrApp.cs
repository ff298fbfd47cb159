using System.Globalization;
using System.Text.Json.Nodes;

namespace Telemed.AbdmSimulator;

/// <summary>What came of a profile share: the bridge's answer, and the HIP's on-share (with the token) if it came in time.</summary>
public sealed record ShareOutcome(SentCallback Sent, JsonObject? OnShare)
{
    public string? TokenNumber => OnShare?["acknowledgement"]?["profile"]?["tokenNumber"]?.GetValue<string>();

    public string? ErrorMessage => OnShare?["error"]?["message"]?.GetValue<string>();
}

/// <summary>What came of a step of user-initiated linking: the bridge's answer, and the HIP's on-* (if it came in time).</summary>
public sealed record LinkStep(SentCallback Sent, JsonObject? Answer, string TransactionId)
{
    public string? ErrorMessage => Answer?["error"]?["message"]?.GetValue<string>();

    /// <summary>The care context references in the answer's patient entries, each once.</summary>
    public IReadOnlyList<string> CareContexts =>
        [.. (Answer?["patient"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(p => p["careContexts"]!.AsArray().OfType<JsonObject>())
            .Select(c => c["referenceNumber"]!.GetValue<string>()).Distinct()];

    public string? PatientReference => (Answer?["patient"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault()?["referenceNumber"]?.GetValue<string>();

    public string? LinkReference => Answer?["link"]?["referenceNumber"]?.GetValue<string>();
}

/// <summary>What a discovery tells the HIP about the patient besides their ABHA address.</summary>
[Flags]
public enum DiscoveryFacts
{
    AddressOnly = 0,
    AbhaNumber = 1,
    Mobile = 2,
    Everything = AbhaNumber | Mobile,
}

/// <summary>
/// A patient's PHR app scanning a facility's counter QR code: the patient consents, and ABDM posts their profile to the
/// facility's bridge (<c>/api/v3/hip/patient/share</c>), then waits for the HIP's on-share with the token number.
/// </summary>
public sealed class PhrApp(SimulatorState state, Gateway gateway)
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/simulator/phr/share", async (ShareRequest request, PhrApp phr) =>
        {
            if (request.AbhaAddress is null || request.HipId is null)
            {
                return Results.BadRequest(new { message = "abhaAddress and hipId are required (context is the counter code)." });
            }
            var outcome = await phr.Share(request.AbhaAddress, request.HipId, request.Context ?? "REG-1");
            return Results.Json(new { requestId = outcome.Sent.RequestId, bridgeStatus = outcome.Sent.Status, onShare = outcome.OnShare });
        });

    public sealed record ShareRequest(string? AbhaAddress, string? HipId, string? Context);

    /// <summary>Shares the profile of an ABHA address with a facility's counter, and waits for the answer.</summary>
    public async Task<ShareOutcome> Share(string abhaAddress, string hipId, string context, CallbackSigning signing = CallbackSigning.Valid, TimeSpan? wait = null)
    {
        var account = state.People.ByAddress(abhaAddress) ?? throw new ArgumentException($"No ABHA account has the address {abhaAddress}.", nameof(abhaAddress));
        var person = account.Person;
        var body = new JsonObject
        {
            ["intent"] = "PROFILE_SHARE",
            ["metaData"] = new JsonObject
            {
                ["hipId"] = hipId,
                ["context"] = context,
                ["hprId"] = null,
                ["latitude"] = "18.5204",
                ["longitude"] = "73.8567",
            },
            ["profile"] = new JsonObject
            {
                ["patient"] = new JsonObject
                {
                    ["abhaNumber"] = account.Number,
                    ["abhaAddress"] = account.PreferredAddress,
                    ["name"] = person.Name,
                    ["gender"] = person.Gender,
                    ["dayOfBirth"] = person.DateOfBirth.Day.ToString(CultureInfo.InvariantCulture),
                    ["monthOfBirth"] = person.DateOfBirth.Month.ToString(CultureInfo.InvariantCulture),
                    ["yearOfBirth"] = person.DateOfBirth.Year.ToString(CultureInfo.InvariantCulture),
                    ["address"] = new JsonObject { ["line"] = "", ["district"] = person.District, ["state"] = person.State, ["pincode"] = "411005" },
                    ["phoneNumber"] = account.Mobile,
                },
            },
        };
        var requestId = Guid.NewGuid().ToString();
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        state.Answering[requestId] = answer;
        var sent = await gateway.Post("/api/v3/hip/patient/share", hipId, body, signing, requestId);
        var onShare = sent.Status is >= 200 and < 300 ? await Answer(answer.Task, wait ?? TimeSpan.FromSeconds(15)) : null;
        return new ShareOutcome(sent, onShare);
    }

    /// <summary>
    /// The patient looks for their records at a facility: the consent manager asks the HIP
    /// (<c>/api/v3/hip/patient/care-context/discover</c>) with the ABHA address, demographics and the identifiers it
    /// verified, and relays the HIP's on-discover.
    /// </summary>
    public Task<LinkStep> Discover(string abhaAddress, string hipId, DiscoveryFacts facts = DiscoveryFacts.Everything, CallbackSigning signing = CallbackSigning.Valid)
    {
        var account = state.People.ByAddress(abhaAddress) ?? throw new ArgumentException($"No ABHA account has the address {abhaAddress}.", nameof(abhaAddress));
        var identifiers = new JsonArray();
        if (facts.HasFlag(DiscoveryFacts.Mobile) && account.Mobile is { } mobile)
        {
            identifiers.Add(new JsonObject { ["type"] = "MOBILE", ["value"] = mobile });
        }
        if (facts.HasFlag(DiscoveryFacts.AbhaNumber))
        {
            identifiers.Add(new JsonObject { ["type"] = "ABHA_NUMBER", ["value"] = account.Number });
        }
        var transactionId = Guid.NewGuid().ToString();
        return Step("/api/v3/hip/patient/care-context/discover", hipId, transactionId, new JsonObject
        {
            ["transactionId"] = transactionId,
            ["patient"] = new JsonObject
            {
                ["id"] = abhaAddress,
                ["name"] = account.Person.Name,
                ["gender"] = account.Person.Gender,
                ["yearOfBirth"] = account.Person.DateOfBirth.Year,
                ["verifiedIdentifiers"] = identifiers,
                ["unverifiedIdentifiers"] = new JsonArray(),
            },
        }, signing);
    }

    /// <summary>The patient picks care contexts the discovery offered: the HIP texts them an OTP and answers with a link reference.</summary>
    public Task<LinkStep> Init(string hipId, string transactionId, string abhaAddress, string patientReference, IReadOnlyList<string> careContexts,
        CallbackSigning signing = CallbackSigning.Valid) =>
        Step("/api/v3/hip/link/care-context/init", hipId, transactionId, new JsonObject
        {
            ["transactionId"] = transactionId,
            ["abhaAddress"] = abhaAddress,
            ["patient"] = new JsonArray(new JsonObject
            {
                ["referenceNumber"] = patientReference,
                ["careContexts"] = new JsonArray([.. careContexts.Select(c => (JsonNode)new JsonObject { ["referenceNumber"] = c })]),
                ["hiType"] = "OPConsultation",
                ["count"] = careContexts.Count,
            }),
        }, signing);

    /// <summary>The patient types the OTP; on the HIP's on-confirm with care contexts, the consent manager holds them as linked to the ABHA.</summary>
    public async Task<LinkStep> Confirm(string hipId, string transactionId, string abhaAddress, string linkReference, string otp, CallbackSigning signing = CallbackSigning.Valid)
    {
        var step = await Step("/api/v3/hip/link/care-context/confirm", hipId, transactionId, new JsonObject
        {
            ["confirmation"] = new JsonObject { ["linkRefNumber"] = linkReference, ["token"] = otp },
        }, signing);
        if (step.Answer?["error"] is null && state.People.ByAddress(abhaAddress) is { } account)
        {
            foreach (var entry in (step.Answer?["patient"] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var context in entry["careContexts"]!.AsArray().OfType<JsonObject>())
                {
                    state.Link(new LinkedCareContext(account.Number, hipId, entry["referenceNumber"]!.GetValue<string>(),
                        context["referenceNumber"]!.GetValue<string>(), entry["hiType"]!.GetValue<string>(), "PATIENT"));
                }
            }
        }
        return step;
    }

    private async Task<LinkStep> Step(string path, string hipId, string transactionId, JsonObject body, CallbackSigning signing)
    {
        var requestId = Guid.NewGuid().ToString();
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        state.Answering[requestId] = answer;
        var sent = await gateway.Post(path, hipId, body, signing, requestId);
        var onStep = sent.Status is >= 200 and < 300 ? await Answer(answer.Task, TimeSpan.FromSeconds(15)) : null;
        return new LinkStep(sent, onStep, transactionId);
    }

    /// <summary>Posts a share again exactly as first sent; the HIP must not act on it twice.</summary>
    public async Task<SentCallback> Replay(ShareOutcome outcome) => await gateway.Replay(outcome.Sent);

    private static async Task<JsonObject?> Answer(Task<JsonObject> answer, TimeSpan wait)
    {
        var first = await Task.WhenAny(answer, Task.Delay(wait));
        return first == answer ? await answer : null;
    }
}
