using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using Telemed.Server.Tests.Support;

namespace Telemed.Benchmarks;

/// <summary>
/// OTP latency while a busy OPD session's queue messages go out (run-otp-under-load.sh starts the server, configured to
/// send SMS to the fake gateway here): N patients checked in to one session, then the doctor calls the next patient and
/// marks them a no-show while a new patient checks in, a round every <see cref="RoundInterval"/>, each round queueing
/// "N ahead", "you are next", the doctor's call and a check-in confirmation; meanwhile one-time codes are requested one
/// at a time for fresh numbers and timed from the request until the gateway took the SMS.
/// </summary>
public sealed partial class OtpUnderLoad(Uri server, int waiting, int samples, string gatewayUrl)
{
    private const int Warmup = 20;
    private static readonly TimeSpan RoundInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(50);
    private readonly BenchCast cast = new(server);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(long At, string Text)>> firstSms = new();

    public async Task<string> Run()
    {
        await using var gateway = await FakeSmsGateway.Start(gatewayUrl);
        var templateOf = BenchGateway.TemplateOf(gateway);
        gateway.Took += sms => FirstSms(sms.Mobile).TrySetResult((Stopwatch.GetTimestamp(), sms.Text));

        var admin = await cast.SignIn("admin@telemed.local", "telemed-demo");
        var doctor = await cast.SignIn("asha.verma@telemed.local", "telemed-demo");
        var extra = Warmup + samples;
        var now = DateTimeOffset.UtcNow;
        var sessionId = (await cast.Send(HttpMethod.Post, "/api/sessions", admin, new
        {
            facilityId = BenchCast.Facility,
            doctorIds = new[] { Guid.Parse("0193a000-0000-7000-8000-000000000011") },
            startsAt = now,
            endsAt = now.AddHours(8),
            capacity = waiting + extra,
        })).GetProperty("id").GetGuid();
        Console.WriteLine($"Registering {waiting + extra} patients (codes through the fake gateway)…");
        var patients = await Parallel(waiting + extra, Register);
        Console.WriteLine($"Checking in {waiting}…");
        await Parallel(waiting, async i => { await CheckIn(patients[i], sessionId); return 0; });
        await Quiet(gateway);

        await using var doctorHub = BenchmarkReport.Hub(server, "/hubs/queue", doctor);
        await doctorHub.StartAsync();
        using var stop = new CancellationTokenSource();
        var rounds = 0;
        var load = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(RoundInterval);
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                var reply = await doctorHub.InvokeAsync<JsonElement>("CallNext", sessionId, stop.Token);
                reply.GetProperty("ok").GetBoolean().ShouldBeTrue($"call-next: {reply}");
                var token = reply.GetProperty("value").GetProperty("token").GetInt32();
                (await doctorHub.InvokeAsync<JsonElement>("MarkNoShow", sessionId, token, stop.Token)).GetProperty("ok").GetBoolean().ShouldBeTrue("no-show");
                if (waiting + rounds < patients.Count)
                {
                    await CheckIn(patients[waiting + rounds], sessionId);
                }
                rounds++;
            }
        });

        Console.WriteLine($"Sampling OTP request → gateway ({samples}) under the queue's load…");
        var takenBefore = gateway.Taken.Count;
        var loadStart = Stopwatch.GetTimestamp();
        var toGateway = new List<double>();
        var replies = new List<double>();
        for (var i = 0; i < Warmup + samples; i++)
        {
            var mobile = string.Create(CultureInfo.InvariantCulture, $"+9190{i:D8}");
            var start = Stopwatch.GetTimestamp();
            await cast.Send(HttpMethod.Post, "/api/auth/otp", null, new { mobile });
            var replied = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var (at, _) = await FirstSms(mobile).Task.WaitAsync(TimeSpan.FromSeconds(10));
            if (i >= Warmup)
            {
                replies.Add(replied);
                toGateway.Add(Stopwatch.GetElapsedTime(start, at).TotalMilliseconds);
            }
            (!load.IsFaulted).ShouldBeTrue($"the queue's load failed: {load.Exception?.GetBaseException().Message}");
            await Task.Delay(SampleInterval);
        }
        var loadSeconds = Stopwatch.GetElapsedTime(loadStart).TotalSeconds;
        await stop.CancelAsync();
        try
        {
            await load;
        }
        catch (OperationCanceledException)
        {
            // Stopped between rounds, as intended.
        }
        var byTemplate = gateway.Taken.Skip(takenBefore).GroupBy(sms => templateOf[sms.TemplateId]).ToDictionary(g => g.Key, g => g.Count());
        return Report(toGateway, replies, rounds, loadSeconds, byTemplate);
    }

    private string Report(List<double> toGateway, List<double> replies, int rounds, double seconds, Dictionary<string, int> byTemplate)
    {
        string Row(string what, List<double> ms) => string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {ms.Count} | {BenchmarkReport.Percentile(ms, 50):0.00} | {BenchmarkReport.Percentile(ms, 90):0.00} | {BenchmarkReport.Percentile(ms, 99):0.00} | {ms.Max():0.00} |");
        var sms = string.Join(", ", byTemplate.OrderByDescending(t => t.Value).Select(t => $"{t.Key} {t.Value}"));
        return string.Join('\n',
            $"{waiting} patients checked in to one session; during sampling the doctor called the next patient and marked them a no-show while a new",
            string.Create(CultureInfo.InvariantCulture,
                $"patient checked in, a round every {RoundInterval.TotalMilliseconds:0} ms ({rounds} rounds in {seconds:0.0} s). The fake gateway took {byTemplate.Values.Sum()} SMS meanwhile ({sms})."),
            $"One-time codes were requested one at a time for fresh numbers, {SampleInterval.TotalMilliseconds:0} ms apart, after {Warmup} uncounted; each is timed from",
            "the driver sending `POST /api/auth/otp` until the fake Fast2SMS gateway (the server tests' `FakeSmsGateway`, on loopback) took its SMS.",
            "",
            "| latency | samples | p50 ms | p90 ms | p99 ms | max ms |",
            "|---|---|---|---|---|---|",
            Row("OTP request → its reply", replies),
            Row("OTP request → SMS handed to the gateway", toGateway),
            "",
            (byTemplate.ContainsKey("PlacesAhead") ? ""
                : "Run in India's quiet hours (21:00–08:00 IST): \"N ahead\" and check-in confirmations were held for the morning, so the load was lighter. ")
            + "Target: p99 < 500 ms for OTP request → handed to the gateway.");
    }

    private TaskCompletionSource<(long At, string Text)> FirstSms(string mobile) =>
        firstSms.GetOrAdd(mobile, _ => new TaskCompletionSource<(long, string)>(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Waits until the set-up's messages have gone out (no SMS taken for a second).</summary>
    private static async Task Quiet(FakeSmsGateway gateway)
    {
        var count = -1;
        while (gateway.Taken.Count != count)
        {
            count = gateway.Taken.Count;
            await Task.Delay(1000);
        }
    }

    /// <summary>Registers a patient with the code the gateway took for their number; returns their access token.</summary>
    private async Task<string> Register(int index)
    {
        var mobile = string.Create(CultureInfo.InvariantCulture, $"+9160{index:D8}");
        await cast.Send(HttpMethod.Post, "/api/auth/otp", null, new { mobile });
        var (_, text) = await FirstSms(mobile).Task.WaitAsync(TimeSpan.FromSeconds(30));
        var registered = await cast.Send(HttpMethod.Post, "/api/patients", null,
            new { name = $"Load Patient {index}", yearOfBirth = 1960 + index % 40, sex = "other", mobile, code = SixDigits().Match(text).Value });
        return registered.GetProperty("tokens").GetProperty("accessToken").GetString()!;
    }

    private Task<JsonElement> CheckIn(string token, Guid sessionId) =>
        cast.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", token, new { complaint = "load test" });

    private static async Task<List<T>> Parallel<T>(int count, Func<int, Task<T>> work)
    {
        var results = new T[count];
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, _) => results[i] = await work(i));
        return [.. results];
    }

    [GeneratedRegex(@"\d{6}")]
    private static partial Regex SixDigits();
}
