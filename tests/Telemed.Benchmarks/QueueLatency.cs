using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Telemed.Benchmarks;

/// <summary>
/// Load driver against a running server (started by run-queue-latency.sh on loopback):
/// N patients waiting and connected to one session's hub, then two latencies sampled one at a time —
/// check-in until the doctor's screen has the row, and call-next until the called patient hears it
/// (and until every waiting patient has heard their new position).
/// </summary>
public sealed class QueueLatency(Uri server, int patients, int samples)
{
    /// <summary>Rounds run before each phase's samples and not counted (JIT tiering, caches, the set-up's garbage).</summary>
    private const int Warmup = 20;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };
    private readonly HttpClient http = new() { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<string> Run()
    {
        var admin = await SignIn("admin@telemed.local");
        var doctor = await SignIn("asha.verma@telemed.local");
        var sessionId = await OpenSession(admin);
        Console.WriteLine($"Registering {patients + Warmup + samples} patients…");
        var registered = await Parallel(patients + Warmup + samples, Register);
        var waiting = registered.Take(patients).ToList();
        var newcomers = registered.Skip(patients).ToList();

        Console.WriteLine($"Checking in {patients} and connecting their hub clients…");
        await Parallel(patients, i => CheckIn(waiting[i].Token, sessionId));
        var tokenOf = new ConcurrentDictionary<int, PatientClient>();
        var clients = await Parallel(patients, async i =>
        {
            var client = await PatientClient.Connect(server, waiting[i].Token, sessionId);
            tokenOf[client.Token] = client;
            return client;
        });

        var doctorHub = Connect(doctor);
        var doctorRows = new ConcurrentDictionary<Guid, TaskCompletionSource<long>>();
        var doctorVersions = new ConcurrentDictionary<long, TaskCompletionSource>();
        doctorHub.On<JsonElement>("QueueUpdated", delta =>
        {
            var at = Stopwatch.GetTimestamp();
            foreach (var row in delta.GetProperty("rows").EnumerateArray())
            {
                if (doctorRows.TryGetValue(row.GetProperty("patientId").GetGuid(), out var waiter))
                {
                    waiter.TrySetResult(at);
                }
            }
            doctorVersions.GetOrAdd(delta.GetProperty("version").GetInt64(), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        });
        await doctorHub.StartAsync();
        (await doctorHub.InvokeAsync<JsonElement>("WatchQueue", sessionId)).GetProperty("ok").GetBoolean().ShouldBeTrue("doctor watches the queue");

        Console.WriteLine($"Sampling check-in → doctor's view ({samples})…");
        var checkIn = new List<double>();
        foreach (var (newcomer, index) in newcomers.Select((n, i) => (n, i)))
        {
            var seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            doctorRows[newcomer.Id] = seen;
            var start = Stopwatch.GetTimestamp();
            await CheckIn(newcomer.Token, sessionId);
            var seenAt = await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
            if (index >= Warmup)
            {
                checkIn.Add(Stopwatch.GetElapsedTime(start, seenAt).TotalMilliseconds);
            }
        }

        Console.WriteLine($"Sampling call-next → patient notified ({samples})…");
        var called = new List<double>();
        var replies = new List<double>();
        var everyone = new List<double>();
        for (var round = 0; round < Warmup + samples; round++)
        {
            var counted = round >= Warmup;
            var start = Stopwatch.GetTimestamp();
            var reply = await doctorHub.InvokeAsync<JsonElement>("CallNext", sessionId);
            var replied = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            reply.GetProperty("ok").GetBoolean().ShouldBeTrue($"call-next: {reply}");
            var token = reply.GetProperty("value").GetProperty("token").GetInt32();
            var stillWaiting = clients.Where(c => c.Token > token).ToList();
            var calledAt = await tokenOf[token].CalledAt.WaitAsync(TimeSpan.FromSeconds(10));
            var heard = Stopwatch.GetElapsedTime(start, calledAt).TotalMilliseconds;
            var lastHeard = 0L;
            foreach (var client in stillWaiting)
            {
                lastHeard = Math.Max(lastHeard, await client.PositionAfter(token).WaitAsync(TimeSpan.FromSeconds(10)));
            }
            if (counted)
            {
                replies.Add(replied);
                called.Add(heard);
                everyone.Add(Stopwatch.GetElapsedTime(start, Math.Max(lastHeard, calledAt)).TotalMilliseconds);
            }
            var freed = await doctorHub.InvokeAsync<JsonElement>("MarkNoShow", sessionId, token);
            freed.GetProperty("ok").GetBoolean().ShouldBeTrue($"no-show: {freed}");
        }

        await doctorHub.DisposeAsync();
        await Parallel(clients.Count, async i => { await clients[i].DisposeAsync(); return 0; });
        return Report(checkIn, replies, called, everyone);
    }

    private string Report(List<double> checkIn, List<double> replies, List<double> called, List<double> everyone)
    {
        string Row(string what, List<double> ms) => string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {ms.Count} | {BenchmarkReport.Percentile(ms, 50):0.00} | {BenchmarkReport.Percentile(ms, 90):0.00} | {BenchmarkReport.Percentile(ms, 99):0.00} | {ms.Max():0.00} |");
        return string.Join('\n',
            $"{patients} patients waiting, each with a SignalR WebSocket connection to `/hubs/queue`, one session, one doctor connected.",
            $"Samples are taken one at a time (no other load), after {Warmup} uncounted rounds per phase; times are wall-clock from the driver sending the request",
            "until the push arrived at the driver's client, so they include HTTP/hub handling, the PostgreSQL commit and the push.",
            "",
            "| latency | samples | p50 ms | p90 ms | p99 ms | max ms |",
            "|---|---|---|---|---|---|",
            Row("check-in (REST) → doctor's queue updated (hub push)", checkIn),
            Row("call-next (hub) → doctor's reply (sent after the urgent pushes)", replies),
            Row("call-next (hub) → called patient notified", called),
            Row($"call-next (hub) → all ~{patients} waiting patients have their new position", everyone));
    }


    private async Task<string> SignIn(string email)
    {
        var response = await http.PostAsJsonAsync("/api/auth/sign-in", new { email, password = "telemed-demo" });
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (answer.TryGetProperty("challenge", out var challenge))
        {
            response = await http.PostAsJsonAsync("/api/auth/mfa/verify", new { challenge = challenge.GetString(), code = BenchCast.DemoAdminCode() });
            response.EnsureSuccessStatusCode();
            answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        }
        return answer.GetProperty("accessToken").GetString()!;
    }

    private async Task<Guid> OpenSession(string admin)
    {
        using var request = Authorised(HttpMethod.Post, "/api/sessions", admin);
        var now = DateTimeOffset.UtcNow;
        request.Content = JsonContent.Create(new
        {
            facilityId = Guid.Parse("0193a000-0000-7000-8000-000000000001"),
            doctorIds = new[] { Guid.Parse("0193a000-0000-7000-8000-000000000011") },
            startsAt = now,
            endsAt = now.AddHours(8),
            capacity = patients + Warmup + samples,
        });
        var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private sealed record Registered(Guid Id, string Token);

    private async Task<Registered> Register(int index)
    {
        var mobile = string.Create(CultureInfo.InvariantCulture, $"+9160{index:D8}");
        (await http.PostAsJsonAsync("/api/auth/otp", new { mobile })).EnsureSuccessStatusCode();
        var code = await BenchCast.SunkCode(http, mobile);
        var response = await http.PostAsJsonAsync("/api/patients", new { name = $"Load Patient {index}", yearOfBirth = 1960 + index % 40, sex = "other", mobile, code });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Registered(body.GetProperty("patient").GetProperty("id").GetGuid(), body.GetProperty("tokens").GetProperty("accessToken").GetString()!);
    }

    private async Task<int> CheckIn(string token, Guid sessionId)
    {
        using var request = Authorised(HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", token);
        request.Content = JsonContent.Create(new { complaint = "load test" });
        var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return 0;
    }

    private HubConnection Connect(string token) => BenchmarkReport.Hub(server, "/hubs/queue", token);

    private static HttpRequestMessage Authorised(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static async Task<List<T>> Parallel<T>(int count, Func<int, Task<T>> work)
    {
        var results = new T[count];
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, _) => results[i] = await work(i));
        return [.. results];
    }

    /// <summary>One waiting patient's hub connection and the moments their pushes arrived.</summary>
    private sealed class PatientClient : IAsyncDisposable
    {
        private readonly HubConnection connection;
        private readonly TaskCompletionSource<long> called = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<int, TaskCompletionSource<long>> afterCall = new();

        private PatientClient(HubConnection connection) => this.connection = connection;

        public int Token { get; private set; }

        public Task<long> CalledAt => called.Task;

        /// <summary>When this patient heard the position that follows calling the given token.</summary>
        public Task<long> PositionAfter(int calledToken) => Waiter(calledToken).Task;

        private TaskCompletionSource<long> Waiter(int calledToken) =>
            afterCall.GetOrAdd(calledToken, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

        public static async Task<PatientClient> Connect(Uri server, string token, Guid sessionId)
        {
            var connection = BenchmarkReport.Hub(server, "/hubs/queue", token);
            var client = new PatientClient(connection);
            connection.On<JsonElement>("PositionChanged", position =>
            {
                var at = Stopwatch.GetTimestamp();
                if (position.GetProperty("state").GetString() == "called")
                {
                    client.called.TrySetResult(at);
                }
                else if (position.GetProperty("position").ValueKind == JsonValueKind.Number)
                {
                    // In a single-doctor line of tokens 1..N, position p after a call means token (Token - p) was just called.
                    client.Waiter(client.Token - position.GetProperty("position").GetInt32()).TrySetResult(at);
                }
            });
            await connection.StartAsync();
            var mine = await connection.InvokeAsync<JsonElement>("WatchMyToken", sessionId);
            client.Token = mine.GetProperty("value").GetProperty("token").GetInt32();
            return client;
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}

internal static class Checks
{
    public static void ShouldBeTrue(this bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Unexpected: {what}");
        }
    }
}
