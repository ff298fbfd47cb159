using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.ScaleOut;

/// <summary>
/// Two server processes on one PostgreSQL schema and one Redis behind a sticky <see cref="Balancer"/>: what happens on
/// one node reaches clients of the other.
/// </summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public TelemedServer Server { get; } = new();

    public RedisServer Redis { get; private set; } = null!;

    public ServerProcess A { get; private set; } = null!;

    public ServerProcess B { get; private set; } = null!;

    /// <summary>In front of A (node 0) and B (node 1).</summary>
    public Balancer Balancer { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Server.InitializeAsync();
        Redis = await RedisServer.Start();
        A = await StartNode();
        B = await StartNode();
        Balancer = await Balancer.Start(A.Address, B.Address);
    }

    /// <summary>Another node on the same database and Redis; nodes silent for 4 s are reaped, so crash tests stay short.</summary>
    public Task<ServerProcess> StartNode(IDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string> { ["Redis__ConnectionString"] = Redis.ConnectionString, ["Redis__NodeTimeoutSeconds"] = "4" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        return ServerProcess.Start(Server.Schema, Server.KeyPath, all);
    }

    public async ValueTask DisposeAsync()
    {
        if (Balancer is not null)
        {
            await Balancer.DisposeAsync();
        }
        if (A is not null)
        {
            await A.DisposeAsync();
        }
        if (B is not null)
        {
            await B.DisposeAsync();
        }
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
        await Server.DisposeAsync();
    }
}

