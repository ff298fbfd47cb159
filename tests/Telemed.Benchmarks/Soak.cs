using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Telemed.Benchmarks;

/// <summary>
/// One node for a long time: each of N doctors goes round opening an OPD session, a patient checking in, call, start,
/// both joining the room, the record with a prescription, complete (signs it), both hanging up, closing the session —
/// until at least the target number of sessions has been opened and closed and at least the minimum time has passed.
/// The server's resident memory is read after the warm-up (a tenth of the sessions and of the time) and at the end; what any
/// node keeps per session, room or consultation must have gone with them.
/// </summary>
public sealed class Soak(Uri server, int doctors, int sessionsTarget, TimeSpan minimum)
{
    private readonly BenchCast cast = new(server);
    private readonly ConcurrentDictionary<string, int> errors = new();
    private readonly ConcurrentQueue<string> firstErrors = new();
    private readonly List<(TimeSpan At, int Sessions, long Megabytes)> memory = [];
    private int closed;
    private int consultations;

    /// <summary>The report, and whether memory at the end stayed within 10 % of its level after the warm-up.</summary>
    public async Task<(string Report, bool MemoryHeld)> Run(int serverPid)
    {
        Console.WriteLine($"Setting up {doctors} doctors and patients…");
        var pairs = await cast.Pairs(doctors, capacity: 10);
        var hubs = new (HubConnection Doctor, HubConnection Patient)[doctors];
        foreach (var pair in pairs)
        {
            hubs[pair.Index] = (BenchmarkReport.Hub(server, "/hubs/consultation", pair.Doctor), BenchmarkReport.Hub(server, "/hubs/consultation", pair.Patient));
            await hubs[pair.Index].Doctor.StartAsync();
            await hubs[pair.Index].Patient.StartAsync();
        }

        Console.WriteLine($"Opening and closing at least {sessionsTarget} sessions over at least {minimum.TotalMinutes:0} minutes…");
        var clock = Stopwatch.StartNew();
        // Warmed up once a tenth of the sessions and a tenth of the time are behind: code compiled, pools and caches filled.
        var warmUp = (Sessions: sessionsTarget / 10, Time: minimum / 10);
        long? afterWarmUp = null;
        var warmedUp = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                Sample(clock, serverPid);
                await Task.Delay(TimeSpan.FromMinutes(1), sampling.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        await Task.WhenAll(pairs.Select(pair => Task.Run(async () =>
        {
            var session = pair.Session;
            while (Volatile.Read(ref closed) < sessionsTarget || clock.Elapsed < minimum)
            {
                var ok = await Round(pair, session, hubs[pair.Index]);
                if (Interlocked.Increment(ref closed) >= warmUp.Sessions && clock.Elapsed >= warmUp.Time && Interlocked.Exchange(ref warmedUp, 1) == 0)
                {
                    afterWarmUp = Sample(clock, serverPid);
                }
                if (!ok)
                {
                    await Task.Delay(1000); // counted; the next round opens a fresh session
                }
                session = await Open(pair.Doctor);
            }
        })));
        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        // What is left once the work stops: the level to hold against the one after the warm-up.
        await Task.Delay(TimeSpan.FromSeconds(10));
        var end = Sample(clock, serverPid);
        foreach (var hub in hubs)
        {
            await hub.Doctor.DisposeAsync();
            await hub.Patient.DisposeAsync();
        }
        var baseline = afterWarmUp ?? memory[0].Megabytes;
        var held = end <= baseline * 1.10;
        return (Report(elapsed, baseline, end, held), held);
    }

    private long Sample(Stopwatch clock, int serverPid)
    {
        var megabytes = BenchmarkReport.ResidentMegabytes(serverPid);
        var sessions = Volatile.Read(ref closed);
        lock (memory)
        {
            memory.Add((clock.Elapsed, sessions, megabytes));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed:hh\\:mm\\:ss} {sessions} sessions closed, {megabytes} MB"));
        return megabytes;
    }

    private async Task<Guid> Open(string doctor)
    {
        var now = DateTimeOffset.UtcNow;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (await cast.Send(HttpMethod.Post, "/api/sessions", doctor, new { facilityId = BenchCast.Facility, startsAt = now, endsAt = now.AddHours(4), capacity = 10 }))
                    .GetProperty("id").GetGuid();
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException && attempt < 10)
            {
                Failed("open session", e);
                await Task.Delay(1000);
            }
        }
    }

    /// <summary>One session from its first check-in to its closing; false when a step failed (counted; the session is still closed).</summary>
    private async Task<bool> Round(BenchPair pair, Guid session, (HubConnection Doctor, HubConnection Patient) hub)
    {
        var sessions = $"/api/sessions/{session}";
        var ok = true;
        try
        {
            var token = (await Step("check-in", () => cast.Send(HttpMethod.Post, $"{sessions}/check-in", pair.Patient, new { complaint = "soak" })))
                .GetProperty("token").GetInt32();
            await Step("call-next", () => cast.Send(HttpMethod.Post, $"{sessions}/call-next", pair.Doctor, null));
            var consultationId = (await Step("start", () => cast.Send(HttpMethod.Post, $"{sessions}/tokens/{token}/start", pair.Doctor, null)))
                .GetProperty("consultationId").GetGuid();
            await Hub("join room", hub.Doctor, "JoinRoom", consultationId);
            await Hub("join room", hub.Patient, "JoinRoom", consultationId);
            await Hub("chat", hub.Patient, "SendChat", consultationId, Guid.NewGuid(), "Namaste doctor");
            await Step("record", () => cast.WriteRecord(consultationId, pair.Doctor));
            await Step("complete", () => cast.Complete(pair, session, token));
            Interlocked.Increment(ref consultations);
            await Hub("hang up", hub.Doctor, "HangUp", consultationId);
            await Hub("hang up", hub.Patient, "HangUp", consultationId);
        }
        catch (StepFailed)
        {
            ok = false;
        }
        try
        {
            await Step("close session", () => cast.Send(HttpMethod.Post, $"{sessions}/close", pair.Doctor, null));
        }
        catch (StepFailed)
        {
            ok = false;
        }
        return ok;
    }

    private async Task<T> Step<T>(string name, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException or Microsoft.AspNetCore.SignalR.HubException)
        {
            Failed(name, e);
            throw new StepFailed();
        }
    }

    private void Failed(string name, Exception e)
    {
        errors.AddOrUpdate(name, 1, (_, n) => n + 1);
        if (firstErrors.Count < 10)
        {
            firstErrors.Enqueue($"{name}: {e.Message}");
        }
    }

    private Task<JsonElement> Hub(string name, HubConnection hub, string method, params object?[] arguments) => Step(name, async () =>
    {
        var reply = await hub.InvokeCoreAsync<JsonElement>(method, arguments);
        return reply.GetProperty("ok").GetBoolean() ? reply : throw new InvalidOperationException($"{method}: {reply}");
    });

    private sealed class StepFailed : Exception;

    private string Report(TimeSpan elapsed, long baseline, long end, bool held)
    {
        var sessions = Volatile.Read(ref closed);
        var rows = memory.Select(m => string.Create(CultureInfo.InvariantCulture, $"| {m.At:hh\\:mm} | {m.Sessions} | {m.Megabytes} |"));
        return string.Join('\n', new[]
        {
            $"{doctors} doctors at a time, each going round: open a session, a patient checks in, call, start, both join the room, chat, vitals, notes, "
                + "diagnosis and a prescription with If-Match, complete (signs the prescription), both hang up, close the session. "
                + "Server, PostgreSQL and driver on one machine, loopback only.",
            "",
            string.Create(CultureInfo.InvariantCulture,
                $"**{sessions} sessions opened and closed and {consultations} consultations completed in {elapsed.TotalMinutes:0} minutes; "
                + $"{errors.Values.Sum()} errors. Resident memory after the warm-up (a tenth of the sessions and of the time) {baseline} MB, "
                + $"at the end {end} MB ({(end - baseline) * 100.0 / baseline:+0.0;-0.0} %): {(held ? "within" : "NOT within")} 10 %.**"),
            "",
            "| elapsed | sessions closed | resident MB |",
            "|---|---|---|",
        }.Concat(rows).Concat(errors.IsEmpty ? [] : new[]
        {
            "",
            "Errors by step: " + string.Join(", ", errors.Select(e => $"{e.Key} {e.Value}")) + ". First: " + string.Join("; ", firstErrors),
        }));
    }
}
