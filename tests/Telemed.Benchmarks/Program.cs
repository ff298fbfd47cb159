using System.Globalization;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Benchmarks;

// dotnet Telemed.Benchmarks.dll micro [NAME]                   — BenchmarkDotNet: queue, signalling, hub protocols, prescriptions, HIP transfer (or only NAME)
// dotnet Telemed.Benchmarks.dll queue-latency URL PID N SAMPLES — load driver (run-queue-latency.sh starts the server)
// dotnet Telemed.Benchmarks.dll idle-connections URL PID N [HTTP2_URL] — idle hub connections and server memory (run-idle-connections.sh)
// dotnet Telemed.Benchmarks.dll signalling-relay URL PEERJS_URL PID PEER_PID ROOMS SECONDS [URL_B PID_B] — hub vs PeerJS, and across two nodes (run-signalling-relay.sh)
// dotnet Telemed.Benchmarks.dll consultation-load URL PID PAIRS SECONDS DB — whole consultations under load (run-consultation-load.sh)
// dotnet Telemed.Benchmarks.dll fake-sms-settings GATEWAY_URL — the server settings (NAME=value lines) that send SMS to the fake gateway
// dotnet Telemed.Benchmarks.dll message-dispatch DB SECRET_PATH MESSAGES GATEWAY_URL — dispatcher throughput (run-message-dispatch.sh)
// dotnet Telemed.Benchmarks.dll otp-under-load URL WAITING SAMPLES GATEWAY_URL — OTP latency under queue messages (run-otp-under-load.sh)
// dotnet Telemed.Benchmarks.dll soak URL PID DOCTORS SESSIONS MINUTES — sessions opened and closed for a long time, memory held (run-soak.sh)
// All write their figures into docs/benchmarks.md (section per benchmark, with machine and date).
var mode = args.FirstOrDefault() ?? "micro";
var docs = Path.Combine(BenchmarkReport.RepositoryRoot(), "docs", "benchmarks.md");
switch (mode)
{
    case "micro":
        var config = ManualConfig.Create(DefaultConfig.Instance).AddJob(Job.ShortRun).WithOptions(ConfigOptions.DisableOptimizationsValidator)
            .WithBuildTimeout(TimeSpan.FromMinutes(10)); // the generated project builds slowly on a busy 2-core machine
        var suites = new[]
        {
            (typeof(QueueBenchmarks), "Queue decisions (micro)"),
            (typeof(SignallingBenchmarks), "Signalling validation (micro)"),
            (typeof(HubProtocolBenchmarks), "Hub protocols: one relayed ICE candidate (micro)"),
            (typeof(PrescriptionBenchmarks), "Prescriptions: sign, verify, PDF, FHIR (micro)"),
            (typeof(HipTransferBenchmarks), "ABDM: build, encrypt and push 100 care contexts (micro, one core)"),
        };
        foreach (var (type, title) in suites.Where(s => args.Length < 2 || s.Item1.Name.StartsWith(args[1], StringComparison.OrdinalIgnoreCase)))
        {
            var summary = BenchmarkRunner.Run(type, config);
            var report = Directory.GetFiles(summary.ResultsDirectoryPath, $"*{type.Name}-report-github.md").Single();
            var table = string.Join('\n', File.ReadAllLines(report).SkipWhile(line => !line.StartsWith('|')));
            var how = type == typeof(HipTransferBenchmarks)
                ? "BenchmarkDotNet ShortRun pinned to one core, `tests/Telemed.Benchmarks/run-hip-transfer.sh`. Mean is per care context (100 per invocation). Target: < 10 ms per care context."
                : "BenchmarkDotNet ShortRun, `dotnet tests/Telemed.Benchmarks/bin/Release/net10.0/Telemed.Benchmarks.dll micro`.";
            BenchmarkReport.Write(docs, title, how + "\n\n" + table);
        }
        break;
    case "queue-latency":
        var server = new Uri(args[1]);
        var pid = int.Parse(args[2], CultureInfo.InvariantCulture);
        var patients = int.Parse(args[3], CultureInfo.InvariantCulture);
        var samples = int.Parse(args[4], CultureInfo.InvariantCulture);
        var result = await new QueueLatency(server, patients, samples).Run();
        var memory = BenchmarkReport.ResidentMegabytes(pid);
        var gc = Environment.GetEnvironmentVariable("DOTNET_gcServer") == "0" ? "workstation GC" : "server GC";
        BenchmarkReport.Write(docs, $"Queue latency at {patients} waiting patients ({gc})",
            "`tests/Telemed.Benchmarks/run-queue-latency.sh` (release build; server, PostgreSQL and driver on one machine, loopback only).\n\n"
            + result + $"\n\nServer: {gc} (`DOTNET_gcServer={(gc == "server GC" ? 1 : 0)}`), resident memory after the run {memory} MB. Target: p99 < 20 ms.");
        Console.WriteLine(result);
        break;
    case "signalling-relay":
        var rooms = int.Parse(args[5], CultureInfo.InvariantCulture);
        var seconds = int.Parse(args[6], CultureInfo.InvariantCulture);
        var second = args.Length > 8 ? new Uri(args[7]) : null;
        var perClient = int.Parse(Environment.GetEnvironmentVariable("PER_CLIENT_PER_SECOND") ?? "1", CultureInfo.InvariantCulture);
        var signalling = new SignallingRelay(new Uri(args[1]), new Uri(args[2]), rooms, seconds, second, perClient);
        var relay = await signalling
            .Run(int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture),
                second is null ? 0 : int.Parse(args[8], CultureInfo.InvariantCulture));
        var inline = Environment.GetEnvironmentVariable("INLINE_COMPLETIONS") == "1" ? ", inline socket completions" : "";
        var rate = string.Create(CultureInfo.InvariantCulture, $"{signalling.MessagesPerSecond:N0} messages a second");
        BenchmarkReport.Write(docs, second is null ? $"Signalling relay at {rooms} rooms, {rate}{inline}" : $"Signalling relay across two nodes at {rooms} rooms, {rate}",
            "`tests/Telemed.Benchmarks/run-signalling-relay.sh` (release build; " + (second is null ? "" : "`TWO_NODES=1`, two Telemed nodes on one redis-server, ")
            + "both servers, PostgreSQL and the driver on one machine, loopback only; "
            + $"Telemed server with {(Environment.GetEnvironmentVariable("DOTNET_gcServer") == "1" ? "server" : "workstation")} GC"
            + (inline.Length > 0 ? " and `DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1`" : "")
            + (Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") is { } spin
                ? $", thread-pool spin limit {spin}" : ", idle thread-pool workers not spinning (the server's runtimeconfig)")
            + ").\n\n" + relay);
        Console.WriteLine(relay);
        break;
    case "consultation-load":
        var loadPairs = int.Parse(args[3], CultureInfo.InvariantCulture);
        var loadSeconds = int.Parse(args[4], CultureInfo.InvariantCulture);
        var load = await new ConsultationLoad(new Uri(args[1]), args[5], loadPairs, loadSeconds).Run(int.Parse(args[2], CultureInfo.InvariantCulture));
        BenchmarkReport.Write(docs, $"Whole consultations under load ({loadPairs} at a time)",
            "`tests/Telemed.Benchmarks/run-consultation-load.sh` (release build, workstation GC"
            + (Environment.GetEnvironmentVariable("INLINE_COMPLETIONS") == "1" ? ", inline socket completions" : "") + ").\n\n" + load);
        Console.WriteLine(load);
        break;
    case "idle-connections":
        var count = int.Parse(args[3], CultureInfo.InvariantCulture);
        var idle = await new IdleConnections(new Uri(args[1]), count, args.Length > 4 ? new Uri(args[4]) : null).Run(int.Parse(args[2], CultureInfo.InvariantCulture));
        BenchmarkReport.Write(docs, args.Length > 4 ? "Idle hub connections per node over HTTP/2" : "Idle hub connections per node",
            "`tests/Telemed.Benchmarks/run-idle-connections.sh` (release build, loopback only, "
            + $"{(Environment.GetEnvironmentVariable("DOTNET_gcServer") == "1" ? "server" : "workstation")} GC).\n\n" + idle);
        Console.WriteLine(idle);
        break;
    case "fake-sms-settings":
        Console.WriteLine(await BenchGateway.Settings(args[1]));
        break;
    case "message-dispatch":
        var messages = int.Parse(args[3], CultureInfo.InvariantCulture);
        var dispatch = await new MessageDispatch(args[1], args[2], messages, args[4]).Run();
        BenchmarkReport.Write(docs, $"Message dispatch of {messages} SMS on one node",
            "`tests/Telemed.Benchmarks/run-message-dispatch.sh` (release build; server, PostgreSQL, fake gateway and driver on one machine, loopback only).\n\n" + dispatch);
        Console.WriteLine(dispatch);
        break;
    case "otp-under-load":
        var otpWaiting = int.Parse(args[2], CultureInfo.InvariantCulture);
        var otp = await new OtpUnderLoad(new Uri(args[1]), otpWaiting, int.Parse(args[3], CultureInfo.InvariantCulture), args[4]).Run();
        BenchmarkReport.Write(docs, $"OTP latency with {otpWaiting} waiting patients",
            "`tests/Telemed.Benchmarks/run-otp-under-load.sh` (release build; server, PostgreSQL, fake gateway and driver on one machine, loopback only).\n\n" + otp);
        Console.WriteLine(otp);
        break;
    case "soak":
        var soakSessions = int.Parse(args[4], CultureInfo.InvariantCulture);
        var (soak, held) = await new Soak(new Uri(args[1]), int.Parse(args[3], CultureInfo.InvariantCulture), soakSessions,
            TimeSpan.FromMinutes(double.Parse(args[5], CultureInfo.InvariantCulture))).Run(int.Parse(args[2], CultureInfo.InvariantCulture));
        BenchmarkReport.Write(docs, "Soak: sessions opened and closed on one node",
            $"`tests/Telemed.Benchmarks/run-soak.sh {args[3]} {soakSessions} {args[5]}` (release build, workstation GC). Target: resident memory at the end within 10 % of the level after the warm-up.\n\n" + soak);
        Console.WriteLine(soak);
        return held ? 0 : 1;
    default:
        Console.Error.WriteLine($"Unknown mode {mode}; use micro, queue-latency, signalling-relay, consultation-load, idle-connections, message-dispatch, otp-under-load or soak.");
        return 2;
}
return 0;

