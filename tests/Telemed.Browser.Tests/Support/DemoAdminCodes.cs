using Telemed.Domain.Identity;

namespace Telemed.Browser.Tests.Support;

/// <summary>
/// The demo admin's authenticator, as the phone of a person trying the demo would be: codes from the published demo
/// secret. A code works once per account, so each server's sign-ins take successive time steps, waiting for the next
/// step when the ones the server accepts now are used; each code has at least one step of its life left.
/// </summary>
public static class DemoAdminCodes
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, long> LastStep = [];
    /// <summary>The published demo secret (the server's <c>Demo:AdminTotpSecret</c>, in docs/configuration.md), as "telemed-demo" is its password.</summary>
    private static readonly byte[] Secret = TotpCodes.FromBase32("TELEMEDDEMOADMINTOTPSECRET234567");

    public static async Task<string> Next(Uri server)
    {
        await Gate.WaitAsync();
        try
        {
            while (true)
            {
                var current = TotpCodes.Step(DateTimeOffset.UtcNow);
                var step = Math.Max(current, LastStep.GetValueOrDefault(server.Authority, long.MinValue) + 1);
                if (step <= current + 1)
                {
                    LastStep[server.Authority] = step;
                    return TotpCodes.Code(Secret, DateTimeOffset.FromUnixTimeSeconds(step * TotpCodes.StepSeconds));
                }
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
