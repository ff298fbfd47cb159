using System.Text.Json.Nodes;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Abdm;
using Telemed.Domain.Records;
using Telemed.Server.Infrastructure;
using Telemed.Server.Records;

namespace Telemed.Server.Abdm;

/// <summary>
/// A consent request Telemed made as HIU for a patient's records held elsewhere: what the doctor asked for, where
/// the consent manager says it stands, and where the other HIPs push to (<see cref="PushBase"/>).
/// </summary>
public sealed record HiuConsentRequest(
    Guid Id, Guid PatientId, Guid DoctorId, string AbhaAddress, string PurposeCode, IReadOnlyList<string> HiTypes, DateTimeOffset From, DateTimeOffset To,
    DateTimeOffset ExpiresAt, DateTimeOffset RequestedAt, string PushBase, string? ConsentRequestId, ConsentRequestStatus Status, string? Problem,
    DateTimeOffset ChangedAt);

/// <summary>One consent artefact a granted request produced (one per HIP holding records), as fetched from the consent manager.</summary>
public sealed record HiuArtefact(
    string Id, Guid ConsentRequestId, Guid PatientId, ConsentRequestStatus Status, string? HipId, string? HipName, IReadOnlyList<string> HiTypes,
    IReadOnlyList<ConsentedCareContext> CareContexts, DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset? DataEraseAt, string? Problem);

/// <summary>
/// A health-information request under one artefact: the key pair made for it (the private key protected with Data
/// Protection, never shown), the transaction the consent manager gave it, and how many pages the HIP announced.
/// Its id is in the dataPushUrl, so only who was given that URL can push to it.
/// </summary>
public sealed record HiuTransfer(
    Guid Id, string ArtefactId, Guid ConsentRequestId, string ProtectedPrivateKey, string Nonce, string? TransactionId, int? PageCount,
    DateTimeOffset RequestedAt, string? Problem, DateTimeOffset? NotifiedAt);

/// <summary>A page of a transfer taken, so a page pushed again stores nothing twice.</summary>
public sealed record HiuPage(string Id, Guid TransferId, DateTimeOffset At);

/// <summary>
/// A document received from another HIP: kept apart from Telemed's own records (never a care context, never in a FHIR
/// export), its content protected at rest, shown read-only with its provenance until <see cref="EraseAt"/> (the
/// artefact's dataEraseAt), then deleted.
/// </summary>
public sealed record ReceivedHealthRecord(
    Guid Id, Guid PatientId, Guid ConsentRequestId, string ArtefactId, Guid TransferId, string? HipId, string? HipName, string CareContextReference,
    string HiType, string? Title, DateTimeOffset? Date, string ProtectedContent, DateTimeOffset ReceivedAt, DateTimeOffset EraseAt);