internal static class BenchmarkReport
{
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Telemed.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }

    public static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), "
            + $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024 / 1024 / 1024} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    public static double Percentile(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>
    /// The WebSocket address of a new hub connection, negotiated as SignalR clients do (POST <c>negotiate</c>, then the
    /// socket with the connection's token), for drivers that speak the protocol over raw WebSockets to stay small.
    /// </summary>
    public static async Task<Uri> Negotiate(HttpMessageInvoker http, Uri server, string hubPath, string accessToken, Version? httpVersion = null)
    {
        var token = Uri.EscapeDataString(accessToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, $"{hubPath}/negotiate?negotiateVersion=1&access_token={token}"));
        if (httpVersion is not null)
        {
            request.Version = httpVersion;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
        using var response = await http.SendAsync(request, CancellationToken.None);
        response.EnsureSuccessStatusCode();
        var negotiated = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content);
        var id = Uri.EscapeDataString(negotiated.GetProperty("connectionToken").GetString()!);
        return new Uri(new Uri(server.ToString().Replace("http", "ws", StringComparison.Ordinal)), $"{hubPath}?id={id}&access_token={token}");
    }

    /// <summary>A hub client as the web client makes it: negotiated, WebSockets, JSON, stateful reconnect, token in the query string.</summary>
    public static Microsoft.AspNetCore.SignalR.Client.HubConnection Hub(Uri server, string hubPath, string accessToken) =>
        Microsoft.AspNetCore.SignalR.Client.HubConnectionBuilderHttpExtensions.WithUrl(
                Microsoft.AspNetCore.SignalR.Client.HubConnectionBuilderHttpExtensions.WithStatefulReconnect(new Microsoft.AspNetCore.SignalR.Client.HubConnectionBuilder()),
                new Uri(server, $"{hubPath}?access_token={Uri.EscapeDataString(accessToken)}"),
                options => options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets)
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(
                new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)))
            .Build();

    public static long ResidentMegabytes(int pid)
    {
        var status = $"/proc/{pid}/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)) : null;
        return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Replaces this benchmark's section of docs/benchmarks.md (or appends it), leaving the others as they are.</summary>
    public static void Write(string path, string title, string body)
    {
        var start = $"<!-- {title}: start -->";
        var end = $"<!-- {title}: end -->";
        var section = $"{start}\n## {title}\n\nMeasured {DateTime.UtcNow:yyyy-MM-dd} on {Machine()}.\n\n{body}\n{end}";
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\nFigures written by `tests/Telemed.Benchmarks`; each section says how it was run.\n";
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        text = from >= 0 && to > from ? text[..from] + section + text[(to + end.Length)..] : text.TrimEnd() + "\n\n" + section + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
