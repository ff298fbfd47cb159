using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Queue;

/// <summary>How queue changes reach the screens: in the order they were recorded, and never held up by a client that stopped reading.</summary>
public class QueuePushTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    /// <summary>
    /// A screen that asks for the whole queue again and again and reads nothing, until the server stops taking its
    /// requests: its answers fill the socket and every further write to it waits. Returns the flood, which ends only when
    /// a send fails (the server closed the connection, or <paramref name="giveUp"/> came).
    /// </summary>
    private static async Task<Task> Stall(System.Net.WebSockets.WebSocket screen, Guid sessionId, CancellationToken giveUp)
    {
        var asked = 0;
        var flood = Task.Run(async () =>
        {
            while (true)
            {
                await HubClient.Invoke(screen, $"{asked}", "WatchQueue", [sessionId], giveUp);
                Interlocked.Increment(ref asked);
            }
        }, giveUp);
        int before;
        do
        {
            before = Volatile.Read(ref asked);
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
        }
        while (Volatile.Read(ref asked) != before && !flood.IsCompleted);
        return flood;
    }

    [Fact]
    public async Task Pushes_of_concurrent_commands_reach_the_doctor_in_the_order_they_were_recorded()
    {
        var host = server.Host;
        var sessionId = await Sessions.Open(host);
        var patients = await host.CreatePatients(30);
        await using var doctor = await HubClient.Connect(host, "/hubs/queue", (await host.SignInStaff(Api.DoctorEmail)).AccessToken, "QueueUpdated");
        var start = (await doctor.Invoke("WatchQueue", sessionId)).GetProperty("value").GetProperty("version").GetInt64();

        await Task.WhenAll(patients.Select(patient => Sessions.CheckIn(host, sessionId, patient)));

        var versions = new List<long>();
        foreach (var _ in patients)
        {
            versions.Add((await doctor.Next("QueueUpdated")).GetProperty("version").GetInt64());
        }
        versions.ShouldBe(Enumerable.Range(1, patients.Count).Select(i => start + i), "each check-in once, in the order recorded");
    }

    [Fact]
    public async Task A_connection_that_stops_reading_is_closed_by_the_server()
    {
        var host = server.StartOnLoopback(ServerProcess.FreePort(), new Dictionary<string, string?> { ["Hubs:SendTimeoutSeconds"] = "1" });
        var sessionId = await Sessions.Open(host);
        var patients = await host.CreatePatients(30);
        await Task.WhenAll(patients.Select(patient => Sessions.CheckIn(host, sessionId, patient, Complaint)));
        using var stuck = await HubClient.RawOverNetwork(host, "/hubs/queue", (await host.SignInStaff("rahul.nair@telemed.local")).AccessToken);

        // Asks for the whole queue again and again and reads none of it: the server's socket fills, then its sends wait.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var flood = Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                await HubClient.Invoke(stuck, $"{i}", "WatchQueue", [sessionId], giveUp.Token);
            }
        });

        // The flood ends only when a send fails: the server closed the connection, or the test gave up on it.
        var cut = await Record.ExceptionAsync(() => flood);
        giveUp.IsCancellationRequested.ShouldBeFalse($"the server closes the connection ({cut?.GetType().Name}), rather than the test giving up");
    }

    /// <summary>
    /// With the default settings: a screen watching the queue that stops reading backs up only its own connection. The
    /// queue's pushes to the session's staff reach the doctor's screen, every one and in order, while the stalled screen
    /// has read nothing, and the server then closes the stalled screen's connection (the transport's send timeout,
    /// <c>Hubs:SendTimeoutSeconds</c>) rather than keep what is sent to it.
    /// </summary>
    [Fact]
    public async Task A_watching_screen_that_stops_reading_holds_up_no_one_elses_pushes_and_is_closed_by_the_server()
    {
        var host = server.StartOnLoopback(ServerProcess.FreePort(), new Dictionary<string, string?>());
        var sessionId = await Sessions.Open(host);
        var patients = await host.CreatePatients(50);
        await Task.WhenAll(patients.Take(30).Select(patient => Sessions.CheckIn(host, sessionId, patient, Complaint)));
        await using var doctor = await HubClient.Connect(host, "/hubs/queue", (await host.SignInStaff(Api.DoctorEmail)).AccessToken, "QueueUpdated");
        var start = (await doctor.Invoke("WatchQueue", sessionId)).GetProperty("value").GetProperty("version").GetInt64();
        using var stalled = await HubClient.RawOverNetwork(host, "/hubs/queue", (await host.SignInStaff("rahul.nair@telemed.local")).AccessToken);

        // The stalled screen joins the session's staff and stops reading.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var flood = await Stall(stalled, sessionId, giveUp.Token);

        // Each check-in is pushed to the session's staff: the stalled screen's copy waits, the doctor's does not.
        var checkedIn = patients.Skip(30).ToList();
        await Task.WhenAll(checkedIn.Select(patient => Sessions.CheckIn(host, sessionId, patient, Complaint)));
        var versions = new List<long>();
        foreach (var _ in checkedIn)
        {
            versions.Add((await doctor.Next("QueueUpdated")).GetProperty("version").GetInt64());
        }
        versions.ShouldBe(Enumerable.Range(1, checkedIn.Count).Select(i => start + i), "the doctor hears of each check-in, in the order recorded");

        // The flood ends only when a send fails: the server closed the connection, or the test gave up on it.
        var cut = await Record.ExceptionAsync(() => flood);
        giveUp.IsCancellationRequested.ShouldBeFalse($"the server closes the stalled connection ({cut?.GetType().Name}), rather than the test giving up");
    }

    [Fact]
    public async Task A_doctors_screen_that_stops_reading_holds_up_no_check_in_and_hears_of_it_when_it_reads_again()
    {
        // A stalled screen may keep a push waiting for a minute here. A command that waited for its pushes would answer
        // only once the framework's transport had given up on the screen and closed it.
        var host = server.StartOnLoopback(ServerProcess.FreePort(), new Dictionary<string, string?> { ["Hubs:SendTimeoutSeconds"] = "60" });
        var sessionId = await Sessions.Open(host);
        var patients = await host.CreatePatients(31);
        await Task.WhenAll(patients.Take(30).Select(patient => Sessions.CheckIn(host, sessionId, patient, Complaint)));
        using var screen = await HubClient.RawOverNetwork(host, "/hubs/queue", (await host.SignInStaff("rahul.nair@telemed.local")).AccessToken);

        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var flood = await Stall(screen, sessionId, giveUp.Token);
        flood.IsCompleted.ShouldBeFalse("the server still holds the stalled screen's connection");

        var token = (await Sessions.CheckIn(host, sessionId, patients[30])).GetProperty("token").GetInt32();

        // The screen reads again: everything held for it arrives, the new check-in among it, on the same connection.
        (await ReadUntilQueueUpdated(screen, token, giveUp.Token)).ShouldBeTrue("the screen hears of the check-in on the connection it had");
        await giveUp.CancelAsync();
        await Record.ExceptionAsync(() => flood);
    }

    /// <summary>Reads the raw socket until a queue update names the token; false if the server closed it first.</summary>
    private static async Task<bool> ReadUntilQueueUpdated(System.Net.WebSockets.WebSocket socket, int token, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>();
        while (true)
        {
            System.Net.WebSockets.WebSocketReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(buffer, cancellationToken);
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                return false;
            }
            if (received.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
            {
                return false;
            }
            pending.AddRange(buffer.AsSpan(0, received.Count).ToArray());
            int end;
            while ((end = pending.IndexOf((byte)HubClient.RecordSeparator)) >= 0)
            {
                using var message = System.Text.Json.JsonDocument.Parse(pending.GetRange(0, end).ToArray());
                pending.RemoveRange(0, end + 1);
                var root = message.RootElement;
                if (root.TryGetProperty("target", out var target) && target.GetString() == "QueueUpdated" &&
                    root.GetProperty("arguments")[0].GetProperty("rows").EnumerateArray().Any(row => row.GetProperty("token").GetInt32() == token))
                {
                    return true;
                }
            }
        }
    }

    private static readonly string Complaint = string.Concat(Enumerable.Repeat("Fever and cough for three days, worse at night. ", 40));
}
