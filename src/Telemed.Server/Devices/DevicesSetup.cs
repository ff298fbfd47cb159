using Marten;
using Microsoft.AspNetCore.Authentication;

namespace Telemed.Server.Devices;

public static class DevicesSetup
{
    /// <summary>The authorization policy of the device gateway: a registered, unrevoked device's credential and nothing else.</summary>
    public const string Policy = "device";

    public static IHostApplicationBuilder AddTelemedDevices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, DeviceAuthentication>(DeviceAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(DeviceAuthentication.SchemeName).RequireAuthenticatedUser());
        builder.Services.ConfigureMarten(options =>
        {
            options.Schema.For<MedicalDevice>().Index(x => x.FacilityId);
            options.Events.AddEventTypes([typeof(DeviceRegistered), typeof(DeviceRevoked)]);
        });
        return builder;
    }
}
