using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;
using Telemed.Domain.Queue;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Queue;

namespace Telemed.Server.Abdm;

/// <summary>How a shared profile ended: a token in an open OPD, or why not (for the patient's PHR app).</summary>
public sealed record ShareResult(int? Token, DateTimeOffset? Until, string? ErrorCode, string? Error, bool Replayed = false);

/// <summary>
/// Scan &amp; Share: a patient scans a facility's counter QR code (the facility's HFR id as HIP id, a counter code as
/// context) in their PHR app, and ABDM posts their verified profile to <c>/api/v3/hip/patient/share</c>. Telemed finds
/// the patient (by the ABHA, else by the mobile if the record matches) or registers them, links the ABHA, checks them in
/// to the facility's open free OPD and answers ABDM's on-share with the token number.
/// </summary>
public sealed partial class ScanAndShare(
    IDocumentStore store, QueueService queue, AbdmHttp abdm, IOptions<AbdmOptions> options, LinkTokens linkTokens, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<ScanAndShare> logger)
{
    public const string Path = "/api/v3/hip/patient/share";
    public const string OnSharePath = "/api/hiecm/patient-share/v3/on-share";

    public static async Task<IResult> Receive(HttpContext http, ScanAndShare shares, CancellationToken cancellationToken)
    {
        var body = await CallbackBodies.Read(http, cancellationToken);
        var hipId = body["metaData"]?["hipId"]?.GetValue<string>() ?? http.Request.Headers[AbdmHeaders.HipId].ToString();
        var context = body["metaData"]?["context"]?.GetValue<string>();
        var patient = body["profile"]?["patient"] as JsonObject;
        if (string.IsNullOrWhiteSpace(hipId) || string.IsNullOrWhiteSpace(context) || patient is null)
        {
            return Problems.Invalid("profile", "A profile share names the HIP (metaData.hipId), the counter (metaData.context) and the patient (profile.patient).");
        }
        var requestId = GatewayCallbacks.RequestId(http);
        var result = await shares.Handle(requestId, hipId, patient, cancellationToken);
        if (result.Replayed)
        {
            await GatewayCallbacks.Replayed(http);
            return TypedResults.Accepted((string?)null);
        }
        shares.AnswerSoon(requestId, hipId, context, patient["abhaAddress"]?.GetValue<string>(), result);
        return TypedResults.Accepted((string?)null);
    }

    private async Task<ShareResult> Handle(string requestId, string hipId, JsonObject shared, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Profile(shared) is not { } profile)
        {
            return Refused("ABDM-9999", "The shared profile lacks an ABHA number, a name, a sex or a year of birth.");
        }
        await using var session = store.LightweightSession();
        var hfrId = hipId.ToUpperInvariant();
        var facility = await session.Query<Facility>().Where(f => f.HfrId == hfrId).FirstOrDefaultAsync(cancellationToken);
        if (facility is null)
        {
            return Refused("ABDM-1065", "Health facility does not exist");
        }
        var open = await session.Query<SessionListing>()
            .Where(s => s.FacilityId == facility.Id && s.Status == SessionStatus.Open && s.FeePaise == 0 && s.StartsAt <= now && s.EndsAt > now)
            .OrderBy(s => s.EndsAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (open is null)
        {
            return Refused("ABDM-9999", $"No free OPD is open at {facility.Name} now. Please ask at the registration desk.");
        }
        session.Insert(new ReceivedCallback(requestId, Path, now));
        var found = await Identify(session, profile, now, cancellationToken);
        if (found.Error is { } error)
        {
            return await SaveRefusal(requestId, now, error);
        }
        var patient = found.Patient!;
        var linked = await AbhaLinks.Link(session, patient, profile, AbhaProof.ScanAndShare, now, cancellationToken);
        if (!linked.IsSuccess)
        {
            return await SaveRefusal(requestId, now, linked.Error.Message);
        }
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return new ShareResult(null, null, null, null, Replayed: true);
        }
        catch (Exception e) when (AbhaLinks.LostRace(e))
        {
            return Refused("ABDM-9999", AbhaLinks.TakenMeanwhile(profile).Message);
        }
        await linked.Value.Journal(session.DocumentStore, cancellationToken);
        linkTokens.RequestSoon(patient.Id, profile);
        var summary = new PatientSummary(patient.Name, now.Year - patient.YearOfBirth, patient.Sex.ToString().ToLowerInvariant());
        var outcome = await queue.Execute(AsPatient(patient.Id), open.Id, new CheckIn(patient.Id, summary, null, []), null, cancellationToken);
        if (!outcome.Succeeded)
        {
            return Refused("ABDM-9999", outcome.Error?.Message ?? "The check-in did not go through. Please ask at the registration desk.");
        }
        var entry = outcome.Session!.Entries.Last(e => e.PatientId == patient.Id && e.IsActive);
        return new ShareResult(entry.Token, open.EndsAt, null, null);
    }

    private async Task<ShareResult> SaveRefusal(string requestId, DateTimeOffset now, string error)
    {
        // Nothing is linked or registered, but the callback's REQUEST-ID is kept, so a replay of it is ignored.
        await using var receipt = store.LightweightSession();
        receipt.Insert(new ReceivedCallback(requestId, Path, now));
        try
        {
            await receipt.SaveChangesAsync(CancellationToken.None);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return new ShareResult(null, null, null, null, Replayed: true);
        }
        return Refused("ABDM-9999", error);
    }

    /// <summary>The patient the profile is: who holds the ABHA, else who has the mobile and matches, else someone new.</summary>
    private static async Task<(PatientAccount? Patient, string? Error)> Identify(IDocumentSession session, AbhaProfile profile, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var holder = await session.Query<PatientAbha>().Where(a => a.Profile.Number == profile.Number).FirstOrDefaultAsync(cancellationToken);
        if (holder is not null)
        {
            return (await session.LoadAsync<PatientAccount>(holder.Id, cancellationToken), null);
        }
        if (MobileNumber.Parse(profile.Mobile) is not { IsSuccess: true } mobile)
        {
            return (null, "The shared profile has no mobile number, which a new patient registers with. Please ask at the registration desk.");
        }
        var number = mobile.Value.Value;
        // One number holds a family (a guardian and their dependants): the profile is whichever of them it matches.
        var family = await session.Query<PatientAccount>().Where(p => p.Mobile == number).ToListAsync(cancellationToken);
        if (family.Count > 0)
        {
            var match = family.FirstOrDefault(p => AbhaLinking.Mismatches(new AbhaHolderFacts(p.Id, p.Sex, p.YearOfBirth), profile).Count == 0);
            return match is not null
                ? (match, null)
                : (null, "This mobile number is registered at Telemed to someone else. Please register at the registration desk.");
        }
        var patient = new PatientAccount(Ids.New(), profile.Name, profile.YearOfBirth, profile.DateOfBirth, profile.Sex, mobile.Value.Value, null, null, now);
        session.Insert(patient);
        session.Events.StartStream(patient.Id, new PatientRegistered(patient.Id, now));
        return (patient, null);
    }

    /// <summary>Answers ABDM's on-share (the token, or why there is none), off the callback's request.</summary>
    private void AnswerSoon(string requestId, string hipId, string context, string? abhaAddress, ShareResult result) =>
        _ = Task.Run(async () =>
        {
            var body = new JsonObject { ["response"] = new JsonObject { ["requestId"] = requestId } };
            if (result.Token is { } token)
            {
                body["acknowledgement"] = new JsonObject
                {
                    ["status"] = "SUCCESS",
                    ["abhaAddress"] = abhaAddress,
                    ["profile"] = new JsonObject
                    {
                        ["context"] = context,
                        ["tokenNumber"] = token.ToString(CultureInfo.InvariantCulture),
                        // ABDM does not publish the unit; minutes until the OPD closes.
                        ["expiry"] = (int)Math.Max(0, (result.Until!.Value - time.GetUtcNow()).TotalMinutes),
                    },
                };
            }
            else
            {
                body["error"] = new JsonObject { ["code"] = result.ErrorCode, ["message"] = result.Error };
            }
            try
            {
                await abdm.Send(HttpMethod.Post, options.Value.Gateway(OnSharePath), body, lifetime.ApplicationStopping,
                    request => request.Headers.Add(AbdmHeaders.HipId, hipId));
            }
            catch (Exception e) when (e is AbdmRefusedException or AbdmUnavailableException or OperationCanceledException)
            {
                OnShareFailed(logger, e.GetType().Name);
            }
        });

    private static ShareResult Refused(string code, string message) => new(null, null, code, message);

    /// <summary>The share acts for the patient, with the consent they gave in their PHR app: their check-in, as if they made it.</summary>
    private static ClaimsPrincipal AsPatient(Guid patientId) => new(new ClaimsIdentity(
        [new Claim(System.IdentityModel.Tokens.Jwt.JwtRegisteredClaimNames.Sub, patientId.ToString()), new Claim(ClaimTypes.Role, Roles.Patient)], "abdm-profile-share"));

    /// <summary>The shared patient as an ABHA profile (ABDM vouches for it); null when a required part is missing.</summary>
    private static AbhaProfile? Profile(JsonObject patient) => AbhaProfiles.Read(patient,
        AbhaProfiles.Text(patient["abhaNumber"]), AbhaProfiles.Text(patient["abhaAddress"]), AbhaProfiles.Text(patient["name"]), AbhaProfiles.Text(patient["phoneNumber"]));

    [LoggerMessage(Level = LogLevel.Warning, Message = "ABDM on-share not delivered: {ErrorType}")]
    private static partial void OnShareFailed(ILogger logger, string errorType);
}

/// <summary>Reading callback bodies: JSON objects, an unreadable one as empty.</summary>
public static class CallbackBodies
{
    public static async Task<JsonObject> Read(HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            return await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(http.Request.Body, cancellationToken: cancellationToken) ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }
}
