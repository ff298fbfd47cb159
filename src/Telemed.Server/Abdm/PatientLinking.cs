using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain.Abdm;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Messages;
using Telemed.Server.Records;

namespace Telemed.Server.Abdm;

/// <summary>
/// A discovery the consent manager made on a PHR app's behalf, by its transaction id: the patient it found (if any)
/// and the care contexts offered, so a link can be started only for those, in that transaction.
/// </summary>
public sealed record LinkDiscovery(string Id, string AbhaAddress, Guid? PatientId, IReadOnlyList<Guid> Offered, DateTimeOffset At);

/// <summary>
/// A link the patient started in their PHR app, by its link reference: the care contexts, and the OTP sent to the
/// patient's mobile (kept only as a keyed hash; the code itself is derived when the SMS is handed over).
/// </summary>
public sealed record PatientLinkRequest(
    string Id, string TransactionId, Guid PatientId, string AbhaAddress, IReadOnlyList<Guid> CareContexts, string CodeHash, LinkCode Code, DateTimeOffset At);

/// <summary>
/// User-initiated linking, Telemed as HIP: the consent manager asks which of a patient's care contexts Telemed holds
/// (<see cref="DiscoverPath"/>, answered at <see cref="OnDiscoverPath"/> with the matched patient's unlinked care
/// contexts, or "not found"); the patient picks some (<see cref="InitPath"/>): Telemed texts them an OTP and answers
/// with a link reference (<see cref="OnInitPath"/>); the patient types the OTP in their PHR app (<see cref="ConfirmPath"/>):
/// checked, the care contexts linked and listed back (<see cref="OnConfirmPath"/>).
/// </summary>
public sealed class PatientLinking(
    HipGateway gateway, IDocumentStore store, Messenger messenger, MessageSecrets secrets, IOptions<AbdmOptions> options, TimeProvider time)
{
    public const string DiscoverPath = "/api/v3/hip/patient/care-context/discover";
    public const string OnDiscoverPath = "/api/hiecm/user-initiated-linking/v3/patient/care-context/on-discover";
    public const string InitPath = "/api/v3/hip/link/care-context/init";
    public const string OnInitPath = "/api/hiecm/user-initiated-linking/v3/link/care-context/on-init";
    public const string ConfirmPath = "/api/v3/hip/link/care-context/confirm";
    public const string OnConfirmPath = "/api/hiecm/user-initiated-linking/v3/link/care-context/on-confirm";

    public static Task<IResult> ReceiveDiscover(HttpContext http, PatientLinking linking, CancellationToken cancellationToken) => linking.Discover(http, cancellationToken);

    public static Task<IResult> ReceiveInit(HttpContext http, PatientLinking linking, CancellationToken cancellationToken) => linking.Init(http, cancellationToken);

    public static Task<IResult> ReceiveConfirm(HttpContext http, PatientLinking linking, CancellationToken cancellationToken) => linking.Confirm(http, cancellationToken);

    private async Task<IResult> Discover(HttpContext http, CancellationToken cancellationToken)
    {
        var body = await CallbackBodies.Read(http, cancellationToken);
        var transactionId = AbhaProfiles.Text(body["transactionId"]);
        var patient = body["patient"] as JsonObject;
        var address = AbhaProfiles.Text(patient?["id"]);
        if (transactionId is null || address is null)
        {
            return Problems.Invalid("patient", "A discovery names its transaction (transactionId) and the patient's ABHA address (patient.id).");
        }
        var query = new DiscoveryQuery(address, AbhaProfiles.Text(patient!["name"]), AbhaProfiles.Text(patient["gender"]) switch
        {
            "F" => Sex.Female,
            "M" => Sex.Male,
            "O" => Sex.Other,
            _ => Sex.Unknown,
        }, patient["yearOfBirth"] is JsonValue year && int.TryParse(year.ToString(), CultureInfo.InvariantCulture, out var born) ? born : null,
            [.. (patient["verifiedIdentifiers"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(i => (Type: AbhaProfiles.Text(i["type"]), Value: AbhaProfiles.Text(i["value"])))
                .Where(i => i.Type is not null && i.Value is not null).Select(i => new DiscoveryIdentifier(i.Type!, i.Value!))]);
        var requestId = GatewayCallbacks.RequestId(http);
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        var match = Discovery.Match(query, await Candidates(session, query, cancellationToken));
        IReadOnlyList<LinkableCareContext> offered = match is { } found ? await Unlinked(session, found.Patient.PatientId, cancellationToken) : [];
        session.Insert(new ReceivedCallback(requestId, DiscoverPath, now));
        session.Insert(new LinkDiscovery(transactionId, address, match?.Patient.PatientId, [.. offered.Select(c => c.ConsultationId)], now));
        if (!await Saved(http, session, cancellationToken))
        {
            return TypedResults.Accepted((string?)null);
        }
        var answer = new JsonObject { ["transactionId"] = transactionId, ["response"] = new JsonObject { ["requestId"] = requestId } };
        if (match is { } matched && offered.Count > 0)
        {
            answer["patient"] = LinkableCareContext.Patients(matched.Patient.PatientId, matched.Patient.Name, offered);
            answer["matchedBy"] = new JsonArray(matched.By switch
            {
                DiscoveryMatch.AbhaAddress => "ABHA_ADDRESS",
                DiscoveryMatch.AbhaNumber => "ABHA_NUMBER",
                _ => "MOBILE",
            });
        }
        else
        {
            answer["patient"] = new JsonArray();
            answer["error"] = match is null
                ? Error("ABDM-1010", "Patient not found")
                : Error("ABDM-1010", "No unlinked care contexts for this patient");
        }
        gateway.Soon(() => gateway.Post(OnDiscoverPath, answer));
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>Everyone the query could be: holders of the ABHA it names, and patients with its verified mobile.</summary>
    private static async Task<IReadOnlyList<DiscoveryCandidate>> Candidates(IQuerySession session, DiscoveryQuery query, CancellationToken cancellationToken)
    {
        var number = query.VerifiedIdentifiers.FirstOrDefault(i => i.Type == Discovery.AbhaNumberIdentifier)?.Value is { } given
            && new string([.. given.Where(char.IsAsciiDigit)]) is { Length: 14 } digits
            ? $"{digits[..2]}-{digits[2..6]}-{digits[6..10]}-{digits[10..]}"
            : null;
        var address = query.AbhaAddress;
        var holders = await session.Query<PatientAbha>()
            .Where(a => a.Profile.Number == number || a.Profile.Address!.Equals(address, StringComparison.OrdinalIgnoreCase)).ToListAsync(cancellationToken);
        var mobile = query.VerifiedIdentifiers.FirstOrDefault(i => i.Type == Discovery.MobileIdentifier)?.Value is { } raw
            && MobileNumber.Parse(raw) is { IsSuccess: true } parsed ? parsed.Value.Value : null;
        var ids = holders.Select(h => h.Id).ToList();
        var accounts = await session.Query<PatientAccount>().Where(p => p.Id.In(ids.ToArray()) || p.Mobile == mobile).ToListAsync(cancellationToken);
        var abhas = (await session.LoadManyAsync<PatientAbha>(cancellationToken, accounts.Select(a => a.Id))).ToDictionary(a => a.Id);
        return [.. accounts.Select(a => new DiscoveryCandidate(a.Id, abhas.GetValueOrDefault(a.Id)?.Profile.Number, abhas.GetValueOrDefault(a.Id)?.Profile.Address,
            a.Name, a.Sex, a.YearOfBirth, a.Mobile))];
    }

    /// <summary>The patient's completed care contexts not linked to an ABHA yet.</summary>
    private static async Task<IReadOnlyList<LinkableCareContext>> Unlinked(IQuerySession session, Guid patientId, CancellationToken cancellationToken)
    {
        var completed = await session.Query<CareContext>()
            .Where(c => c.PatientId == patientId && c.Status == ConsultationStatus.Completed).ToListAsync(cancellationToken);
        var linked = (await session.LoadManyAsync<CareContextLink>(cancellationToken, completed.Select(c => c.Id)))
            .Where(l => l.State == CareContextLinkState.Linked).Select(l => l.Id).ToHashSet();
        return [.. completed.Where(c => !linked.Contains(c.Id)).OrderBy(c => c.EndedAt).Select(LinkableCareContext.Of)];
    }

    private async Task<IResult> Init(HttpContext http, CancellationToken cancellationToken)
    {
        var body = await CallbackBodies.Read(http, cancellationToken);
        var transactionId = AbhaProfiles.Text(body["transactionId"]);
        var entries = (body["patient"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (transactionId is null || entries.Count == 0)
        {
            return Problems.Invalid("patient", "A link request names its transaction (transactionId) and the care contexts to link (patient[].careContexts).");
        }
        var requestId = GatewayCallbacks.RequestId(http);
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        session.Insert(new ReceivedCallback(requestId, InitPath, now));
        var discovery = await session.LoadAsync<LinkDiscovery>(transactionId, cancellationToken);
        var patientReferences = entries.Select(e => AbhaProfiles.Text(e["referenceNumber"])).Distinct().ToList();
        var wanted = entries.SelectMany(e => (e["careContexts"] as JsonArray ?? []).OfType<JsonObject>())
            .Select(c => Guid.TryParse(AbhaProfiles.Text(c["referenceNumber"]), out var id) ? id : Guid.Empty).Distinct().ToList();
        var answer = new JsonObject { ["transactionId"] = transactionId, ["response"] = new JsonObject { ["requestId"] = requestId } };
        // Only what this transaction's discovery offered, for the patient it found: nothing else can be asked for.
        if (discovery?.PatientId is not { } patientId || patientReferences is not [var reference] || reference != patientId.ToString()
            || wanted.Count == 0 || wanted.Any(id => !discovery.Offered.Contains(id)))
        {
            answer["error"] = Error("ABDM-1010", "The care contexts asked for were not offered to this transaction.");
        }
        else if (await PatientMessages.Addressee(session, patientId, cancellationToken) is not { } addressee)
        {
            answer["error"] = Error("ABDM-1010", "Patient not found");
        }
        else
        {
            var linkReference = Guid.NewGuid().ToString();
            var codeId = Ids.New();
            var expiresAt = now.AddMinutes(options.Value.LinkCodeMinutes);
            session.Insert(new PatientLinkRequest(linkReference, transactionId, patientId, discovery.AbhaAddress, wanted,
                secrets.CodeHash(linkReference, secrets.SignInCode(codeId)), new LinkCode(expiresAt, 0, false), now));
            var queued = messenger.Queue(session, MessageCatalogue.RecordLinkCode, addressee.Mobile, addressee.Language,
                new Dictionary<string, string> { ["minutes"] = options.Value.LinkCodeMinutes.ToString(CultureInfo.InvariantCulture) },
                new SecretVariable("code", SecretKind.SignInCode, codeId), expiresAt: expiresAt);
            if (!queued.IsSuccess)
            {
                throw new InvalidOperationException($"The link code message does not compose: {queued.Error.Message}");
            }
            answer["link"] = new JsonObject
            {
                ["referenceNumber"] = linkReference,
                ["authenticationType"] = "DIRECT",
                ["meta"] = new JsonObject
                {
                    ["communicationMedium"] = "MOBILE",
                    ["communicationHint"] = "OTP",
                    ["communicationExpiry"] = AbdmHeaders.Format(expiresAt),
                },
            };
        }
        if (await Saved(http, session, cancellationToken))
        {
            gateway.Soon(() => gateway.Post(OnInitPath, answer));
        }
        return TypedResults.Accepted((string?)null);
    }

    private async Task<IResult> Confirm(HttpContext http, CancellationToken cancellationToken)
    {
        var body = await CallbackBodies.Read(http, cancellationToken);
        var linkReference = AbhaProfiles.Text(body["confirmation"]?["linkRefNumber"]);
        var code = AbhaProfiles.Text(body["confirmation"]?["token"]);
        if (linkReference is null || code is null)
        {
            return Problems.Invalid("confirmation", "A link confirmation names its link (confirmation.linkRefNumber) and the OTP (confirmation.token).");
        }
        var requestId = GatewayCallbacks.RequestId(http);
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        session.Insert(new ReceivedCallback(requestId, ConfirmPath, now));
        var answer = new JsonObject { ["response"] = new JsonObject { ["requestId"] = requestId } };
        if (await session.LoadAsync<PatientLinkRequest>(linkReference, cancellationToken) is not { } request)
        {
            answer["error"] = Error("ABDM-1010", "No link with this reference number.");
        }
        else
        {
            var matches = CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(secrets.CodeHash(linkReference, code.Trim())), Encoding.ASCII.GetBytes(request.CodeHash));
            var check = LinkCodes.Check(request.Code, matches, now);
            session.Store(request with { Code = check.Code });
            if (check.Outcome == LinkCodeOutcome.Linked)
            {
                var contexts = await Link(session, request, now, cancellationToken);
                var name = (await session.LoadAsync<PatientAccount>(request.PatientId, cancellationToken))?.Name ?? "";
                answer["patient"] = LinkableCareContext.Patients(request.PatientId, name, contexts);
            }
            else
            {
                answer["error"] = check.Outcome switch
                {
                    LinkCodeOutcome.WrongCode => Error("ABDM-1000", $"The OTP is not right: {check.AttemptsLeft} attempt(s) left."),
                    LinkCodeOutcome.Expired => Error("ABDM-1000", "The OTP has expired: link the records again to get a new one."),
                    LinkCodeOutcome.Locked => Error("ABDM-1000", "Too many wrong OTPs: link the records again to get a new one."),
                    _ => Error("ABDM-1000", "This link was already confirmed."),
                };
            }
        }
        if (await Saved(http, session, cancellationToken))
        {
            gateway.Soon(() => gateway.Post(OnConfirmPath, answer));
        }
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>Marks the request's care contexts linked by the patient; one already linked stays as it was linked.</summary>
    private static async Task<IReadOnlyList<LinkableCareContext>> Link(IDocumentSession session, PatientLinkRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var abha = await session.LoadAsync<PatientAbha>(request.PatientId, cancellationToken);
        var contexts = await session.LoadManyAsync<CareContext>(cancellationToken, request.CareContexts);
        var links = (await session.LoadManyAsync<CareContextLink>(cancellationToken, request.CareContexts)).ToDictionary(l => l.Id);
        foreach (var context in contexts.Where(c => c.PatientId == request.PatientId))
        {
            if (links.TryGetValue(context.Id, out var link))
            {
                if (link.State != CareContextLinkState.Linked)
                {
                    session.Store(link with { State = CareContextLinkState.Linked, LinkedBy = CareContextLinkedBy.Patient, ErrorCode = null, Error = null, UpdatedAt = now });
                }
            }
            else
            {
                session.Insert(new CareContextLink(context.Id, context.PatientId, abha?.Profile.Number ?? request.AbhaAddress, CareContextLinkState.Linked, 0, now,
                    null, null, null, null, CareContextLinkedBy.Patient, now));
            }
        }
        return [.. contexts.Where(c => c.PatientId == request.PatientId).Select(LinkableCareContext.Of)];
    }

    /// <summary>Saves a callback's work; false for a replay (the same REQUEST-ID, already acted on), audited as such.</summary>
    private static async Task<bool> Saved(HttpContext http, IDocumentSession session, CancellationToken cancellationToken)
    {
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DocumentAlreadyExistsException)
        {
            await GatewayCallbacks.Replayed(http);
            return false;
        }
    }

    private static JsonObject Error(string code, string message) => new() { ["code"] = code, ["message"] = message };
}
