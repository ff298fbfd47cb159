using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Infrastructure;

/// <summary>PostgreSQL restarted under a running server process with a connected hub client.</summary>
public class DatabaseOutageTests
{
    [Fact]
    public async Task While_PostgreSQL_is_down_requests_fail_fast_with_503_and_the_server_recovers_by_itself()
    {
        await using var database = await PostgresServer.Start();
        var keyPath = Path.Combine(Path.GetTempPath(), $"telemed-outage-{Guid.NewGuid():N}.pem");
        try
        {
            await Outage(database, keyPath);
        }
        finally
        {
            File.Delete(keyPath);
            if (Directory.Exists(keyPath + ".rx"))
            {
                Directory.Delete(keyPath + ".rx", recursive: true);
            }
        }
    }

    private static async Task Outage(PostgresServer database, string keyPath)
    {
        await using var node = await ServerProcess.Start("telemed", keyPath, new Dictionary<string, string> { ["Database__ConnectionString"] = database.ConnectionString });
        using var http = new HttpClient { BaseAddress = node.Address };
        var doctor = await Remote.SignIn(http, Api.DoctorEmail);
        var sessionId = await Remote.OpenSession(http, doctor);
        await using var hub = await HubClient.Connect(node.Address, "/hubs/queue", doctor);
        (await hub.Invoke("WatchQueue", sessionId)).GetProperty("ok").GetBoolean().ShouldBeTrue("connected, and its set-up done");

        await database.Stop();

        var clock = Stopwatch.StartNew();
        var refused = await Remote.Send(http, HttpMethod.Get, $"/api/sessions/{sessionId}/queue", doctor);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5), "a request fails fast, not after a long time-out");
        refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        var problem = JsonSerializer.Deserialize<JsonElement>(await refused.Content.ReadAsStringAsync());
        problem.GetProperty("title").GetString().ShouldBe("Database unavailable");
        (await http.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await http.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await database.Resume();

        var recovered = false;
        for (var attempt = 0; attempt < 60 && !recovered; attempt++)
        {
            recovered = (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
            if (!recovered)
            {
                await Task.Delay(500);
            }
        }
        recovered.ShouldBeTrue("readiness came back without restarting the server");
        (await Remote.Send(http, HttpMethod.Get, $"/api/sessions/{sessionId}/queue", doctor)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Remote.OpenSession(http, doctor);
        (await hub.Invoke("WatchQueue", sessionId)).GetProperty("ok").GetBoolean().ShouldBeTrue("the hub connection survived the outage");
    }
}
