using Telemed.AbdmSimulator;

namespace Telemed.Browser.Tests.Support;

/// <summary>The browser fixture with the ABDM simulator in the test process and the server process pointed at it.</summary>
public sealed class WithAbdm : BrowserFixture
{
    public Simulator Abdm { get; private set; } = null!;

    protected override async Task<IDictionary<string, string>> ServerSettings()
    {
        Abdm = await Simulator.Start();
        return new Dictionary<string, string>
        {
            ["Abdm__GatewayUrl"] = Abdm.Address.ToString(),
            ["Abdm__AbhaUrl"] = new Uri(Abdm.Address, "/abha/api").ToString(),
            ["Abdm__RegistryUrl"] = new Uri(Abdm.Address, "/v4/int").ToString(),
            ["Abdm__ClientId"] = Abdm.Options.ClientId,
            ["Abdm__ClientSecret"] = Abdm.Options.ClientSecret,
            ["Abdm__HipId"] = "IN2710000123",
            ["Otp__ResendCooldownSeconds"] = "0",
        };
    }

    /// <summary>The gateway's callbacks go to the server process, once it listens.</summary>
    public void CallBackTheServer() => Abdm.Options.BridgeUrl = Server.Address.ToString();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Abdm is not null)
        {
            await Abdm.DisposeAsync();
        }
    }
}
