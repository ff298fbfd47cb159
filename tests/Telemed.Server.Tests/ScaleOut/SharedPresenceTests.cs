using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.ScaleOut;

/// <summary>Who is online is one answer for all nodes: a doctor on one node sees patients connected to another.</summary>
public class SharedPresenceTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    /// <summary>A doctor kept on node A by the balancer, watching a new session with one checked-in patient.</summary>
    private async Task<(HttpClient OnA, string Doctor, TestPatient Patient, Guid SessionId, HubClient DoctorHub)> DoctorOnAWatching()
    {
        var onA = await nodes.Balancer.ClientOn(0);
        var doctor = await Remote.SignIn(onA, Api.DoctorEmail);
        var sessionId = await Remote.OpenSession(onA, doctor);
        var patient = (await nodes.Server.Host.CreatePatients(1))[0];
        await (await Remote.Send(onA, HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", patient.AccessToken, new { })).ShouldHave(HttpStatusCode.Created);
        var doctorHub = await HubClient.Connect(nodes.Balancer.Address, "/hubs/queue", doctor, await nodes.Balancer.Pin(0), "PatientPresenceChanged");
        (await doctorHub.Invoke("WatchQueue", sessionId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        return (onA, doctor, patient, sessionId, doctorHub);
    }

    private static async Task<bool> ShownOnline(HttpClient http, string doctor, Guid sessionId) =>
        (await (await Remote.Send(http, HttpMethod.Get, $"/api/sessions/{sessionId}/queue", doctor)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("rows")[0].GetProperty("online").GetBoolean();

    private static async Task<JsonElement> NextPresence(HubClient doctorHub, bool online, int timeoutSeconds = 10) =>
        await doctorHub.Next("PatientPresenceChanged", p => p.GetProperty("online").GetBoolean() == online, timeoutSeconds);

    [Fact]
    public async Task A_patient_on_node_B_is_online_for_the_doctor_on_node_A_until_their_last_connection_closes()
    {
        var (onA, doctor, patient, sessionId, doctorHub) = await DoctorOnAWatching();
        await using var _ = doctorHub;

        var patientHub = await HubClient.Connect(nodes.Balancer.Address, "/hubs/queue", patient.AccessToken, await nodes.Balancer.Pin(1), "PositionChanged");
        (await patientHub.Invoke("WatchMyToken", sessionId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await NextPresence(doctorHub, online: true)).GetProperty("token").GetInt32().ShouldBe(1);
        await TwoNodeTests.Eventually(() => ShownOnline(onA, doctor, sessionId));

        // A second tab on node A, then the first closes: still online, since a connection remains somewhere.
        var secondTab = await HubClient.Connect(nodes.Balancer.Address, "/hubs/queue", patient.AccessToken, await nodes.Balancer.Pin(0), "PositionChanged");
        // A hub call is answered only after OnConnectedAsync has run, so the second tab now counts.
        (await secondTab.Invoke("WatchMyToken", sessionId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        await NextPresence(doctorHub, online: true);
        await patientHub.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        doctorHub.Received("PatientPresenceChanged").ShouldBeFalse("one tab closing while another is open is no change");
        (await ShownOnline(onA, doctor, sessionId)).ShouldBeTrue();

        await secondTab.DisposeAsync();
        (await NextPresence(doctorHub, online: false)).GetProperty("token").GetInt32().ShouldBe(1);
        (await ShownOnline(onA, doctor, sessionId)).ShouldBeFalse();
    }

    [Fact]
    public async Task The_patients_of_a_killed_node_go_offline_for_doctors_on_the_others_within_the_node_timeout()
    {
        var (onA, doctor, patient, sessionId, doctorHub) = await DoctorOnAWatching();
        await using var _ = doctorHub;
        var doomed = await nodes.StartNode();
        await using var __ = doomed;
        var patientHub = await HubClient.Connect(doomed.Address, "/hubs/queue", patient.AccessToken, "PositionChanged");
        await using var ___ = patientHub;
        (await patientHub.Invoke("WatchMyToken", sessionId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        await NextPresence(doctorHub, online: true);

        var killedAt = Stopwatch.StartNew();
        await doomed.Kill();

        // Node timeout 4 s, heartbeats every 0.8 s: reaped within about 5 s of the kill.
        (await NextPresence(doctorHub, online: false, timeoutSeconds: 15)).GetProperty("token").GetInt32().ShouldBe(1);
        killedAt.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        (await ShownOnline(onA, doctor, sessionId)).ShouldBeFalse();
        using var onB = await nodes.Balancer.ClientOn(1);
        (await ShownOnline(onB, doctor, sessionId)).ShouldBeFalse();
    }
}
