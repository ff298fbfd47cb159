using System.Text.RegularExpressions;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Infrastructure;

/// <summary>
/// Features build on what the hubs share, never the reverse: Realtime/ names no feature folder, whether by a using, a
/// qualified name or a name relative to Telemed.Server (it builds on Identity/ and Infrastructure/ only).
/// </summary>
public partial class FolderDependencyTests
{
    [Theory]
    [InlineData("Realtime", new[] { "Identity", "Infrastructure" })]
    public void A_shared_folder_imports_no_feature(string folder, string[] allowed)
    {
        var server = Path.Combine(ServerProcess.RepositoryRoot(), "src", "Telemed.Server");
        var features = Directory.GetDirectories(server).Select(Path.GetFileName).OfType<string>()
            .Where(name => name != folder && !allowed.Contains(name) && name is not ("bin" or "obj" or "wwwroot"))
            .ToList();
        features.ShouldContain("Queue");
        var references = new Regex($@"(?<![\w.])(Telemed\.Server\.)?({string.Join('|', features)})\.[A-Z]");

        var found = Directory.GetFiles(Path.Combine(server, folder), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file)
                .Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal))
                .Where(line => references.IsMatch(line) || UsingOf().Match(line) is { Success: true } used && features.Contains(used.Groups[1].Value))
                .Select(line => $"{Path.GetFileName(file)}: {line.Trim()}"))
            .ToList();

        found.ShouldBeEmpty();
    }

    [GeneratedRegex(@"^\s*using\s+Telemed\.Server\.(\w+)\s*;")]
    private static partial Regex UsingOf();
}
