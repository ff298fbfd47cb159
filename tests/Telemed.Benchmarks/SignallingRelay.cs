using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Telemed.Benchmarks;

/// <summary>
/// Signalling relay latency, Telemed's consultation hub against the PeerJS server, same load in one run:
/// N rooms = 2N WebSockets per server; every client sends R ICE candidates a second (one by default) to the other in its room,
/// stamped with the send time; the receiving client records the delay. Both sides use raw WebSocket clients and
/// fire-and-forget messages (one in, one out), as PeerJS does. Both servers' clients stay connected for the whole run and
/// the load alternates between them in rounds (PeerJS, Telemed, Telemed, PeerJS, …), so a machine that is busier in one
/// part of the run weighs on both alike.
/// </summary>
/// <remarks>With a second node (both nodes on one Redis backplane), the same rooms are measured again with the doctor on
/// the first node and the patient on the second, so every message crosses Redis.</remarks>
public sealed partial class SignallingRelay(Uri telemed, Uri peerjs, int rooms, int seconds, Uri? secondNode = null, int perClientPerSecond = 1)
{
    private const int WarmupSeconds = 2;
    // Rounds of at most 10 s, an even number of them, so each server goes first as often as the other.
    private readonly int rounds = Math.Max(2, (seconds + 19) / 20 * 2);
    private readonly BenchCast cast = new(telemed);

    public async Task<string> Run(int telemedPid, int peerPid, int secondPid = 0)
    {
        Console.WriteLine($"Telemed: setting up {rooms} consultations…");
        var consultations = await CreateConsultations();
        Console.WriteLine($"Telemed: connecting {rooms} rooms…");
        var hub = await ConnectTelemed(consultations, patientNode: telemed);
        Console.WriteLine($"PeerJS: connecting {rooms} rooms…");
        await using var peer = await ConnectPeerJs();
        // Each round's medians, PeerJS's minus Telemed's: the rounds pair the servers under the same machine conditions.
        var roundGaps = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            // ABBA: each server goes first in half the rounds.
            foreach (var relay in round % 2 == 0 ? new[] { peer, hub } : [hub, peer])
            {
                Console.WriteLine($"round {round + 1}/{rounds}: {relay.Name}…");
                await Load(relay, seconds / rounds);
            }
            roundGaps.Add(1000 * (BenchmarkReport.Percentile([.. peer.RoundLatencies], 50) - BenchmarkReport.Percentile([.. hub.RoundLatencies], 50)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}/{rounds}: p50 PeerJS − Telemed {roundGaps[^1]:0} µs"));
        }
        var peerMemory = BenchmarkReport.ResidentMegabytes(peerPid);
        var hubMemory = BenchmarkReport.ResidentMegabytes(telemedPid);
        await hub.DisposeAsync();
        List<double>? crossing = null;
        if (secondNode is not null)
        {
            Console.WriteLine($"Telemed: {rooms} rooms, doctors on one node and patients on the other…");
            await using var across = await ConnectTelemed(consultations, patientNode: secondNode);
            for (var round = 0; round < rounds; round++)
            {
                await Load(across, seconds / rounds);
            }
            crossing = [.. across.Latencies];
        }
        string Row(string what, List<double> ms, long memory) => string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {ms.Count} | {BenchmarkReport.Percentile(ms, 50):0.000} | {BenchmarkReport.Percentile(ms, 90):0.000} | {BenchmarkReport.Percentile(ms, 99):0.000} | {ms.Max():0.00} | {memory} |");
        var table = string.Join('\n',
            $"{rooms} rooms ({2 * rooms} WebSockets per server on loopback), each client sends {perClientPerSecond} ICE candidate(s) a second to its peer ({MessagesPerSecond:N0} messages a second); "
            + $"{rounds} rounds of {seconds / rounds} s per server, alternating PeerJS and Telemed (first {WarmupSeconds} s of each not counted). "
            + "Latency = send on one client → receive on the other, same process clock. Both sides' clients are raw WebSockets in the driver process.",
            "",
            "| server | samples | p50 ms | p90 ms | p99 ms | max ms | server RSS MB |",
            "|---|---|---|---|---|---|---|",
            Row("PeerJS server 1.0.2 (Node " + NodeVersion() + ")", [.. peer.Latencies], peerMemory),
            Row("Telemed `/hubs/consultation` (SignalR JSON protocol, ICE validation, room authorisation, rate limit; candidates sent without a reply)"
                + (secondNode is null ? "" : ", one node on the Redis backplane"), [.. hub.Latencies], hubMemory),
            "",
            string.Create(CultureInfo.InvariantCulture,
                $"Round by round, PeerJS's p50 minus Telemed's (positive: Telemed faster): {string.Join(", ", roundGaps.Select(gap => $"{gap:+0;−0;0}"))} µs; "
                + $"Telemed's p50 at or below PeerJS's in {roundGaps.Count(gap => gap >= 0)} of {rounds} rounds, median gap {BenchmarkReport.Percentile(roundGaps, 50):+0;−0;0} µs."));
        return crossing is null
            ? table
            : table + "\n" + Row("Telemed, two nodes on one Redis: doctor on the first, patient on the second (every message crosses Redis)",
                crossing, BenchmarkReport.ResidentMegabytes(secondPid));
    }

