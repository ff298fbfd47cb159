using System.Globalization;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;

namespace Telemed.Server.Abdm;

public enum LinkTokenState
{
    /// <summary>No HIP id is configured (Abdm:HipId): records are not linked through ABDM.</summary>
    NotRequested,
    Waiting,
    Ready,
    Refused,
    TimedOut,
}

/// <summary>
/// The link token for a patient's verified ABHA: what Telemed, as HIP, needs to link care contexts to the ABHA. Valid
/// six months (ABDM); a credential, so kept encrypted by Data Protection (<see cref="LinkTokens.Purpose"/>), never shown or logged.
/// </summary>
public sealed record AbhaLinkToken(
    Guid Id, string HipId, string AbhaNumber, LinkTokenState State, string? ProtectedToken, string? Reason, DateTimeOffset At);

/// <summary>
/// Asks the gateway for a link token once a patient's ABHA is verified (<c>/api/hiecm/v3/token/generate-token</c>,
/// answered by the callback <c>/api/v3/hip/token/on-generate-token</c>), off the patient's request: their page does not
/// wait for ABDM's callback.
/// </summary>
public sealed partial class LinkTokens(
    GatewayRequests gateway, IDocumentStore store, IDataProtectionProvider dataProtection, IOptions<AbdmOptions> options, TimeProvider time,
    IHostApplicationLifetime lifetime, IServiceProvider services, ILogger<LinkTokens> logger)
{
    public const string Path = "/api/hiecm/v3/token/generate-token";
    public const string CallbackPath = "/api/v3/hip/token/on-generate-token";
    public const string Purpose = "Telemed.Abdm.LinkToken";

    private readonly IDataProtector protector = dataProtection.CreateProtector(Purpose);

    public void RequestSoon(Guid patientId, AbhaProfile profile)
    {
        if (options.Value.HipId is not null)
        {
            _ = Task.Run(() => Request(patientId, profile, lifetime.ApplicationStopping));
        }
    }

    public async Task Request(Guid patientId, AbhaProfile profile, CancellationToken cancellationToken)
    {
        var hipId = options.Value.HipId!;
        await Save(new AbhaLinkToken(patientId, hipId, profile.Number, LinkTokenState.Waiting, null, null, time.GetUtcNow()), cancellationToken);
        AbhaLinkToken outcome;
        try
        {
            var answer = await gateway.Ask(Path, CallbackPath, new JsonObject
            {
                ["abhaNumber"] = long.Parse(profile.Number.Replace("-", "", StringComparison.Ordinal), CultureInfo.InvariantCulture),
                ["abhaAddress"] = profile.Address,
                ["name"] = profile.Name,
                ["gender"] = profile.Sex switch { Sex.Female => "F", Sex.Male => "M", _ => "O" },
                ["yearOfBirth"] = profile.YearOfBirth,
            }, (AbdmHeaders.HipId, hipId), cancellationToken);
            outcome = answer["linkToken"]?.GetValue<string>() is { } token
                ? new AbhaLinkToken(patientId, hipId, profile.Number, LinkTokenState.Ready, protector.Protect(token), null, time.GetUtcNow())
                : new AbhaLinkToken(patientId, hipId, profile.Number, LinkTokenState.Refused, null,
                    $"{answer["error"]?["code"]} {answer["error"]?["message"]}".Trim(), time.GetUtcNow());
        }
        catch (GatewayCallbackTimeoutException)
        {
            outcome = new AbhaLinkToken(patientId, hipId, profile.Number, LinkTokenState.TimedOut, null, "no callback in time", time.GetUtcNow());
        }
        catch (Exception e) when (e is AbdmRefusedException or AbdmUnavailableException)
        {
            outcome = new AbhaLinkToken(patientId, hipId, profile.Number, LinkTokenState.Refused, null, e.Message, time.GetUtcNow());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        if (outcome.State != LinkTokenState.Ready)
        {
            NotIssued(logger, outcome.State);
        }
        await Save(outcome, CancellationToken.None);
        if (outcome.State == LinkTokenState.Ready)
        {
            // Consultations completed before the ABHA was verified are linked now.
            await services.GetRequiredService<CareContextLinks>().Enqueue(patientId, CancellationToken.None);
        }
    }

    public static async Task<LinkTokenState> State(IQuerySession session, Guid patientId, AbdmOptions options, CancellationToken cancellationToken) =>
        options.HipId is null ? LinkTokenState.NotRequested
        : (await session.LoadAsync<AbhaLinkToken>(patientId, cancellationToken))?.State ?? LinkTokenState.Waiting;

    private async Task Save(AbhaLinkToken token, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        session.Store(token);
        await session.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ABDM link token not issued: {State}")]
    private static partial void NotIssued(ILogger logger, LinkTokenState state);
}