public class TwoNodeTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    /// <summary>A patient kept on node A by the balancer, waiting in a session; the doctor works on node B.</summary>
    private async Task<(HttpClient OnA, HttpClient OnB, string Doctor, TestPatient Patient, Guid SessionId, HubClient PatientHub)> PatientOnADoctorOnB()
    {
        var onA = await nodes.Balancer.ClientOn(0);
        var onB = await nodes.Balancer.ClientOn(1);
        var doctor = await Remote.SignIn(onB, Api.DoctorEmail);
        var sessionId = await Remote.OpenSession(onB, doctor);
        var patient = (await nodes.Server.Host.CreatePatients(1))[0];
        await (await Remote.Send(onA, HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", patient.AccessToken, new { complaint = "two nodes" }))
            .ShouldHave(HttpStatusCode.Created);
        var patientHub = await HubClient.Connect(nodes.Balancer.Address, "/hubs/queue", patient.AccessToken, await nodes.Balancer.Pin(0), "PositionChanged");
        (await patientHub.Invoke("WatchMyToken", sessionId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        return (onA, onB, doctor, patient, sessionId, patientHub);
    }

    /// <summary>The patient's consultation started by the doctor on node B, both in its room (the patient's room connection on node A).</summary>
    private async Task<(Guid ConsultationId, HubClient DoctorHub, HubClient PatientRoom)> InRoom(HttpClient onB, string doctor, TestPatient patient, Guid sessionId, HubClient patientHub)
    {
        await (await Remote.Send(onB, HttpMethod.Post, $"/api/sessions/{sessionId}/call-next", doctor)).ShouldHave(HttpStatusCode.OK);
        (await patientHub.Next("PositionChanged", p => p.GetProperty("state").GetString() == "called")).GetProperty("token").GetInt32().ShouldBe(1);
        var started = await Remote.Send(onB, HttpMethod.Post, $"/api/sessions/{sessionId}/tokens/1/start", doctor);
        var consultationId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consultationId").GetGuid();
        var doctorHub = await HubClient.Connect(nodes.Balancer.Address, "/hubs/consultation", doctor, await nodes.Balancer.Pin(1), Room.Pushes);
        var patientRoom = await HubClient.Connect(nodes.Balancer.Address, "/hubs/consultation", patient.AccessToken, await nodes.Balancer.Pin(0), Room.Pushes);
        (await doctorHub.Invoke("JoinRoom", consultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await patientRoom.Invoke("JoinRoom", consultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctorHub.Next("PeerJoined")).GetProperty("accountId").GetGuid().ShouldBe(patient.Id);
        return (consultationId, doctorHub, patientRoom);
    }

    [Fact]
    public async Task Queue_pushes_room_signalling_and_chat_cross_between_nodes()
    {
        var (_, onB, doctor, patient, sessionId, patientHub) = await PatientOnADoctorOnB();
        await using var _ = patientHub;
        var (consultationId, doctorHub, patientRoom) = await InRoom(onB, doctor, patient, sessionId, patientHub);
        await using var ___ = patientRoom;
        await using var __ = doctorHub;

        (await doctorHub.Invoke("SendOffer", consultationId, patient.Id, Room.Offer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await patientRoom.Next("Offer")).GetProperty("sdp").GetString().ShouldBe(Room.Offer);
        (await patientRoom.Invoke("SendAnswer", consultationId, Room.DoctorId, Room.Answer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctorHub.Next("Answer")).GetProperty("sdp").GetString().ShouldBe(Room.Answer);
        (await patientRoom.Invoke("SendIceCandidate", consultationId, Room.DoctorId, Room.Candidate, "0", 0)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctorHub.Next("IceCandidate")).GetProperty("candidate").GetString().ShouldBe(Room.Candidate);
        (await patientRoom.Invoke("SendChat", consultationId, Guid.NewGuid(), "Namaste from node A")).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctorHub.Next("ChatMessage")).GetProperty("text").GetString().ShouldBe("Namaste from node A");
    }

    [Fact]
    public async Task A_patient_whose_network_drops_for_5_s_mid_consultation_receives_everything_sent_meanwhile()
    {
        var (_, onB, doctor, patient, sessionId, patientHub) = await PatientOnADoctorOnB();
        await using var _ = patientHub;
        var (consultationId, doctorHub, patientRoom) = await InRoom(onB, doctor, patient, sessionId, patientHub);
        await using var ___ = patientRoom;
        await using var __ = doctorHub;
        var connectionId = patientRoom.Connection.ConnectionId;

        // Every connection through the balancer goes, the doctor's too; for the 5 s the doctor sends over a direct line to B.
        nodes.Balancer.Cut();
        await using var doctorDirect = await HubClient.Connect(nodes.B.Address, "/hubs/consultation", doctor, Room.Pushes);
        (await doctorDirect.Invoke("JoinRoom", consultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        var sent = new List<string>();
        for (var second = 0; second < 5; second++)
        {
            sent.Add($"said {second} s into the drop");
            (await doctorDirect.Invoke("SendChat", consultationId, Guid.NewGuid(), sent[^1])).GetProperty("ok").GetBoolean().ShouldBeTrue();
            (await doctorDirect.Invoke("SendIceCandidate", consultationId, patient.Id, Room.Candidate, "0", second)).GetProperty("value").GetBoolean().ShouldBeTrue();
            await Task.Delay(1000);
        }
        patientRoom.Received("ChatMessage").ShouldBeFalse("nothing reaches the patient while the network is gone");
        nodes.Balancer.Restore();

        foreach (var text in sent)
        {
            (await patientRoom.Next("ChatMessage", timeoutSeconds: 20)).GetProperty("text").GetString().ShouldBe(text);
        }
        for (var second = 0; second < 5; second++)
        {
            (await patientRoom.Next("IceCandidate")).GetProperty("sdpMLineIndex").GetInt32().ShouldBe(second);
        }
        patientRoom.Connection.ConnectionId.ShouldBe(connectionId, "the same SignalR connection, resumed on node A");
        doctorDirect.Received("PeerDisconnected").ShouldBeFalse("the room never saw the patient go");
        (await patientRoom.Invoke("SendChat", consultationId, Guid.NewGuid(), "back")).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctorDirect.Next("ChatMessage", m => m.GetProperty("text").GetString() == "back")).GetProperty("from").GetGuid().ShouldBe(patient.Id);
    }

    [Fact]
    public async Task Both_nodes_are_ready_only_while_Redis_answers_and_recover_by_themselves()
    {
        var (_, onB, doctor, _, sessionId, patientHub) = await PatientOnADoctorOnB();
        await using var _ = patientHub;
        using var probeA = new HttpClient { BaseAddress = nodes.A.Address };

        await nodes.Redis.Stop();
        try
        {
            await Eventually(async () => (await probeA.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable);
            (await probeA.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
            // The event store does not need Redis: the doctor's call is recorded even though its push cannot cross now.
            await (await Remote.Send(onB, HttpMethod.Post, $"/api/sessions/{sessionId}/call-next", doctor)).ShouldHave(HttpStatusCode.OK);
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await nodes.Redis.Resume();
        }

        using var probeB = new HttpClient { BaseAddress = nodes.B.Address };
        await Eventually(async () => (await probeA.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK);
        await Eventually(async () => (await probeB.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK);
        (await (await Remote.Send(probeA, HttpMethod.Get, $"/api/sessions/{sessionId}/queue", doctor)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("rows")[0].GetProperty("state").GetString().ShouldBe("called", "nothing written while Redis was down is lost");

        // Pushes cross again once both nodes have re-subscribed (a moment after they report ready): the doctor skips,
        // recalls and calls again until the patient on the other node hears one of them.
        string[] commands = ["tokens/1/skip", "tokens/1/recall", "call-next"];
        var heard = false;
        for (var attempt = 0; attempt < 9 && !heard; attempt++)
        {
            await (await Remote.Send(onB, HttpMethod.Post, $"/api/sessions/{sessionId}/{commands[attempt % 3]}", doctor)).ShouldHave(HttpStatusCode.OK);
            try
            {
                await patientHub.Next("PositionChanged", p => p.GetProperty("state").GetString() is "skipped" or "recalled" or "called", timeoutSeconds: 4);
                heard = true;
            }
            catch (OperationCanceledException)
            {
            }
        }
        heard.ShouldBeTrue("queue pushes cross nodes again after Redis came back");
    }

    [Fact]
    public async Task When_a_node_is_killed_its_clients_continue_the_consultation_on_the_other()
    {
        var doomed = await nodes.StartNode();
        await using var _ = doomed;
        await using var balancer = await Balancer.Start(doomed.Address, nodes.B.Address);
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
        (await patientHub.Invoke("SendChat", consultationId, Guid.NewGuid(), "before the crash")).GetProperty("ok").GetBoolean().ShouldBeTrue();
        var doctorBack = doctorHub.Reconnected();
        var patientBack = patientHub.Reconnected();

        await doomed.Kill();

        // The balancer sends both to the surviving node; the room is rebuilt there from the consultation's events, and
        // the call renegotiates (ICE restart).
        await doctorBack.WaitAsync(TimeSpan.FromSeconds(15));
        await patientBack.WaitAsync(TimeSpan.FromSeconds(15));
        var rejoined = await doctorHub.Invoke("JoinRoom", consultationId);
        rejoined.GetProperty("ok").GetBoolean().ShouldBeTrue();
        rejoined.GetProperty("value").GetProperty("status").GetString().ShouldBe("open");
        (await patientHub.Invoke("JoinRoom", consultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctorHub.Invoke("SendOffer", consultationId, patient.Id, Room.Offer, 2)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await patientHub.Next("Offer")).GetProperty("negotiation").GetInt32().ShouldBe(2);
        var history = await (await Remote.Send(http, HttpMethod.Get, $"/api/consultations/{consultationId}", doctor)).Content.ReadFromJsonAsync<JsonElement>();
        history.GetProperty("history").EnumerateArray().Count(e => e.GetProperty("event").GetString() == "ChatMessagePosted").ShouldBe(1);
        await (await Remote.Send(http, HttpMethod.Post, $"/api/sessions/{sessionId}/tokens/1/complete", doctor)).ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_sign_out_everywhere_on_one_node_ends_the_session_on_another_through_Redis()
    {
        // Node C rereads PostgreSQL for revocations and checks its connections only every 60 s: within this test only
        // the message through Redis can tell it.
        await using var c = await nodes.StartNode(new Dictionary<string, string>
        {
            ["Auth__RevokedSessionPollSeconds"] = "60", ["Auth__RevocationCheckSeconds"] = "60",
        });
        using var onA = new HttpClient { BaseAddress = nodes.A.Address };
        using var onC = new HttpClient { BaseAddress = c.Address };
        var laptop = await Remote.SignIn(onC, Colleague);
        var phone = await Remote.SignIn(onA, Colleague);
        await using var hub = await HubClient.Connect(c.Address, "/hubs/queue", laptop);
        var closed = hub.Closed();
        await (await Remote.Send(onC, HttpMethod.Get, "/api/me", laptop)).ShouldHave(HttpStatusCode.OK);

        await (await Remote.Send(onA, HttpMethod.Post, "/api/auth/sign-out-everywhere", phone)).ShouldHave(HttpStatusCode.NoContent);

        await Eventually(async () => (await Remote.Send(onC, HttpMethod.Get, "/api/me", laptop)).StatusCode == HttpStatusCode.Unauthorized);
        await closed.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private const string Colleague = "rahul.nair@telemed.local";

    internal static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold within 30 s.");
            }
            await Task.Delay(250);
        }
    }
}