    /// <summary>
    /// Raw WebSockets speaking SignalR's JSON protocol (negotiated, handshake, JoinRoom with its completion, then
    /// fire-and-forget invocations), so the client side costs the same as PeerJS's raw clients and only the servers differ.
    /// </summary>
    private async Task<Relay> ConnectTelemed(IReadOnlyList<(Guid Consultation, string Doctor, string Patient)> consultations, Uri patientNode)
    {
        // Pings every 15 s, as SignalR clients send them (the hub drops a client silent for 30 s).
        var relay = new Relay("Telemed", Encoding.UTF8.GetBytes("{\"type\":6}\u001e"), TimeSpan.FromSeconds(15));
        using var http = new HttpClient();
        foreach (var room in consultations)
        {
            // Each client sends to the other participant of its room (signalling is addressed to one participant).
            foreach (var (token, node, to) in new[]
            {
                (room.Doctor, telemed, BenchCast.AccountOf(room.Patient)), (room.Patient, patientNode, BenchCast.AccountOf(room.Doctor)),
            })
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(await BenchmarkReport.Negotiate(http, node, "/hubs/consultation", token), CancellationToken.None);
                await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
                var join = $"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"JoinRoom\",\"arguments\":[\"{room.Consultation}\"]}}\u001e";
                await socket.SendAsync(Encoding.UTF8.GetBytes(join), WebSocketMessageType.Text, true, CancellationToken.None);
                var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                relay.Add(socket, stamp => Encoding.UTF8.GetBytes(
                        $"{{\"type\":1,\"target\":\"SendIceCandidate\",\"arguments\":[\"{room.Consultation}\",\"{to}\",\"{Candidate(stamp)}\",\"0\",0]}}\u001e"),
                    text =>
                    {
                        if (!text.Contains("\"invocationId\":\"1\"", StringComparison.Ordinal))
                        {
                            return false;
                        }
                        if (!text.Contains("\"ok\":true", StringComparison.Ordinal))
                        {
                            joined.TrySetException(new InvalidOperationException($"JoinRoom: {text}"));
                        }
                        joined.TrySetResult();
                        return true;
                    });
                await joined.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        return relay;
    }

    private async Task<Relay> ConnectPeerJs()
    {
        // Heartbeats every 5 s, as PeerJS clients send them (the server drops a client silent for 90 s).
        var relay = new Relay("PeerJS", Encoding.UTF8.GetBytes("{\"type\":\"HEARTBEAT\"}"), TimeSpan.FromSeconds(5));
        for (var room = 0; room < rooms; room++)
        {
            foreach (var (self, other) in new[] { ($"a{room}", $"b{room}"), ($"b{room}", $"a{room}") })
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(new Uri(peerjs, $"/peerjs?key=peerjs&id={self}&token=t{self}"), CancellationToken.None);
                relay.Add(socket, stamp => JsonSerializer.SerializeToUtf8Bytes(
                    new { type = "CANDIDATE", dst = other, payload = new { candidate = new { candidate = Candidate(stamp), sdpMid = "0", sdpMLineIndex = 0 }, type = "media" } }));
            }
        }
        return relay;
    }

