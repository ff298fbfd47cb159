namespace Telemed.Browser.Tests.Support;

/// <summary>The browser fixture for classes whose patients sign in more than once: one-time codes may be resent at once.</summary>
public sealed class ResendCodesAtOnce : BrowserFixture
{
    protected override Task<IDictionary<string, string>> ServerSettings() =>
        Task.FromResult<IDictionary<string, string>>(new Dictionary<string, string> { ["Otp__ResendCooldownSeconds"] = "0" });
}
