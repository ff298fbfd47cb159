using System.Security.Claims;
using System.Text.Encodings.Web;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Telemed.Server.Identity;

namespace Telemed.Server.Devices;

/// <summary>
/// <c>Authorization: Device &lt;credential&gt;</c>: the scheme the device gateway alone accepts. A user's token is not a
/// device, and a device credential opens nothing else. Refusals of a known device are audited under its id.
/// </summary>
public sealed class DeviceAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IDocumentStore store, AuditTrail audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Device";
    public const string FacilityClaim = "facility";
    public const string NameClaim = "name";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var credential = header[(SchemeName.Length + 1)..].Trim();
        if (DeviceCredentials.DeviceId(credential) is not { } deviceId)
        {
            return AuthenticateResult.Fail("The device credential is malformed.");
        }
        await using var session = store.QuerySession();
        var device = await session.LoadAsync<MedicalDevice>(deviceId, Context.RequestAborted);
        if (device is null || !DeviceCredentials.Matches(device, credential))
        {
            if (device is not null)
            {
                await audit.Refused(deviceId, Request.Path, "device gateway (wrong credential)", Context.RequestAborted);
            }
            return AuthenticateResult.Fail("Unknown device or wrong credential.");
        }
        if (device.RevokedAt is not null)
        {
            await audit.Refused(deviceId, Request.Path, "device gateway (revoked device)", Context.RequestAborted);
            return AuthenticateResult.Fail("This device's credential was revoked.");
        }
        var identity = new ClaimsIdentity(
            [
                new Claim(Microsoft.IdentityModel.JsonWebTokens.JwtRegisteredClaimNames.Sub, device.Id.ToString()),
                new Claim(FacilityClaim, device.FacilityId.ToString()),
                new Claim(NameClaim, device.Name),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = SchemeName;
        await Results.Problem(result.Failure?.Message ?? "Send the device's credential: Authorization: Device <credential>.",
            statusCode: StatusCodes.Status401Unauthorized, title: "Not a registered device").ExecuteAsync(Context);
    }
}
