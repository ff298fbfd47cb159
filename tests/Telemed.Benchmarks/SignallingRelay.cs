using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Telemed.Benchmarks;

/// <summary>
/// Signalling relay latency, Telemed's clinic hub against the PeerJS server, same load in one run:
/// N rooms = 2N WebSockets; every client sends one ICE candidate per second to the other in its room,
/// stamped with the send time; the receiving client records the delay. Both sides use raw WebSocket clients and
/// fire-and-forget messages (one in, one out), as PeerJS does.
/// </summary>
/// <remarks>With a second node (both nodes on one Redis backplane), the same rooms are measured again with the doctor on
/// the first node and the patient on the second, so every message crosses Redis.</remarks>
public sealed partial class SignallingRelay(Uri telemed, Uri peerjs, int rooms, int seconds, Uri? secondNode = null)
{
    private const int WarmupSeconds = 5;
    private readonly BenchCast cast = new(telemed);

    public async Task<string> Run(int telemedPid, int peerPid, int secondPid = 0)
    {
        Console.WriteLine($"PeerJS: {rooms} rooms…");
        var peer = await MeasurePeerJs();
        var peerMemory = BenchmarkReport.ResidentMegabytes(peerPid);
        Console.WriteLine($"Telemed: setting up {rooms} consultations…");
        var roomsToUse = await CreateConsultations();
        Console.WriteLine($"Telemed: {rooms} rooms…");
        var hub = await MeasureTelemed(roomsToUse, patientNode: telemed);
        var hubMemory = BenchmarkReport.ResidentMegabytes(telemedPid);
        List<double>? crossing = null;
        if (secondNode is not null)
        {
            Console.WriteLine($"Telemed: {rooms} rooms, doctors on one node and patients on the other…");
            crossing = await MeasureTelemed(roomsToUse, patientNode: secondNode);
        }
        string Row(string what, List<double> ms, long memory) => string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {ms.Count} | {BenchmarkReport.Percentile(ms, 50):0.000} | {BenchmarkReport.Percentile(ms, 90):0.000} | {BenchmarkReport.Percentile(ms, 99):0.000} | {ms.Max():0.00} | {memory} |");
        var table = string.Join('\n',
            $"{rooms} rooms ({2 * rooms} WebSockets on loopback), each client sends one ICE candidate per second to its peer for {seconds} s "
            + $"(first {WarmupSeconds} s not counted). Latency = send on one client → receive on the other, same process clock. "
            + "Both sides' clients are raw WebSockets in the driver process.",
            "",
            "| server | samples | p50 ms | p90 ms | p99 ms | max ms | server RSS MB |",
            "|---|---|---|---|---|---|---|",
            Row("PeerJS server 1.0.2 (Node " + NodeVersion() + ")", peer, peerMemory),
            Row("Telemed `/hubs/clinic` (SignalR JSON protocol, ICE validation, room authorisation, rate limit)"
                + (secondNode is null ? "" : ", one node on the Redis backplane"), hub, hubMemory));
        return crossing is null
            ? table
            : table + "\n" + Row("Telemed, two nodes on one Redis: doctor on the first, patient on the second (every message crosses Redis)",
                crossing, BenchmarkReport.ResidentMegabytes(secondPid));
    }

    /// <summary>
    /// Raw WebSockets speaking SignalR's JSON protocol (handshake, JoinRoom with its completion, then fire-and-forget
    /// invocations), so the client side costs the same as PeerJS's raw clients and only the servers differ.
    /// </summary>
    private async Task<List<double>> MeasureTelemed(IReadOnlyList<(Guid Consultation, string Doctor, string Patient)> consultations, Uri patientNode)
    {
        var latencies = new ConcurrentBag<double>();
        var measuring = 0;
        using var stop = new CancellationTokenSource();
        // Each client sends to the other participant of its room (signalling is addressed to one participant).
        var clients = new List<(ClientWebSocket Socket, Guid Room, Guid To)>();
        var receivers = new List<Task>();
        static Uri WebSocketOf(Uri node) => new(node.ToString().Replace("http", "ws", StringComparison.Ordinal));
        foreach (var room in consultations)
        {
            foreach (var (token, node, to) in new[]
            {
                (room.Doctor, WebSocketOf(telemed), BenchCast.AccountOf(room.Patient)), (room.Patient, WebSocketOf(patientNode), BenchCast.AccountOf(room.Doctor)),
            })
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(new Uri(node, $"/hubs/clinic?access_token={Uri.EscapeDataString(token)}"), CancellationToken.None);
                await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
                var join = $"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"JoinRoom\",\"arguments\":[\"{room.Consultation}\"]}}\u001e";
                await socket.SendAsync(Encoding.UTF8.GetBytes(join), WebSocketMessageType.Text, true, CancellationToken.None);
                var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                receivers.Add(Task.Run(async () =>
                {
                    var buffer = new byte[8192];
                    while (!stop.IsCancellationRequested && socket.State == WebSocketState.Open)
                    {
                        var received = await socket.ReceiveAsync(buffer, stop.Token).ConfigureAwait(false);
                        var now = Stopwatch.GetTimestamp();
                        var text = Encoding.UTF8.GetString(buffer, 0, received.Count);
                        if (text.Contains("\"invocationId\":\"1\"", StringComparison.Ordinal))
                        {
                            if (!text.Contains("\"ok\":true", StringComparison.Ordinal))
                            {
                                joined.TrySetException(new InvalidOperationException($"JoinRoom: {text}"));
                            }
                            joined.TrySetResult();
                        }
                        else if (Volatile.Read(ref measuring) == 1 && Stamp().Match(text) is { Success: true } stamp)
                        {
                            latencies.Add(Stopwatch.GetElapsedTime(long.Parse(stamp.Groups[1].Value, CultureInfo.InvariantCulture), now).TotalMilliseconds);
                        }
                    }
                }));
                await joined.Task.WaitAsync(TimeSpan.FromSeconds(30));
                clients.Add((socket, room.Consultation, to));
            }
        }
        var gates = clients.ToDictionary(c => c.Socket, _ => new SemaphoreSlim(1, 1));
        await Load(clients, async (client, stamp) =>
        {
            var message = Encoding.UTF8.GetBytes(
                $"{{\"type\":1,\"target\":\"SendIceCandidate\",\"arguments\":[\"{client.Room}\",\"{client.To}\",\"{Candidate(stamp)}\",\"0\",0]}}\u001e");
            await gates[client.Socket].WaitAsync();
            try
            {
                await client.Socket.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                gates[client.Socket].Release();
            }
        }, () => Volatile.Write(ref measuring, 1));
        await stop.CancelAsync();
        foreach (var (socket, _, _) in clients)
        {
            socket.Abort();
            socket.Dispose();
        }
        await Task.WhenAll(receivers.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        return [.. latencies];
    }

