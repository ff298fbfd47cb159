using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Telemed.Benchmarks;

/// <summary>
/// How many idle queue-hub connections (waiting patients) one node holds, and what each costs in server memory. Clients are raw
/// WebSockets speaking the SignalR JSON handshake and answering with pings, so the driver itself stays small.
/// </summary>
/// <remarks>
/// With <c>http2</c> the WebSockets are opened over HTTP/2 (RFC 8441 extended CONNECT, cleartext with prior knowledge),
/// up to 100 per TCP connection: every hub connection is still its own WebSocket and its own SignalR connection on the
/// server, but they need about 1 % of the sockets. That is how more than 20,000 fit under this machine's hard limit of
/// 20,000 open files per process, which both the server and the driver would otherwise hit.
/// </remarks>
public sealed class IdleConnections(Uri server, int connections, Uri? http2Server = null)
{
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");

    // One handler for every socket: by default each ClientWebSocket builds its own, which at 20,000 costs the driver gigabytes.
    private readonly HttpMessageInvoker invoker = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });

    public async Task<string> Run(int serverPid)
    {
        using var http = new HttpClient { BaseAddress = server };
        var token = await PatientToken(http);
        var before = BenchmarkReport.ResidentMegabytes(serverPid);
        var sockets = new List<ClientWebSocket>(connections);
        var hubServer = http2Server ?? server;
        var started = DateTime.UtcNow;
        for (var batch = 0; batch < connections; batch += 500)
        {
            sockets.AddRange(await Task.WhenAll(Enumerable.Range(batch, Math.Min(500, connections - batch)).Select(_ => Open(hubServer, token))));
            if (batch % 5000 == 0)
            {
                Console.WriteLine($"{sockets.Count} connected");
            }
        }
        var connectSeconds = (DateTime.UtcNow - started).TotalSeconds;
        using var keepAlive = new CancellationTokenSource();
        var pinger = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
            while (await timer.WaitForNextTickAsync(keepAlive.Token).ConfigureAwait(false))
            {
                await Task.WhenAll(sockets.Select(s => s.SendAsync(Ping, WebSocketMessageType.Text, true, CancellationToken.None)));
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(20));
        var open = sockets.Count(s => s.State == WebSocketState.Open);
        var after = BenchmarkReport.ResidentMegabytes(serverPid);
        var serverSockets = Sockets(serverPid);
        await keepAlive.CancelAsync();
        await pinger.ContinueWith(_ => { }, TaskScheduler.Default);
        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }
        var perConnection = open == 0 ? 0 : (after - before) * 1024.0 / open;
        var transport = http2Server is null
            ? "one TCP connection each (HTTP/1.1 upgrade)"
            : "over HTTP/2 (RFC 8441 extended CONNECT, cleartext), up to 100 WebSockets per TCP connection";
        return string.Join('\n',
            $"{connections} WebSocket connections to `/hubs/queue` (JSON protocol, signed in, idle but for protocol pings), {transport}, opened in {connectSeconds:0.0} s.",
            "",
            "| connections still open after 20 s | server sockets | server RSS before | server RSS with them | per connection |",
            "|---|---|---|---|---|",
            $"| {open} | {serverSockets} | {before} MB | {after} MB | {perConnection:0.0} KB |",
            "",
            "Target: at least 25,000 connections under 1 GB. " + (open >= 25_000 && after < 1024
                ? $"Met: {open} connections held, server at {after} MB. "
                : $"Not met: at the measured cost, 25,000 connections take about {before + perConnection * 25_000 / 1024:0} MB. ")
            + $"Open files per process here: {OpenFilesLimit()} (a hard limit on this machine), which caps how many connections one process can hold or make.");
    }

    /// <summary>Open sockets of a process (its file descriptors that are sockets).</summary>
    private static int Sockets(int pid) => new DirectoryInfo($"/proc/{pid}/fd").EnumerateFileSystemInfos()
        .Count(fd => fd.LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);

    private static string OpenFilesLimit() =>
        File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[3] ?? "unknown";

    private async Task<ClientWebSocket> Open(Uri hubServer, string token)
    {
        var uri = await BenchmarkReport.Negotiate(invoker, hubServer, "/hubs/queue", token, http2Server is null ? null : System.Net.HttpVersion.Version20);
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (http2Server is not null)
        {
            socket.Options.HttpVersion = System.Net.HttpVersion.Version20;
            socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
        await socket.ConnectAsync(uri, invoker, CancellationToken.None);
        await socket.SendAsync(Handshake, WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[128];
        await socket.ReceiveAsync(buffer, CancellationToken.None);
        return socket;
    }

    private static async Task<string> PatientToken(HttpClient http)
    {
        const string mobile = "+919876543210";
        (await http.PostAsJsonAsync("/api/auth/otp", new { mobile })).EnsureSuccessStatusCode();
        var code = await BenchCast.SunkCode(http, mobile);
        var response = await http.PostAsJsonAsync("/api/auth/otp/verify", new { mobile, code });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }
}
