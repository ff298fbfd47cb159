using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Telemed.Server.Tests.Support;

/// <summary>A private redis-server on a loopback port, without persistence; stopped (and reaped) on demand and on dispose.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? process;
    private readonly string[] security;

    private RedisServer(int port, string[] security)
    {
        Port = port;
        this.security = security;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)},abortConnect=false,connectTimeout=2000";

    public static Task<RedisServer> Start() => Start([]);

    /// <summary>
    /// Redis that speaks only TLS, with the certificate and key given (PEM files), and asks for a password; clients
    /// need no certificate of their own.
    /// </summary>
    public static Task<RedisServer> StartTls(string certificatePath, string keyPath, string password) => Start(
        ["--tls-cert-file", certificatePath, "--tls-key-file", keyPath, "--tls-auth-clients", "no", "--requirepass", password]);

    private static async Task<RedisServer> Start(string[] security)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var server = new RedisServer(port, security);
        await server.Resume();
        return server;
    }

    /// <summary>Starts it (again) on the same port.</summary>
    public async Task Resume()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] listening = security.Length == 0 ? ["--port", port] : ["--port", "0", "--tls-port", port, .. security];
        foreach (var argument in (string[])[.. listening, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"])
        {
            start.ArgumentList.Add(argument);
        }
        process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (apt-get install redis-server).");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(50);
            }
        }
        throw new InvalidOperationException($"redis-server did not listen on {Port}.");
    }

    public async Task Stop()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync() => await Stop();
}
