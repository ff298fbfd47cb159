using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Consultations;

/// <summary>
/// ICE candidates sent without asking for a reply, as browsers send them, are relayed by the hub's transport itself
/// (CandidateFastLane): the same checks and delivery as the hub method, in the order the client sent its messages.
/// </summary>
public class CandidateFastLaneTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    [Fact]
    public async Task A_candidate_sent_without_asking_for_a_reply_takes_the_fast_lane_to_the_addressee_only()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;
        using var relays = new Relays(Host);

        await patient.Connection.SendAsync("SendIceCandidate", room.ConsultationId, Room.DoctorId, Room.Candidate, "0", 0);
        var candidate = await doctor.Next("IceCandidate");
        await patient.Connection.SendAsync("SendIceCandidate", room.ConsultationId, Room.DoctorId, Room.Candidate, null, null);
        var withoutMid = await doctor.Next("IceCandidate");

        candidate.GetProperty("consultationId").GetGuid().ShouldBe(room.ConsultationId);
        candidate.GetProperty("from").GetGuid().ShouldBe(room.Patient.Id);
        candidate.GetProperty("to").GetGuid().ShouldBe(Room.DoctorId);
        candidate.GetProperty("candidate").GetString().ShouldBe(Room.Candidate);
        candidate.GetProperty("sdpMid").GetString().ShouldBe("0");
        candidate.GetProperty("sdpMLineIndex").GetInt32().ShouldBe(0);
        withoutMid.GetProperty("sdpMid").ValueKind.ShouldBe(JsonValueKind.Null);
        withoutMid.GetProperty("sdpMLineIndex").ValueKind.ShouldBe(JsonValueKind.Null);
        (relays.Fast, relays.Hub).ShouldBe((2, 0));
        patient.Received("IceCandidate").ShouldBeFalse();
    }

    [Fact]
    public async Task An_addressee_on_two_connections_or_on_signalrs_own_transport_gets_the_candidate_through_the_hubs_lifetime_manager()
    {
        var room = await Room.Start(Host);
        await using var negotiated = await HubClient.ConnectNegotiated(Host, "/hubs/clinic", room.DoctorToken, Room.Pushes);
        (await negotiated.Invoke("JoinRoom", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        using var patient = await JoinRaw(room.Patient.AccessToken, room.ConsultationId);
        using var relays = new Relays(Host);

        await Send(patient, CandidateTo(room, Room.DoctorId));
        (await negotiated.Next("IceCandidate")).GetProperty("candidate").GetString().ShouldBe(Room.Candidate);

        await using var secondTab = await HubClient.Connect(Host, "/hubs/clinic", room.DoctorToken, Room.Pushes);
        (await secondTab.Invoke("JoinRoom", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        await Send(patient, CandidateTo(room, Room.DoctorId, sdpMLineIndex: 1));
        (await negotiated.Next("IceCandidate")).GetProperty("sdpMLineIndex").GetInt32().ShouldBe(1);
        (await secondTab.Next("IceCandidate")).GetProperty("sdpMLineIndex").GetInt32().ShouldBe(1);
        (relays.Fast, relays.Hub).ShouldBe((2, 0));
    }

    [Fact]
    public async Task What_the_hub_would_refuse_goes_to_the_hub_which_refuses_and_audits_it_as_always()
    {
        var (room, doctor, patient) = await DoctorAndBarePatient();
        await using var _ = doctor;
        using var __ = patient;
        var outsider = (await Host.CreatePatients(1))[0];
        using var intruder = await HubClient.Raw(Host, outsider.AccessToken);
        using var relays = new Relays(Host);

        await Send(intruder, CandidateTo(room, Room.DoctorId));
        // Answered after the message before it has been handled (and audited).
        (await Invoke(intruder, "SendTyping", $"\"{room.ConsultationId}\"")).ShouldContain("NotInRoom");
        await Send(patient, CandidateTo(room, Room.DoctorId, "candidate:1 1 udp 1 127.0.0.1 9 typ nonsense"));
        await Send(patient, CandidateTo(room, room.Patient.Id));
        await Send(patient, CandidateTo(room, Room.DoctorId, sdpMLineIndex: 99));
        await Send(patient, CandidateTo(room, Room.DoctorId, Room.Candidate.Replace("38700", "38701", StringComparison.Ordinal)));

        // Each connection's messages arrive in order, so the first candidate the doctor gets is the first one relayed.
        (await doctor.Next("IceCandidate")).GetProperty("candidate").GetString().ShouldContain("38701");
        (relays.Fast, relays.Hub).ShouldBe((1, 0));
        await using var store = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var audit = (await store.Events.FetchStreamAsync(outsider.Id)).Select(e => e.Data).OfType<AccessRefused>().ToList();
        audit.ShouldContain(a => a.Action == "send ICE candidate" && a.Resource == $"consultation/{room.ConsultationId}");
    }

    [Fact]
    public async Task A_candidate_sent_right_after_a_slower_message_does_not_overtake_it()
    {
        var (room, doctor, patient) = await DoctorAndBarePatient();
        await using var _ = doctor;
        using var __ = patient;
        var arrivals = new ConcurrentQueue<string>();
        doctor.Connection.On<JsonElement>("ChatMessage", _ => arrivals.Enqueue("chat"));
        doctor.Connection.On<JsonElement>("IceCandidate", _ => arrivals.Enqueue("candidate"));
        using var relays = new Relays(Host);

        // The chat message is recorded before it is relayed; holding the consultation's stream makes recording it wait.
        await using var hold = new NpgsqlConnection(TelemedServer.ConnectionString);
        await hold.OpenAsync();
        await using var holding = await hold.BeginTransactionAsync();
        await using (var lockStream = new NpgsqlCommand($"SELECT 1 FROM {server.Schema}.mt_streams WHERE id = @id FOR UPDATE", hold, holding))
        {
            lockStream.Parameters.AddWithValue("id", room.ConsultationId);
            (await lockStream.ExecuteScalarAsync()).ShouldBe(1);
        }
        await Send(patient, $"{{\"type\":1,\"target\":\"SendChat\",\"arguments\":[\"{room.ConsultationId}\",\"{Guid.NewGuid()}\",\"Can you hear me?\"]}}");
        await Send(patient, CandidateTo(room, Room.DoctorId));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        doctor.Received("IceCandidate").ShouldBeFalse("the candidate waits for the chat message sent before it");
        await holding.RollbackAsync();
        await doctor.Next("IceCandidate");
        // Once the hub has answered everything sent before, the next candidate takes the fast lane again.
        await Invoke(patient, "SendTyping", $"\"{room.ConsultationId}\"");
        await Send(patient, CandidateTo(room, Room.DoctorId));
        await doctor.Next("IceCandidate");

        arrivals.ShouldBe(["chat", "candidate", "candidate"]);
        (relays.Hub, relays.Fast).ShouldBe((1, 1));
    }

    [Fact]
    public async Task The_fast_lane_spends_the_connections_message_budget_and_the_connection_stays_usable()
    {
        var (room, doctor, patient) = await DoctorAndBarePatient();
        await using var _ = doctor;
        using var __ = patient;
        using var relays = new Relays(Host);
        const int Sent = 300;

        for (var i = 0; i < Sent; i++)
        {
            await Send(patient, CandidateTo(room, Room.DoctorId));
        }
        // Answered after every message sent before it has been handled.
        await Invoke(patient, "SendTyping", $"\"{room.ConsultationId}\"");

        // 50 in a burst (less the one the join took), then 50 a second: far fewer than were sent, unless the fast lane
        // ignored the budget.
        relays.Fast.ShouldBeGreaterThanOrEqualTo(49);
        (relays.Fast + relays.Hub).ShouldBeLessThan(Sent);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        (await Invoke(patient, "SendTyping", $"\"{room.ConsultationId}\"")).ShouldContain("\"ok\":true");
    }

    [Fact]
    public async Task A_connection_that_only_sends_fast_lane_candidates_does_not_time_out()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;
        var closed = patient.Closed();

        // The server closes a client it has not heard from in 30 s; a client that keeps sending sends no pings of its own.
        for (var started = DateTime.UtcNow; DateTime.UtcNow - started < TimeSpan.FromSeconds(35);)
        {
            await patient.Connection.SendAsync("SendIceCandidate", room.ConsultationId, Room.DoctorId, Room.Candidate, "0", 0);
            await doctor.Next("IceCandidate");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        closed.IsCompleted.ShouldBeFalse();
        patient.Connection.State.ShouldBe(HubConnectionState.Connected);
        (await patient.Invoke("SendTyping", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    private static string CandidateTo(Room room, Guid to, string candidate = Room.Candidate, int sdpMLineIndex = 0) =>
        $"{{\"type\":1,\"target\":\"SendIceCandidate\",\"arguments\":[\"{room.ConsultationId}\",\"{to}\",\"{candidate}\",\"0\",{sdpMLineIndex}]}}";

    /// <summary>A started consultation with the doctor in its room on the hub client and the patient on a bare WebSocket.</summary>
    private async Task<(Room Room, HubClient Doctor, WebSocket Patient)> DoctorAndBarePatient()
    {
        var room = await Room.Start(Host);
        var doctor = await HubClient.Connect(Host, "/hubs/clinic", room.DoctorToken, Room.Pushes);
        (await doctor.Invoke("JoinRoom", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        return (room, doctor, await JoinRaw(room.Patient.AccessToken, room.ConsultationId));
    }

    /// <summary>A bare WebSocket in the room, so each message the test sends is one WebSocket message, as a browser's are.</summary>
    private async Task<WebSocket> JoinRaw(string accessToken, Guid consultationId)
    {
        var socket = await HubClient.Raw(Host, accessToken);
        (await Invoke(socket, "JoinRoom", $"\"{consultationId}\"")).ShouldContain("\"ok\":true");
        return socket;
    }

    private static Task Send(WebSocket socket, string message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message + HubClient.RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Invokes and returns the completion message (pushes that come first are skipped).</summary>
    private static async Task<string> Invoke(WebSocket socket, string method, string arguments)
    {
        var id = Guid.NewGuid().ToString("N");
        await Send(socket, $"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"{method}\",\"arguments\":[{arguments}]}}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            var text = Encoding.UTF8.GetString(buffer, 0, received.Count);
            if (text.Split(HubClient.RecordSeparator).FirstOrDefault(m => m.Contains($"\"invocationId\":\"{id}\"", StringComparison.Ordinal)) is { } completion)
            {
                return completion;
            }
        }
    }

    /// <summary>Candidates this host relays from now on, by lane (its own counter, so other test classes' hosts do not count).</summary>
    private sealed class Relays : IDisposable
    {
        private readonly MeterListener listener = new();
        private int fast;
        private int hub;

        public Relays(TelemedFactory host)
        {
            var counter = host.Services.GetRequiredService<TelemedMetrics>().SignallingMessages;
            listener.InstrumentPublished = (instrument, subscriber) =>
            {
                if (instrument == counter)
                {
                    subscriber.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var (kind, lane) = (Tag(tags, "kind"), Tag(tags, "lane"));
                if (kind == "candidate")
                {
                    Interlocked.Add(ref lane == "fast" ? ref fast : ref hub, (int)value);
                }
            });
            listener.Start();
        }

        public int Fast => Volatile.Read(ref fast);

        public int Hub => Volatile.Read(ref hub);

        private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == name)
                {
                    return tag.Value as string;
                }
            }
            return null;
        }

        public void Dispose() => listener.Dispose();
    }
}
