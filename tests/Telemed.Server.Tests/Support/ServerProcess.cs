using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Telemed.Server.Tests.Support;

/// <summary>
/// The real server as its own process on a loopback port (what run.sh runs), for tests that must kill it the way
/// a crash or an OOM-kill would. Always waited on, so no zombie is left behind, even when a test fails.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLogLines = 200;
    private readonly Process process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> log = new();

    private ServerProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The server's last log lines (they carry no personal data), for a failure message.</summary>
    public string RecentLog => string.Join('\n', log);

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        log.Enqueue(line);
        while (log.Count > KeptLogLines && log.TryDequeue(out _))
        {
        }
    }

    /// <summary>Starts the server and waits until it is ready (or, with <paramref name="waitFor"/> "/health/live", only until it answers).</summary>
    public static async Task<ServerProcess> Start(string schema, string keyPath, IDictionary<string, string>? settings = null, string waitFor = "/health/ready")
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(root, "src", "Telemed.Server", "bin", Configuration, "net10.0", "Telemed.Server.dll"),
                "--urls", address.ToString(),
                "--contentRoot", Path.Combine(root, "src", "Telemed.Server"),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Testing",
                ["Database__ConnectionString"] = TestDatabase.ConnectionString,
                ["Database__Schema"] = schema,
                ["Auth__SigningKeyPath"] = keyPath,
                ["Prescriptions__KeyDirectory"] = keyPath + ".rx",
                ["Messages__SecretPath"] = keyPath + ".messages",
                ["Sms__Provider"] = "Sink",
                ["Email__Provider"] = "Sink",
                ["Demo__Seed"] = "true",
                ["Security__SignInPerMinute"] = "100000",
                ["Security__CheckInPerMinute"] = "100000",
                ["Otp__MaxSendsPerDay"] = "1000",
                ["Security__VerificationPerMinute"] = "100000",
                ["Security__SessionPerMinute"] = "100000",
                ["Security__PublicKeysPerMinute"] = "100000",
                ["Security__WebhookPerMinute"] = "100000",
                ["Hubs__ConnectionsPerAddress"] = "1000000",
                ["Hubs__ConnectionsPerAccount"] = "100000",
                ["Hubs__AnonymousConnectionsPerMinute"] = "1000000",
                ["Auth__PasswordHashIterations"] = "1000",
            },
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        var server = new ServerProcess(process, address);
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = address };
        // A fresh schema on a busy 2-core machine can take a while; a crash ends the wait at once.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await client.GetAsync(waitFor)).StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (process.HasExited)
            {
                break;
            }
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new InvalidOperationException($"The server process did not become ready on {address}.");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, exactly like a crash.</summary>
    public async Task Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as Kubernetes or <c>docker stop</c> sends it: the server drains and exits by itself.</summary>
    public async Task Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>The exit code, once the process has ended by itself within the time given.</summary>
    public async Task<int> Exited(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await Kill();
        process.Dispose();
    }

    public static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        ? "Release"
        : "Debug";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The checkout the tests run from (the folder holding Telemed.sln).</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Telemed.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Telemed.sln not found above the test binaries.");
    }
}
