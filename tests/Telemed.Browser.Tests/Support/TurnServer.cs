using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Telemed.Browser.Tests.Support;

/// <summary>coturn (Debian's turnserver) on loopback with the REST-API shared secret, for relay tests. Killed and reaped on dispose.</summary>
public sealed class TurnServer : IAsyncDisposable
{
    private readonly Process process;

    private TurnServer(Process process, int port, string secret)
    {
        this.process = process;
        Port = port;
        Secret = secret;
    }

    public int Port { get; }

    public string Secret { get; }

    public static async Task<TurnServer> Start()
    {
        var port = FreePort();
        var secret = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var start = new ProcessStartInfo("turnserver")
        {
            ArgumentList =
            {
                "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1", "--listening-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--min-port", "50000", "--max-port", "50999",
                "--use-auth-secret", "--static-auth-secret", secret, "--realm", "telemed.test",
                "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-cli", "--fingerprint",
                "--log-file", "stdout", "--simple-log", "--pidfile", Path.Combine(Path.GetTempPath(), $"turnserver-{port}.pid"),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("turnserver did not start (apt-get install coturn).");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new TurnServer(process, port, secret);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(50);
            }
        }
        await server.DisposeAsync();
        throw new InvalidOperationException("turnserver did not start listening.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
