using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace Telemed.Benchmarks;

/// <summary>
/// Whole consultations, many at once, for a fixed time: each of N doctor–patient pairs goes round check-in → call →
/// start → both join the room → offer, answer and candidates → call reported connected → chat both ways → vitals,
/// notes, diagnosis, prescription → complete (the prescription is signed) → both hang up → the pharmacist verifies and
/// dispenses it; then again. Every step is timed; every failure counted. Afterwards the event store is read back: each
/// consultation, session and prescription stream must hold exactly the events the steps that succeeded imply.
/// </summary>
public sealed class ConsultationLoad(Uri server, string database, int pairs, int seconds)
{
    private static readonly string Offer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "chromium-156-offer.sdp"));
    private static readonly string Answer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "chromium-156-answer.sdp"));
    private const string Candidate = "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0";

    private readonly BenchCast cast = new(server);
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> timings = new();
    private readonly ConcurrentDictionary<string, int> errors = new();
    private readonly ConcurrentQueue<string> firstErrors = new();
    private readonly ConcurrentBag<(Guid Session, Guid Consultation, Guid Prescription)> completed = [];
    private static readonly string[] TokenEvents = ["patient_checked_in", "token_called", "token_consultation_started", "token_completed"];

    /// <summary>Per session, how many check-ins, calls, starts and completions the server acknowledged.</summary>
    private readonly ConcurrentDictionary<Guid, int[]> acknowledged = new();

    public async Task<string> Run(int serverPid)
    {
        Console.WriteLine($"Setting up {pairs} doctors with sessions and {pairs} patients…");
        var cast = await this.cast.Pairs(pairs, capacity: 2000);
        var pharmacist = await this.cast.SignIn("meena.iyer@telemed.local", "telemed-demo");
        Console.WriteLine("Connecting their hub clients…");
        var hubs = new (HubConnection Doctor, HubConnection Patient)[pairs];
        await Parallel.ForEachAsync(cast, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (pair, cancellationToken) =>
        {
            hubs[pair.Index] = (BenchmarkReport.Hub(server, "/hubs/consultation", pair.Doctor), BenchmarkReport.Hub(server, "/hubs/consultation", pair.Patient));
            await hubs[pair.Index].Doctor.StartAsync(cancellationToken);
            await hubs[pair.Index].Patient.StartAsync(cancellationToken);
        });

        Console.WriteLine($"Running {pairs} consultations at a time for {seconds} s…");
        var cpuBefore = CpuSeconds(serverPid);
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(cast.Select(pair => Task.Run(async () =>
        {
            while (clock.Elapsed < until)
            {
                if (!await Consultation(pair, hubs[pair.Index], pharmacist))
                {
                    await Task.Delay(1000); // a failed round is counted; the next starts from a fresh check-in
                }
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = CpuSeconds(serverPid) - cpuBefore;
        var memory = BenchmarkReport.ResidentMegabytes(serverPid);
        await Parallel.ForEachAsync(hubs, async (hub, _) =>
        {
            await hub.Doctor.DisposeAsync();
            await hub.Patient.DisposeAsync();
        });

        Console.WriteLine("Reading the event store back…");
        var check = await CheckEventStore();
        return Report(elapsed, cpu, memory, check);
    }

    /// <summary>One consultation from check-in to dispensing; false when a step failed (counted, and the round abandoned).</summary>
    private async Task<bool> Consultation(BenchPair pair, (HubConnection Doctor, HubConnection Patient) hub, string pharmacist)
    {
        var sessions = $"/api/sessions/{pair.Session}";
        try
        {
            var counts = acknowledged.GetOrAdd(pair.Session, _ => new int[TokenEvents.Length]);
            var checkedIn = await Step("check-in", () => cast.Send(HttpMethod.Post, $"{sessions}/check-in", pair.Patient, new { complaint = "load test" }));
            counts[0]++;
            var token = checkedIn.GetProperty("token").GetInt32();
            await Step("call-next", () => cast.Send(HttpMethod.Post, $"{sessions}/call-next", pair.Doctor, null));
            counts[1]++;
            var consultationId = (await Step("start consultation", () => cast.Send(HttpMethod.Post, $"{sessions}/tokens/{token}/start", pair.Doctor, null)))
                .GetProperty("consultationId").GetGuid();
            counts[2]++;

            await Hub("join room", hub.Doctor, "JoinRoom", consultationId);
            await Hub("join room", hub.Patient, "JoinRoom", consultationId);
            var (doctorId, patientId) = (BenchCast.AccountOf(pair.Doctor), BenchCast.AccountOf(pair.Patient));
            await Hub("offer", hub.Doctor, "SendOffer", consultationId, patientId, Offer, 1);
            await Hub("answer", hub.Patient, "SendAnswer", consultationId, doctorId, Answer, 1);
            await Hub("ICE candidate", hub.Doctor, "SendIceCandidate", consultationId, patientId, Candidate, "0", 0);
            await Hub("ICE candidate", hub.Patient, "SendIceCandidate", consultationId, doctorId, Candidate, "0", 0);
            // As the patient's browser does: its camera state is recorded (TPG 2020's "seen on video").
            await Hub("media state", hub.Patient, "SetMediaState", consultationId, true, true);
            await Hub("report connected", hub.Patient, "ReportConnected", consultationId);
            await Hub("chat", hub.Doctor, "SendChat", consultationId, Guid.NewGuid(), "How are you feeling today?");
            await Hub("chat", hub.Patient, "SendChat", consultationId, Guid.NewGuid(), "Better, thank you.");

            await Step("write record", () => cast.WriteRecord(consultationId, pair.Doctor));

            await Step("complete (signs the prescription)", () => cast.Complete(pair, pair.Session, token));
            counts[3]++;
            await Hub("hang up", hub.Doctor, "HangUp", consultationId);
            await Hub("hang up", hub.Patient, "HangUp", consultationId);
            var prescriptionId = (await Step("read record", () => cast.Send(HttpMethod.Get, $"/api/consultations/{consultationId}/record", pair.Patient, null))).GetProperty("prescriptionId").GetGuid();

            var verdict = await Step("pharmacy verify", () => cast.Send(HttpMethod.Get, $"/api/pharmacy/prescriptions/{prescriptionId}", pharmacist, null));
            if (verdict.GetProperty("verdict").GetString() != "valid")
            {
                throw new InvalidOperationException($"verdict {verdict.GetProperty("verdict")}");
            }
            await Step("dispense", () => cast.Send(HttpMethod.Post, $"/api/pharmacy/prescriptions/{prescriptionId}/dispensations", pharmacist,
                new { requestId = Guid.NewGuid(), lines = new[] { new { line = 0, quantity = 6 } } }));
            completed.Add((pair.Session, consultationId, prescriptionId));
            return true;
        }
        catch (StepFailed)
        {
            return false;
        }
    }

    private async Task<T> Step<T>(string name, Func<Task<T>> step)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var result = await step();
            timings.GetOrAdd(name, _ => []).Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            return result;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException or Microsoft.AspNetCore.SignalR.HubException)
        {
            errors.AddOrUpdate(name, 1, (_, n) => n + 1);
            if (firstErrors.Count < 10)
            {
                firstErrors.Enqueue($"{name}: {e.Message}");
            }
            throw new StepFailed();
        }
    }

    private Task<JsonElement> Hub(string name, HubConnection hub, string method, params object?[] arguments) => Step(name, async () =>
    {
        var reply = await hub.InvokeCoreAsync<JsonElement>(method, arguments);
        return reply.GetProperty("ok").GetBoolean() ? reply : throw new InvalidOperationException($"{method}: {reply}");
    });

    private sealed class StepFailed : Exception;

    private sealed record StoreCheck(int Consultations, int ConsultationsAsExpected, string Sequence, int Sessions, int SessionsAsExpected, int Prescriptions,
        int PrescriptionsAsExpected, long EventsInStore);

    /// <summary>
    /// Every completed consultation's stream must hold the same sequence of event types (one join per side, no event
    /// twice); every session stream exactly four token events per consultation completed in it; every prescription
    /// stream exactly its signing and its dispensing.
    /// </summary>
    private async Task<StoreCheck> CheckEventStore()
    {
        var done = completed.ToList();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        async Task<Dictionary<Guid, List<string>>> Streams(IEnumerable<Guid> ids)
        {
            await using var command = new NpgsqlCommand(
                "select stream_id, type from telemed.mt_events where stream_id = any(@ids) order by stream_id, version", connection);
            command.Parameters.AddWithValue("ids", ids.Distinct().ToArray());
            var streams = new Dictionary<Guid, List<string>>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var id = reader.GetGuid(0);
                (streams.TryGetValue(id, out var list) ? list : streams[id] = []).Add(reader.GetString(1));
            }
            return streams;
        }
        var consultations = await Streams(done.Select(d => d.Consultation));
        var sequence = consultations.Values.GroupBy(types => string.Join(',', types)).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key ?? "";
        var sessions = await Streams(acknowledged.Keys);
        var prescriptions = await Streams(done.Select(d => d.Prescription));
        await using var total = new NpgsqlCommand("select count(*) from telemed.mt_events", connection);
        return new StoreCheck(
            done.Count,
            done.Count(d => consultations.TryGetValue(d.Consultation, out var types) && string.Join(',', types) == sequence),
            sequence,
            acknowledged.Count,
            acknowledged.Count(s => sessions.TryGetValue(s.Key, out var types) && TokenEventsAsExpected(types, s.Value)),
            done.Count,
            done.Count(d => prescriptions.TryGetValue(d.Prescription, out var types) && string.Join(',', types) == "prescription_signed,prescription_dispensed"),
            (long)(await total.ExecuteScalarAsync())!);
    }

    /// <summary>A pair's session: opened once, then exactly one event per check-in, call, start and completion the server acknowledged.</summary>
    private static bool TokenEventsAsExpected(List<string> types, int[] acknowledged) =>
        types.Count(t => t == "session_opened") == 1
        && TokenEvents.Select((type, i) => types.Count(t => t == type) == acknowledged[i]).All(equal => equal)
        && types.Count == 1 + acknowledged.Sum();

    private string Report(double elapsed, double cpuSeconds, long memory, StoreCheck store)
    {
        var rows = timings.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t =>
        {
            var ms = t.Value.ToList();
            return string.Create(CultureInfo.InvariantCulture,
                $"| {t.Key} | {ms.Count} | {ms.Count / elapsed:0.0} | {BenchmarkReport.Percentile(ms, 50):0.0} | {BenchmarkReport.Percentile(ms, 99):0.0} | {errors.GetValueOrDefault(t.Key)} |");
        });
        var failedOnly = errors.Keys.Where(k => !timings.ContainsKey(k)).Select(k => $"| {k} | 0 | 0 | – | – | {errors[k]} |");
        return string.Join('\n', new[]
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{pairs} doctor–patient pairs, each going round whole consultations for {seconds} s (check-in, call, start, both join the room, offer/answer/2 candidates, "
                + $"connected, chat both ways, vitals/notes/diagnosis/prescription with If-Match, complete — which signs the prescription and renders its PDF and FHIR — "
                + $"hang up, pharmacist verifies and dispenses). Server, PostgreSQL and driver on one machine, loopback only; the driver's 2×{pairs} hub clients are SignalR .NET clients."),
            "",
            string.Create(CultureInfo.InvariantCulture,
                $"**{store.Consultations} consultations completed in {elapsed:0} s = {store.Consultations / elapsed:0.0} per second; {errors.Values.Sum()} errors.** "
                + $"Server CPU {cpuSeconds / elapsed:0.00} cores on average (of 2), resident memory at the end {memory} MB."),
            "",
            "| step | count | per second | p50 ms | p99 ms | errors |",
            "|---|---|---|---|---|---|",
        }.Concat(rows).Concat(failedOnly).Concat(new[]
        {
            "",
            $"Event store afterwards ({store.EventsInStore} events in all): {store.ConsultationsAsExpected} of {store.Consultations} consultation streams hold exactly "
            + $"`{store.Sequence}`; {store.SessionsAsExpected} of {store.Sessions} session streams hold exactly their opening and one event per check-in, call, start and completion acknowledged; "
            + $"{store.PrescriptionsAsExpected} of {store.Prescriptions} prescription streams hold exactly its signing and its dispensing.",
        }).Concat(firstErrors.IsEmpty ? [] : new[] { "", "First errors: " + string.Join("; ", firstErrors) }));
    }

    private static double CpuSeconds(int pid)
    {
        // utime and stime, fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second on Linux).
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
