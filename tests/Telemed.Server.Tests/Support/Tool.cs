using System.Diagnostics;

namespace Telemed.Server.Tests.Support;

/// <summary>Runs a command-line tool (pdftotext, zbarimg, …) to completion, always waited on and killed on time-out.</summary>
public static class Tool
{
    public sealed record Output(int ExitCode, string StandardOutput, string StandardError);

    public static Task<Output> Run(string program, params string[] arguments) => Run(new Dictionary<string, string>(), program, arguments);

    public static async Task<Output> Run(IReadOnlyDictionary<string, string> environment, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within 30 s.");
        }
        return new Output(process.ExitCode, await output, await error);
    }

    public static async Task<string> Text(string program, params string[] arguments)
    {
        var result = await Run(program, arguments);
        result.ExitCode.ShouldBe(0, $"{program} failed: {result.StandardError}");
        return result.StandardOutput;
    }
}
