using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Queue;

/// <summary>How queue changes reach the screens: in the order they were recorded, and never held up by a client that stopped reading.</summary>
public class QueuePushTests(TelemedServer server) : IClassFixture<TelemedServer>
{
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
        // The session's second doctor: every queue read goes on the reader's audit trail, and the backlog this socket
        // leaves must not be appended while another test signs the first doctor in (that sign-in would answer 409).
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

    private static readonly string Complaint = string.Concat(Enumerable.Repeat("Fever and cough for three days, worse at night. ", 40));
}
