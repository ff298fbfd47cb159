using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Consultations;

/// <summary>Faults in the middle of a consultation, with real processes and sockets: the server killed, a client's network gone.</summary>
public class ConsultationFaultTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    [Fact]
    public async Task A_patient_whose_network_drops_without_a_close_frame_is_held_for_the_grace_period_and_rejoins()
    {
        var room = await Room.Start(server.Host);
        await using var node = await ServerProcess.Start(server.Schema, server.KeyPath);
        await using var doctor = await HubClient.Connect(node.Address, "/hubs/consultation", room.DoctorToken, Room.Pushes);
        (await doctor.Invoke("JoinRoom", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        using (var dropped = new ClientWebSocket())
        {
            await dropped.ConnectAsync(new Uri($"ws://{node.Address.Authority}/hubs/consultation?access_token={Uri.EscapeDataString(room.Patient.AccessToken)}"), CancellationToken.None);
            await dropped.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
            await dropped.SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":1,\"target\":\"JoinRoom\",\"arguments\":[\"{room.ConsultationId}\"]}}\u001e"),
                WebSocketMessageType.Text, true, CancellationToken.None);
            (await doctor.Next("PeerJoined")).GetProperty("role").GetString().ShouldBe("patient");

            dropped.Abort(); // the TCP connection goes, no WebSocket close frame: a phone losing its network
        }

        (await doctor.Next("PeerDisconnected", timeoutSeconds: 30)).GetProperty("role").GetString().ShouldBe("patient");
        await using var back = await HubClient.Connect(node.Address, "/hubs/consultation", room.Patient.AccessToken, Room.Pushes);
        var rejoin = await back.Invoke("JoinRoom", room.ConsultationId);
        rejoin.GetProperty("value").GetProperty("rejoined").GetBoolean().ShouldBeTrue();
        (await doctor.Next("PeerJoined")).GetProperty("role").GetString().ShouldBe("patient");
        doctor.Received("PeerLeft").ShouldBeFalse("back within the grace period");
    }

    [Fact]
    public async Task With_stateful_reconnect_a_dropped_socket_resumes_the_same_connection_and_delivers_what_was_sent_meanwhile()
    {
        var room = await Room.Start(server.Host);
        await using var node = await ServerProcess.Start(server.Schema, server.KeyPath);
        await using var doctor = await HubClient.Connect(node.Address, "/hubs/consultation", room.DoctorToken, Room.Pushes);
        (await doctor.Invoke("JoinRoom", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        var (patient, socket) = await HubClient.ConnectWithSocket(node.Address, "/hubs/consultation", room.Patient.AccessToken, affinity: null, Room.Pushes);
        await using var _ = patient;
        (await patient.Invoke("JoinRoom", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        await doctor.Next("PeerJoined");
        var connectionId = patient.Connection.ConnectionId;
        var firstSocket = socket();

        firstSocket.Abort(); // no close frame: the network went
        (await doctor.Invoke("SendIceCandidate", room.ConsultationId, room.Patient.Id, Room.Candidate, "0", 0)).GetProperty("value").GetBoolean().ShouldBeTrue();

        var candidate = await patient.Next("IceCandidate", timeoutSeconds: 15);
        candidate.GetProperty("candidate").GetString().ShouldBe(Room.Candidate);
        socket().ShouldNotBeSameAs(firstSocket, "the candidate came over a new socket");
        patient.Connection.ConnectionId.ShouldBe(connectionId, "the same SignalR connection, resumed");
        doctor.Received("PeerDisconnected").ShouldBeFalse("the room never saw the patient go");
        (await patient.Invoke("SendTyping", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task After_a_kill_mid_consultation_the_doctor_reconnects_and_finishes_with_nothing_lost_and_nothing_twice()
    {
        var patient = (await server.Host.CreatePatients(1))[0];
        Guid sessionId, consultationId;
        await using (var node = await ServerProcess.Start(server.Schema, server.KeyPath))
        {
            using var http = new HttpClient { BaseAddress = node.Address };
            var doctor = await Remote.SignIn(http, Api.DoctorEmail);
            sessionId = await Remote.OpenSession(http, doctor);
            await (await Remote.Send(http, HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", patient.AccessToken, new { complaint = "crash test" }))
                .ShouldHave(HttpStatusCode.Created);
            await (await Remote.Send(http, HttpMethod.Post, $"/api/sessions/{sessionId}/call-next", doctor)).ShouldHave(HttpStatusCode.OK);
            var started = await Remote.Send(http, HttpMethod.Post, $"/api/sessions/{sessionId}/tokens/1/start", doctor);
            consultationId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consultationId").GetGuid();
            await using var doctorHub = await HubClient.Connect(node.Address, "/hubs/consultation", doctor);
            await using var patientHub = await HubClient.Connect(node.Address, "/hubs/consultation", patient.AccessToken);
            (await doctorHub.Invoke("JoinRoom", consultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
            (await patientHub.Invoke("JoinRoom", consultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
            (await patientHub.Invoke("ReportConnected", consultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
            await Write(http, doctor, consultationId,
                ("vitals", new { pulse = new { value = 88, unit = "/min" } }),
                ("notes", new { chiefComplaints = "Fever for 2 days", advice = "Rest and fluids" }),
                ("diagnosis", new { text = "Fever, unspecified", codeSystem = "icd10", code = "R50.9" }),
                ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol } }));

            await node.Kill();
        }

        await using var restarted = await ServerProcess.Start(server.Schema, server.KeyPath);
        using var again = new HttpClient { BaseAddress = restarted.Address };
        var doctorAgain = await Remote.SignIn(again, Api.DoctorEmail);
        await using (var rejoined = await HubClient.Connect(restarted.Address, "/hubs/consultation", doctorAgain))
        {
            var room = await rejoined.Invoke("JoinRoom", consultationId);
            room.GetProperty("ok").GetBoolean().ShouldBeTrue("the consultation survived the kill");
            room.GetProperty("value").GetProperty("status").GetString().ShouldBe("open");
        }
        var record = await (await Remote.Send(again, HttpMethod.Get, $"/api/consultations/{consultationId}/record", doctorAgain)).Content.ReadFromJsonAsync<JsonElement>();
        record.GetRawText().ShouldContain("Fever for 2 days");
        var unlock = await Remote.UnlockSigning(again, doctorAgain);
        await (await Remote.Send(again, HttpMethod.Post, $"/api/sessions/{sessionId}/tokens/1/complete", doctorAgain, signingUnlock: unlock)).ShouldHave(HttpStatusCode.OK);

        await using var db = server.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = (await db.Events.FetchStreamAsync(consultationId)).Select(e => e.EventTypeName).ToList();
        foreach (var once in new[] { "consultation_started", "vitals_recorded", "notes_recorded", "diagnosis_recorded", "medicines_prescribed", "prescription_issued", "consultation_completed" })
        {
            events.Count(e => e == once).ShouldBe(1, $"{once} in {string.Join(", ", events)}");
        }
    }

    private static async Task Write(HttpClient http, string doctor, Guid consultationId, params (string Part, object Body)[] parts)
    {
        var path = $"/api/consultations/{consultationId}/record";
        var etag = (await Remote.Send(http, HttpMethod.Get, path, doctor)).Headers.ETag!.Tag;
        foreach (var (part, body) in parts)
        {
            using var put = Remote.Authorised(HttpMethod.Put, $"{path}/{part}", doctor, body);
            put.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(etag));
            var changed = await http.SendAsync(put);
            await changed.ShouldHave(HttpStatusCode.OK);
            etag = changed.Headers.ETag!.Tag;
        }
    }
}
