using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.ScaleOut;

/// <summary>A node told to stop (SIGTERM) hands its clients over to the others without failing anyone.</summary>
public class DrainTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    [Fact]
    public async Task A_node_stopped_with_SIGTERM_drains_and_its_call_continues_on_the_other_node_without_a_failed_request()
    {
        var leaving = await nodes.StartNode(new Dictionary<string, string> { ["Shutdown__DrainSeconds"] = "2", ["Shutdown__TimeoutSeconds"] = "10" });
        await using var _ = leaving;
        // The balancer puts new clients on the leaving node while it is ready, so everything starts there.
        await using var balancer = await Balancer.Start(leaving.Address, nodes.A.Address);
        using var http = await balancer.ClientOn(0);
        var doctor = await Remote.SignIn(http, Api.DoctorEmail);
        var sessionId = await Remote.OpenSession(http, doctor);
        var patient = (await nodes.Server.Host.CreatePatients(1))[0];
        await (await Remote.Send(http, HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", patient.AccessToken, new { })).ShouldHave(HttpStatusCode.Created);
        await (await Remote.Send(http, HttpMethod.Post, $"/api/sessions/{sessionId}/call-next", doctor)).ShouldHave(HttpStatusCode.OK);
        var started = await Remote.Send(http, HttpMethod.Post, $"/api/sessions/{sessionId}/tokens/1/start", doctor);
        var consultationId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consultationId").GetGuid();
        await using var doctorHub = await HubClient.Connect(balancer.Address, "/hubs/consultation", doctor, await balancer.Pin(0), Room.Pushes);
        await using var patientHub = await HubClient.Connect(balancer.Address, "/hubs/consultation", patient.AccessToken, await balancer.Pin(0), Room.Pushes);
        (await doctorHub.Invoke("JoinRoom", consultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await patientHub.Invoke("JoinRoom", consultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        var doctorBack = doctorHub.Reconnected();
        var patientBack = patientHub.Reconnected();

        // Requests keep coming through the balancer the whole time, as a busy clinic's would.
        using var stopTraffic = new CancellationTokenSource();
        var traffic = Traffic(http, doctor, sessionId, stopTraffic.Token);
        await Task.Delay(300);

        await leaving.Terminate();
        using var direct = new HttpClient { BaseAddress = leaving.Address };
        await TwoNodeTests.Eventually(async () => (await direct.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable);
        (await direct.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK, "draining is not dying: the node still serves");

        // Open hub WebSockets can hold the host until the shutdown timeout (10 s after the 2 s drain); then it exits by itself.
        (await leaving.Exited(TimeSpan.FromSeconds(20))).ShouldBe(0, $"the node exits cleanly once the shutdown timeout has passed; its log:\n{leaving.RecentLog}");
        await doctorBack.WaitAsync(TimeSpan.FromSeconds(10));
        await patientBack.WaitAsync(TimeSpan.FromSeconds(10));

        // Both reconnected to node A through the balancer; they rejoin and renegotiate (ICE restart) there.
        var rejoined = await doctorHub.Invoke("JoinRoom", consultationId);
        rejoined.GetProperty("ok").GetBoolean().ShouldBeTrue();
        rejoined.GetProperty("value").GetProperty("status").GetString().ShouldBe("open");
        (await patientHub.Invoke("JoinRoom", consultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctorHub.Invoke("SendOffer", consultationId, patient.Id, Room.Offer, 2)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await patientHub.Next("Offer")).GetProperty("negotiation").GetInt32().ShouldBe(2);

        await stopTraffic.CancelAsync();
        var (answered, failures) = await traffic;
        answered.ShouldBeGreaterThan(10);
        failures.ShouldBeEmpty();
    }

    /// <summary>Reads the queue in a loop; returns how many answers came and every answer that was not 200.</summary>
    private static async Task<(int Answered, List<string> Failures)> Traffic(HttpClient http, string doctor, Guid sessionId, CancellationToken stop)
    {
        var answered = 0;
        var failures = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await Remote.Send(http, HttpMethod.Get, $"/api/sessions/{sessionId}/queue", doctor);
                answered++;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{(int)response.StatusCode}");
                }
            }
            catch (HttpRequestException e)
            {
                failures.Add(e.Message);
            }
            await Task.Delay(20, CancellationToken.None);
        }
        return (answered, failures);
    }
}