/// <summary>
/// Telemed as HIU (ABDM M3). A doctor asks for a patient's records held elsewhere: the consent request goes to the consent
/// manager (<see cref="InitPath"/>, answered at <see cref="OnInitPath"/>); the patient approves or denies in their PHR app
/// and the consent manager notifies <see cref="NotifyPath"/>. For each granted artefact Telemed fetches it
/// (<see cref="FetchPath"/> → <see cref="OnFetchPath"/>) and asks for the health information (<see cref="HiRequestPath"/>
/// → <see cref="OnHiRequestPath"/>) with key material made for that request; the HIP pushes the encrypted documents to
/// <see cref="PushPath"/>, where they are decrypted, checked and stored apart; the consent manager is told what arrived.
/// </summary>
public sealed partial class HiuDataFlow(
    GatewayRequests requests, AbdmHttp abdm, HipGateway soon, IDocumentStore store, IDataProtectionProvider dataProtection, IOptions<AbdmOptions> options,
    TimeProvider time, ILogger<HiuDataFlow> logger)
{
    public const string InitPath = "/api/hiecm/consent/v3/request/init";
    public const string OnInitPath = "/api/v3/hiu/consent/request/on-init";
    public const string NotifyPath = "/api/v3/hiu/consent/request/notify";
    public const string OnNotifyPath = "/api/hiecm/consent/v3/request/hiu/on-notify";
    public const string FetchPath = "/api/hiecm/consent/v3/fetch";
    public const string OnFetchPath = "/api/v3/hiu/consent/on-fetch";
    public const string HiRequestPath = "/api/hiecm/data-flow/v3/health-information/request";
    public const string OnHiRequestPath = "/api/v3/hiu/health-information/on-request";
    public const string TransferNotifyPath = "/api/hiecm/data-flow/v3/health-information/notify";
    public const string PushPath = "/api/abdm/hiu/data-push";

    /// <summary>How long the HIP may use the public key Telemed sends with a request.</summary>
    private static readonly TimeSpan KeyLife = TimeSpan.FromHours(1);

    private readonly IDataProtector protector = dataProtection.CreateProtector("Telemed.Abdm.HiuRecords");

    private (string Header, string Id) Hiu => (AbdmHeaders.HiuId, options.Value.HiuIdOrHipId!);

    /// <summary>
    /// Sends a doctor's consent request and waits for the consent manager's on-init (its consent request id). The request
    /// is stored first, so a gateway that answers nothing leaves it visible with the reason.
    /// </summary>
    public async Task<HiuConsentRequest> Ask(HiuConsentRequest request, CancellationToken cancellationToken)
    {
        await Save(request, cancellationToken);
        var body = new JsonObject
        {
            ["consent"] = new JsonObject
            {
                ["purpose"] = new JsonObject
                {
                    ["text"] = ConsentPurposes.Texts[request.PurposeCode], ["code"] = request.PurposeCode,
                    ["refUri"] = "http://terminology.hl7.org/ValueSet/v3-PurposeOfUse",
                },
                ["patient"] = new JsonObject { ["id"] = request.AbhaAddress },
                ["hiu"] = new JsonObject { ["id"] = Hiu.Id },
                ["requester"] = new JsonObject { ["name"] = request.DoctorId.ToString() },
                ["hiTypes"] = new JsonArray([.. request.HiTypes.Select(t => (JsonNode)JsonValue.Create(t))]),
                ["permission"] = new JsonObject
                {
                    ["accessMode"] = "VIEW",
                    ["dateRange"] = new JsonObject { ["from"] = AbdmHeaders.Format(request.From), ["to"] = AbdmHeaders.Format(request.To) },
                    ["dataEraseAt"] = AbdmHeaders.Format(request.ExpiresAt),
                    ["frequency"] = new JsonObject { ["unit"] = "HOUR", ["value"] = 1, ["repeats"] = 0 },
                },
            },
        };
        HiuConsentRequest outcome;
        try
        {
            var answer = await requests.Ask(InitPath, OnInitPath, body, Hiu, cancellationToken);
            outcome = AbhaProfiles.Text(answer["consentRequest"]?["id"]) is { } id
                ? request with { ConsentRequestId = id, ChangedAt = time.GetUtcNow() }
                : request with { Status = ConsentRequestStatus.Denied, Problem = $"{answer["error"]?["code"]} {answer["error"]?["message"]}".Trim(), ChangedAt = time.GetUtcNow() };
        }
        catch (GatewayCallbackTimeoutException)
        {
            outcome = request with { Status = ConsentRequestStatus.Denied, Problem = "The consent manager did not answer in time.", ChangedAt = time.GetUtcNow() };
        }
        catch (Exception e) when (e is AbdmRefusedException or AbdmUnavailableException)
        {
            outcome = request with { Status = ConsentRequestStatus.Denied, Problem = e.Message, ChangedAt = time.GetUtcNow() };
        }
        await Save(outcome, CancellationToken.None);
        return outcome;
    }

    public static Task<IResult> ReceiveNotify(HttpContext http, HiuDataFlow flow, CancellationToken cancellationToken) => flow.Notified(http, cancellationToken);

    public static Task<IResult> ReceivePush(Guid transferId, HttpContext http, HiuDataFlow flow, CancellationToken cancellationToken) =>
        flow.Pushed(transferId, http, cancellationToken);

    /// <summary>
    /// The consent manager says the patient granted, denied, or later revoked the request, or it expired. A grant's
    /// artefacts are fetched and their health information asked for; a revocation or expiry erases what was received.
    /// </summary>
    private async Task<IResult> Notified(HttpContext http, CancellationToken cancellationToken)
    {
        var body = await CallbackBodies.Read(http, cancellationToken);
        var notification = body["notification"] as JsonObject;
        var consentRequestId = AbhaProfiles.Text(notification?["consentRequestId"]);
        var artefactIds = (notification?["consentArtefacts"] as JsonArray)?.OfType<JsonObject>().Select(a => AbhaProfiles.Text(a["id"])).OfType<string>().ToList() ?? [];
        if (!Enum.TryParse<ConsentRequestStatus>(AbhaProfiles.Text(notification?["status"]), ignoreCase: true, out var status) || status == ConsentRequestStatus.Requested)
        {
            return Problems.Invalid("notification.status", "A consent notification's status is GRANTED, DENIED, REVOKED or EXPIRED.");
        }
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        var request = consentRequestId is null ? null
            : await session.Query<HiuConsentRequest>().FirstOrDefaultAsync(r => r.ConsentRequestId == consentRequestId, cancellationToken);
        if (request is null && artefactIds.Count > 0 && await session.LoadAsync<HiuArtefact>(artefactIds[0], cancellationToken) is { } known)
        {
            request = await session.LoadAsync<HiuConsentRequest>(known.ConsentRequestId, cancellationToken);
        }
        if (request is null)
        {
            return Problems.Invalid("notification.consentRequestId", "No consent request of Telemed's has this id.");
        }
        var next = ConsentLifecycle.Next(request.Status, status);
        if (!next.IsSuccess)
        {
            return Problems.Conflict(next.Error.Message);
        }
        session.Insert(new ReceivedCallback(GatewayCallbacks.RequestId(http), NotifyPath, now));
        session.Store(request with { Status = next.Value, ChangedAt = now });
        var artefacts = await session.Query<HiuArtefact>().Where(a => a.ConsentRequestId == request.Id).ToListAsync(cancellationToken);
        if (status == ConsentRequestStatus.Granted)
        {
            foreach (var id in artefactIds.Where(id => artefacts.All(a => a.Id != id)))
            {
                session.Insert(new HiuArtefact(id, request.Id, request.PatientId, ConsentRequestStatus.Granted, null, null, [], [], null, null, null, null));
            }
        }
        else
        {
            foreach (var artefact in artefacts.Where(a => artefactIds.Count == 0 || artefactIds.Contains(a.Id)))
            {
                session.Store(artefact with { Status = status });
                // A revoked or expired consent leaves nothing behind: the HIU keeps no copy of the patient's data.
                session.DeleteWhere<ReceivedHealthRecord>(r => r.ArtefactId == artefact.Id);
            }
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
        var requestId = GatewayCallbacks.RequestId(http);
        soon.Soon(async () =>
        {
            await Post(OnNotifyPath, new JsonObject
            {
                ["acknowledgement"] = new JsonArray([.. artefactIds.Select(id => (JsonNode)new JsonObject { ["status"] = "OK", ["consentId"] = id })]),
                ["response"] = new JsonObject { ["requestId"] = requestId },
            });
            if (status == ConsentRequestStatus.Granted)
            {
                foreach (var id in artefactIds)
                {
                    await Fetch(request, id);
                }
            }
        });
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>Fetches an artefact's detail from the consent manager, then asks its HIP for the health information.</summary>
    private async Task Fetch(HiuConsentRequest request, string artefactId)
    {
        HiuArtefact? artefact;
        await using (var query = store.QuerySession())
        {
            artefact = await query.LoadAsync<HiuArtefact>(artefactId, CancellationToken.None);
        }
        if (artefact is null)
        {
            return;
        }
        try
        {
            var answer = await requests.Ask(FetchPath, OnFetchPath, new JsonObject { ["consentId"] = artefactId }, Hiu, CancellationToken.None);
            artefact = Detail(artefact, answer);
        }
        catch (Exception e) when (e is GatewayCallbackTimeoutException or AbdmRefusedException or AbdmUnavailableException)
        {
            artefact = artefact with { Problem = e.Message };
        }
        await Save(artefact, CancellationToken.None);
        if (artefact.Problem is null && ConsentLifecycle.Usable(artefact.Status, artefact.DataEraseAt!.Value, time.GetUtcNow()))
        {
            await RequestHealthInformation(request, artefact);
        }
    }

    private static HiuArtefact Detail(HiuArtefact artefact, JsonObject answer)
    {
        var detail = answer["consent"]?["consentDetail"] as JsonObject;
        var permission = detail?["permission"];
        if (detail is null || permission is null || !HipDataFlow.Date(permission["dateRange"]?["from"], out var from) || !HipDataFlow.Date(permission["dateRange"]?["to"], out var to)
            || !HipDataFlow.Date(permission["dataEraseAt"], out var eraseAt))
        {
            var error = answer["error"];
            return artefact with { Problem = error is null ? "The consent manager's artefact has no date range or dataEraseAt." : $"{error["code"]} {error["message"]}".Trim() };
        }
        var careContexts = (detail["careContexts"] as JsonArray)?.OfType<JsonObject>()
            .Select(c => (Patient: AbhaProfiles.Text(c["patientReference"]), CareContext: AbhaProfiles.Text(c["careContextReference"])))
            .Where(c => c.Patient is not null && c.CareContext is not null)
            .Select(c => new ConsentedCareContext(c.Patient!, c.CareContext!)).ToList() ?? [];
        return artefact with
        {
            HipId = AbhaProfiles.Text(detail["hip"]?["id"]),
            HipName = AbhaProfiles.Text(detail["hip"]?["name"]),
            HiTypes = (detail["hiTypes"] as JsonArray)?.Select(AbhaProfiles.Text).OfType<string>().ToList() ?? [],
            CareContexts = careContexts,
            From = from,
            To = to,
            DataEraseAt = eraseAt,
            Problem = null,
        };
    }

    /// <summary>Asks the HIP for the artefact's health information, with a key pair and nonce made for this request alone.</summary>
    private async Task RequestHealthInformation(HiuConsentRequest request, HiuArtefact artefact)
    {
        var keys = FideliusKeys.Generate();
        var now = time.GetUtcNow();
        var transfer = new HiuTransfer(Ids.New(), artefact.Id, request.Id, protector.Protect(keys.PrivateKey), keys.Nonce, null, null, now, null, null);
        await Save(transfer, CancellationToken.None);
        var body = new JsonObject
        {
            ["hiRequest"] = new JsonObject
            {
                ["consent"] = new JsonObject { ["id"] = artefact.Id },
                ["dateRange"] = new JsonObject { ["from"] = AbdmHeaders.Format(artefact.From!.Value), ["to"] = AbdmHeaders.Format(artefact.To!.Value) },
                ["dataPushUrl"] = $"{request.PushBase.TrimEnd('/')}{PushPath}/{transfer.Id}",
                ["keyMaterial"] = KeyMaterial.Json(keys.PublicKey, keys.Nonce, now + KeyLife),
            },
        };
        HiuTransfer outcome;
        try
        {
            var answer = await requests.Ask(HiRequestPath, OnHiRequestPath, body, Hiu, CancellationToken.None);
            outcome = AbhaProfiles.Text(answer["hiRequest"]?["transactionId"]) is { } transactionId
                ? transfer with { TransactionId = transactionId }
                : transfer with { Problem = $"{answer["error"]?["code"]} {answer["error"]?["message"]}".Trim() };
        }
        catch (Exception e) when (e is GatewayCallbackTimeoutException or AbdmRefusedException or AbdmUnavailableException)
        {
            outcome = transfer with { Problem = e.Message };
        }
        await using var session = store.LightweightSession();
        // The HIP may have pushed before the on-request was read: keep what the push recorded.
        var current = await session.LoadAsync<HiuTransfer>(transfer.Id, CancellationToken.None) ?? transfer;
        session.Store(current with { TransactionId = current.TransactionId ?? outcome.TransactionId, Problem = outcome.Problem });
        await session.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>
    /// A page the HIP pushed: each entry decrypted with this request's private key and the HIP's key and nonce, its
    /// checksum compared, and read as a FHIR document; only when every entry passes is anything stored. Then, once every
    /// announced page has come, the consent manager is told the transfer was received.
    /// </summary>
    private async Task<IResult> Pushed(Guid transferId, HttpContext http, CancellationToken cancellationToken)
    {
        var body = await CallbackBodies.Read(http, cancellationToken);
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<HiuTransfer>(transferId, cancellationToken) is not { } transfer)
        {
            return Problems.NotFound("No health-information request of Telemed's has this push address.");
        }
        var artefact = await session.LoadAsync<HiuArtefact>(transfer.ArtefactId, cancellationToken);
        var request = await session.LoadAsync<HiuConsentRequest>(transfer.ConsentRequestId, cancellationToken);
        if (artefact?.DataEraseAt is not { } eraseAt || request is null || !ConsentLifecycle.Usable(artefact.Status, eraseAt, now)
            || request.Status != ConsentRequestStatus.Granted)
        {
            // Revoked or expired mid-transfer: nothing more is taken.
            return Problems.Conflict("The consent for this transfer was revoked or has expired: nothing is taken under it.");
        }
        var transactionId = AbhaProfiles.Text(body["transactionId"]);
        if (transactionId is null || (transfer.TransactionId is { } expected && expected != transactionId))
        {
            return Problems.Invalid("transactionId", "The page names the transaction the consent manager gave this request.");
        }
        if (body["pageNumber"] is not JsonValue pageValue || !pageValue.TryGetValue<int>(out var page) || body["pageCount"] is not JsonValue countValue
            || !countValue.TryGetValue<int>(out var pageCount) || page < 1 || pageCount < page)
        {
            return Problems.Invalid("pageNumber", "pageNumber and pageCount are whole numbers, 1 ≤ pageNumber ≤ pageCount.");
        }
        var read = Open(transfer, artefact, body);
        if (!read.IsSuccess)
        {
            await Notify(transfer with { TransactionId = transactionId }, artefact, [.. read.Error.CareContexts.Select(c => (c, false, read.Error.Message))]);
            return Problems.Invalid(read.Error.Field, read.Error.Message);
        }
        session.Insert(new HiuPage($"{transfer.Id}/{page}", transfer.Id, now));
        foreach (var (careContext, json, facts) in read.Value)
        {
            var record = new ReceivedHealthRecord(Ids.New(), request.PatientId, request.Id, artefact.Id, transfer.Id, artefact.HipId, artefact.HipName, careContext,
                facts.HiType, facts.Title, facts.Date, protector.Protect(json), now, eraseAt);
            session.Store(record);
            // The fetch on the patient's access log, in the name of the doctor who asked.
            session.Events.Append(request.PatientId, new RecordRead(request.PatientId, request.DoctorId, nameof(RecordAccessBasis.AbdmFetch),
                $"abdm-record/{record.Id}", now, $"{facts.HiType} from {artefact.HipName ?? artefact.HipId}"));
        }
        session.Store(transfer with { TransactionId = transactionId, PageCount = pageCount });
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            // This page was taken before: nothing is stored twice.
            return TypedResults.Accepted((string?)null);
        }
        await using var query = store.QuerySession();
        var pages = await query.Query<HiuPage>().CountAsync(p => p.TransferId == transfer.Id, cancellationToken);
        if (pages == pageCount)
        {
            var received = await query.Query<ReceivedHealthRecord>().Where(r => r.TransferId == transfer.Id).Select(r => r.CareContextReference).ToListAsync(cancellationToken);
            await Notify(transfer with { TransactionId = transactionId }, artefact, [.. received.Distinct().Select(c => (c, true, "Data received successfully"))]);
        }
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>Why a page was refused: the field, the message, and the care contexts it named.</summary>
    private sealed record PageRefusal(string Field, string Message, IReadOnlyList<string> CareContexts);

    private Result<List<(string CareContext, string Json, ReceivedBundleFacts Facts)>, PageRefusal> Open(HiuTransfer transfer, HiuArtefact artefact, JsonObject body)
    {
        var entries = (body["entries"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var named = entries.Select(e => AbhaProfiles.Text(e["careContextReference"]) ?? "").ToList();
        var hipKey = AbhaProfiles.Text(body["keyMaterial"]?["dhPublicKey"]?["keyValue"]);
        var hipNonce = AbhaProfiles.Text(body["keyMaterial"]?["nonce"]);
        if (entries.Count == 0 || hipKey is null || hipNonce is null)
        {
            return new PageRefusal("entries", "A page carries entries and the HIP's key material (keyMaterial.dhPublicKey.keyValue, keyMaterial.nonce).", named);
        }
        var keys = FideliusKeys.From(protector.Unprotect(transfer.ProtectedPrivateKey), transfer.Nonce);
        var opened = new List<(string, string, ReceivedBundleFacts)>();
        for (var i = 0; i < entries.Count; i++)
        {
            var careContext = named[i];
            if (artefact.CareContexts.Count > 0 && artefact.CareContexts.All(c => c.CareContextReference != careContext))
            {
                return new PageRefusal($"entries[{i}].careContextReference", "The artefact does not name this care context.", named);
            }
            string json;
            try
            {
                json = keys.Decrypt(AbhaProfiles.Text(entries[i]["content"]) ?? "", hipKey, hipNonce);
            }
            catch (FideliusException)
            {
                return new PageRefusal($"entries[{i}].content", "The content could not be decrypted with this request's key material.", named);
            }
            if (!string.Equals(HipDataFlow.Checksum(json), AbhaProfiles.Text(entries[i]["checksum"]), StringComparison.OrdinalIgnoreCase))
            {
                return new PageRefusal($"entries[{i}].checksum", "The content does not match its checksum.", named);
            }
            var facts = ReceivedBundles.Read(json);
            if (!facts.IsSuccess)
            {
                return new PageRefusal($"entries[{i}].content", facts.Error.Message, named);
            }
            opened.Add((careContext, json, facts.Value));
        }
        return opened;
    }

    /// <summary>Tells the consent manager what arrived (OK) or was refused (ERRORED) for each care context.</summary>
    private async Task Notify(HiuTransfer transfer, HiuArtefact artefact, IReadOnlyList<(string CareContext, bool Ok, string Description)> outcomes)
    {
        var delivered = await Post(TransferNotifyPath, new JsonObject
        {
            ["notification"] = new JsonObject
            {
                ["consentId"] = artefact.Id,
                ["transactionId"] = transfer.TransactionId,
                ["doneAt"] = AbdmHeaders.Format(time.GetUtcNow()),
                ["notifier"] = new JsonObject { ["type"] = "HIU", ["id"] = Hiu.Id },
                ["statusNotification"] = new JsonObject
                {
                    ["sessionStatus"] = outcomes.All(o => o.Ok) ? "TRANSFERRED" : "FAILED",
                    ["hipId"] = artefact.HipId,
                    ["statusResponses"] = new JsonArray([.. outcomes.Select(o => (JsonNode)new JsonObject
                    {
                        ["careContextReference"] = o.CareContext,
                        ["hiStatus"] = o.Ok ? "OK" : "ERRORED",
                        ["description"] = o.Description,
                    })]),
                },
            },
        });
        if (delivered)
        {
            await using var session = store.LightweightSession();
            if (await session.LoadAsync<HiuTransfer>(transfer.Id, CancellationToken.None) is { } current)
            {
                session.Store(current with { NotifiedAt = time.GetUtcNow() });
                await session.SaveChangesAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>The documents received for a patient that may still be shown, with their content.</summary>
    public async Task<IReadOnlyList<(ReceivedHealthRecord Record, string Content)>> Received(IQuerySession session, Guid patientId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var records = await session.Query<ReceivedHealthRecord>().Where(r => r.PatientId == patientId && r.EraseAt > now)
            .OrderByDescending(r => r.ReceivedAt).ToListAsync(cancellationToken);
        return [.. records.Select(r => (r, protector.Unprotect(r.ProtectedContent)))];
    }

    private async Task<bool> Post(string path, JsonObject body)
    {
        try
        {
            await abdm.Send(HttpMethod.Post, options.Value.Gateway(path), body, CancellationToken.None, request => request.Headers.Add(Hiu.Header, Hiu.Id));
            return true;
        }
        catch (Exception e) when (e is AbdmRefusedException or AbdmUnavailableException)
        {
            CallFailed(logger, path, e.GetType().Name);
            return false;
        }
    }

    private async Task Save<T>(T document, CancellationToken cancellationToken) where T : notnull
    {
        await using var session = store.LightweightSession();
        session.Store(document);
        await session.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ABDM call to {Path} as HIU not delivered: {ErrorType}")]
    private static partial void CallFailed(ILogger logger, string path, string errorType);
}
