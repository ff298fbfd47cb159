using System.Globalization;
using System.Text.Json.Nodes;

namespace Telemed.AbdmSimulator;

/// <summary>What came of a profile share: the bridge's answer, and the HIP's on-share (with the token) if it came in time.</summary>
public sealed record ShareOutcome(SentCallback Sent, JsonObject? OnShare)
{
    public string? TokenNumber => OnShare?["acknowledgement"]?["profile"]?["tokenNumber"]?.GetValue<string>();

    public string? ErrorMessage => OnShare?["error"]?["message"]?.GetValue<string>();
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

    /// <summary>Posts a share again exactly as first sent; the HIP must not act on it twice.</summary>
    public async Task<SentCallback> Replay(ShareOutcome outcome) => await gateway.Replay(outcome.Sent);

    private static async Task<JsonObject?> Answer(Task<JsonObject> answer, TimeSpan wait)
    {
        var first = await Task.WhenAny(answer, Task.Delay(wait));
        return first == answer ? await answer : null;
    }
}