    /// <summary>Messages a second over all clients of one server.</summary>
    public int MessagesPerSecond => 2 * rooms * perClientPerSecond;

    /// <summary>Every client sends at its rate, the clients spread evenly over the interval, for the round's length.</summary>
    private async Task Load(Relay relay, int roundSeconds)
    {
        relay.StartRound();
        var start = Stopwatch.GetTimestamp();
        var interval = TimeSpan.FromSeconds(1.0 / perClientPerSecond);
        var loops = relay.Clients.Select((client, index) => Task.Run(async () =>
        {
            await Task.Delay(interval * index / relay.Clients.Count);
            using var timer = new PeriodicTimer(interval);
            do
            {
                await client.Send(Stopwatch.GetTimestamp());
            }
            while (await timer.WaitForNextTickAsync() && Stopwatch.GetElapsedTime(start) < TimeSpan.FromSeconds(roundSeconds));
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(WarmupSeconds));
        relay.Measuring = true;
        await Task.WhenAll(loops);
        await Task.Delay(500);
        relay.Measuring = false;
    }

    private static string Candidate(long stamp) => string.Create(CultureInfo.InvariantCulture, $"candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host ts {stamp}");

    [GeneratedRegex(@" ts (\d+)")]
    private static partial Regex Stamp();

    /// <summary>One server's connected clients; each records the delay of the stamped messages it receives while measuring.</summary>
    private sealed class Relay(string name, byte[] keepAlive, TimeSpan keepAliveEvery) : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly List<Task> receivers = [];
        private readonly List<Task> keepingAlive = [];
        private volatile bool measuring;

        public string Name => name;

        public List<Client> Clients { get; } = [];

        public ConcurrentBag<double> Latencies { get; } = [];

        /// <summary>The last round's share of <see cref="Latencies"/>.</summary>
        public ConcurrentBag<double> RoundLatencies { get; private set; } = [];

        public void StartRound() => RoundLatencies = [];

        public bool Measuring { set => measuring = value; }

        /// <summary>A connected client; a received message <paramref name="handled"/> claims is not a relayed one.</summary>
        public void Add(ClientWebSocket socket, Func<long, byte[]> message, Func<string, bool>? handled = null)
        {
            var client = new Client(socket, message);
            Clients.Add(client);
            // Spread over the interval, like the clients' own timers.
            keepingAlive.Add(Task.Run(async () =>
            {
                await Task.Delay(keepAliveEvery * Random.Shared.NextDouble(), stop.Token);
                using var timer = new PeriodicTimer(keepAliveEvery);
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    await client.Send(keepAlive);
                }
            }));
            receivers.Add(Task.Run(async () =>
            {
                var buffer = new byte[8192];
                while (!stop.IsCancellationRequested && socket.State == WebSocketState.Open)
                {
                    var received = await socket.ReceiveAsync(buffer, stop.Token).ConfigureAwait(false);
                    var now = Stopwatch.GetTimestamp();
                    var text = Encoding.UTF8.GetString(buffer, 0, received.Count);
                    if (handled?.Invoke(text) != true && measuring && Stamp().Match(text) is { Success: true } stamp)
                    {
                        var latency = Stopwatch.GetElapsedTime(long.Parse(stamp.Groups[1].Value, CultureInfo.InvariantCulture), now).TotalMilliseconds;
                        Latencies.Add(latency);
                        RoundLatencies.Add(latency);
                    }
                }
            }));
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            foreach (var client in Clients)
            {
                client.Socket.Abort();
                client.Socket.Dispose();
            }
            await Task.WhenAll(receivers.Concat(keepingAlive).Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
            stop.Dispose();
        }
    }

    private sealed class Client(ClientWebSocket socket, Func<long, byte[]> message)
    {
        private readonly SemaphoreSlim gate = new(1, 1);

        public ClientWebSocket Socket => socket;

        public Task Send(long stamp) => Send(message(stamp));

        public async Task Send(byte[] bytes)
        {
            await gate.WaitAsync();
            try
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                gate.Release();
            }
        }
    }

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