    private async Task<List<double>> MeasurePeerJs()
    {
        var latencies = new ConcurrentBag<double>();
        var measuring = 0;
        using var stop = new CancellationTokenSource();
        var sockets = new List<(ClientWebSocket Socket, string Peer)>();
        var receivers = new List<Task>();
        for (var room = 0; room < rooms; room++)
        {
            foreach (var (self, other) in new[] { ($"a{room}", $"b{room}"), ($"b{room}", $"a{room}") })
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(new Uri(peerjs, $"/peerjs?key=peerjs&id={self}&token=t{self}"), CancellationToken.None);
                sockets.Add((socket, other));
                receivers.Add(Task.Run(async () =>
                {
                    var buffer = new byte[4096];
                    while (!stop.IsCancellationRequested && socket.State == WebSocketState.Open)
                    {
                        var received = await socket.ReceiveAsync(buffer, stop.Token).ConfigureAwait(false);
                        var now = Stopwatch.GetTimestamp();
                        if (Volatile.Read(ref measuring) == 1 && Stamp().Match(Encoding.UTF8.GetString(buffer, 0, received.Count)) is { Success: true } stamp)
                        {
                            latencies.Add(Stopwatch.GetElapsedTime(long.Parse(stamp.Groups[1].Value, CultureInfo.InvariantCulture), now).TotalMilliseconds);
                        }
                    }
                }));
            }
        }
        var gates = sockets.ToDictionary(s => s.Socket, _ => new SemaphoreSlim(1, 1));
        await Load(sockets, async (client, stamp) =>
        {
            var message = JsonSerializer.SerializeToUtf8Bytes(new { type = "CANDIDATE", dst = client.Peer, payload = new { candidate = new { candidate = Candidate(stamp), sdpMid = "0", sdpMLineIndex = 0 }, type = "media" } });
            await gates[client.Socket].WaitAsync();
            try
            {
                await client.Socket.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                gates[client.Socket].Release();
            }
        }, () => Volatile.Write(ref measuring, 1));
        await stop.CancelAsync();
        foreach (var (socket, _) in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }
        await Task.WhenAll(receivers.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        return [.. latencies];
    }

    /// <summary>Every client sends once a second, spread evenly over the second, for the run's length.</summary>
    private async Task Load<T>(IReadOnlyList<T> clients, Func<T, long, Task> send, Action startMeasuring)
    {
        var start = Stopwatch.GetTimestamp();
        var loops = clients.Select((client, index) => Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1000.0 * index / clients.Count));
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            do
            {
                await send(client, Stopwatch.GetTimestamp());
            }
            while (await timer.WaitForNextTickAsync() && Stopwatch.GetElapsedTime(start) < TimeSpan.FromSeconds(seconds));
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(WarmupSeconds));
        startMeasuring();
        await Task.WhenAll(loops);
        await Task.Delay(500);
    }

    private static string Candidate(long stamp) => string.Create(CultureInfo.InvariantCulture, $"candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host ts {stamp}");

    [GeneratedRegex(@" ts (\d+)")]
    private static partial Regex Stamp();

    /// <summary>One consultation per room: a doctor's own session, its patient checked in, called and started.</summary>
    private async Task<IReadOnlyList<(Guid Consultation, string Doctor, string Patient)>> CreateConsultations()
    {
        var result = new (Guid, string, string)[rooms];
        await Parallel.ForEachAsync(await cast.Pairs(rooms, capacity: 1), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (pair, _) =>
        {
            await cast.Send(HttpMethod.Post, $"/api/sessions/{pair.Session}/check-in", pair.Patient, new { });
            await cast.Send(HttpMethod.Post, $"/api/sessions/{pair.Session}/call-next", pair.Doctor, null);
            var started = await cast.Send(HttpMethod.Post, $"/api/sessions/{pair.Session}/tokens/1/start", pair.Doctor, null);
            result[pair.Index] = (started.GetProperty("consultationId").GetGuid(), pair.Doctor, pair.Patient);
        });
        return result;
    }

    private static string NodeVersion()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
            var version = node.StandardOutput.ReadToEnd().Trim();
            node.WaitForExit();
            return version;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
