using System.Text.Json;
using Microsoft.Playwright;
using Telemed.Server.Tests.Support;

namespace Telemed.Browser.Tests.Support;

/// <summary>axe-core (the web client's npm dev dependency) run inside the page as it is now.</summary>
public static class Axe
{
    private static readonly Lazy<string> Script = new(() =>
        File.ReadAllText(Path.Combine(ServerProcess.RepositoryRoot(), "web-client", "node_modules", "axe-core", "axe.min.js")));

    /// <summary>Fails with each rule, its help text and the offending elements when axe finds a serious or critical violation.</summary>
    public static async Task ShouldHaveNoSeriousViolations(IPage page, string what)
    {
        // Evaluated rather than added as a <script>: the server's Content-Security-Policy blocks inline scripts.
        await page.EvaluateAsync(Script.Value);
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)
            """);
        violations.EnumerateArray().Select(v => v.GetString()).ShouldBeEmpty($"axe on {what}");
    }
}
