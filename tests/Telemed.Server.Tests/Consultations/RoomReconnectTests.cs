using System.Net.Http.Json;
using System.Text.Json;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Consultations;

/// <summary>Hosts with short grace periods, TURN and candidate filtering configured.</summary>
public class RoomReconnectTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Configured(int graceSeconds) => server.Start(new Dictionary<string, string?>
    {
        ["Signalling:ReconnectGraceSeconds"] = graceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Signalling:ForbiddenCandidateNetworks:0"] = "10.0.0.0/8",
        ["Turn:Secret"] = "turn-test-secret",
        ["Turn:StunUrls:0"] = "stun:127.0.0.1:3478",
        ["Turn:TurnUrls:0"] = "turn:127.0.0.1:3478?transport=udp",
        ["Turn:TurnUrls:1"] = "turn:127.0.0.1:3478?transport=tcp",
        ["Turn:TurnUrls:2"] = "turns:127.0.0.1:5349?transport=tcp",
    });

    [Fact]
    public async Task A_patient_who_reloads_within_the_grace_period_rejoins_the_same_room()
    {
        var host = Configured(graceSeconds: 30);
        var room = await Room.Start(host);
        var (doctor, patient) = await room.JoinBoth(host);
        await using var _ = doctor;

        await patient.DisposeAsync();
        (await doctor.Next("PeerDisconnected")).GetProperty("role").GetString().ShouldBe("patient");
        await using var reloaded = await HubClient.Connect(host, "/hubs/consultation", room.Patient.AccessToken, Room.Pushes);
        var rejoin = await reloaded.Invoke("JoinRoom", room.ConsultationId);

        rejoin.GetProperty("value").GetProperty("rejoined").GetBoolean().ShouldBeTrue();
        (await doctor.Next("PeerJoined")).GetProperty("role").GetString().ShouldBe("patient");
        await reloaded.Invoke("RequestIceRestart", room.ConsultationId, Room.DoctorId);
        await doctor.Next("IceRestartRequested");
        doctor.Received("PeerLeft").ShouldBeFalse();
    }

    [Fact]
    public async Task After_the_grace_period_the_other_side_is_told_the_peer_left()
    {
        var host = Configured(graceSeconds: 60);
        var room = await Room.Start(host);
        var (doctor, patient) = await room.JoinBoth(host);
        await using var _ = doctor;

        await patient.DisposeAsync();
        await doctor.Next("PeerDisconnected");
        server.Time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(200);
        doctor.Received("PeerLeft").ShouldBeFalse("still within the grace period");
        server.Time.Advance(TimeSpan.FromSeconds(2));

        (await doctor.Next("PeerLeft")).GetProperty("role").GetString().ShouldBe("patient");
        var history = await host.As(room.DoctorToken).GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}");
        history.GetProperty("history").EnumerateArray().Last().GetProperty("event").GetString().ShouldBe("ParticipantLeft");
    }

    [Fact]
    public async Task Participants_get_stun_and_time_limited_turn_credentials()
    {
        var host = Configured(graceSeconds: 30);
        var room = await Room.Start(host);

        var servers = await host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}/ice-servers");

        var list = servers.GetProperty("servers");
        list[0].GetProperty("urls")[0].GetString().ShouldBe("stun:127.0.0.1:3478");
        list[1].GetProperty("urls").GetArrayLength().ShouldBe(3);
        var username = list[1].GetProperty("username").GetString()!;
        var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(username.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture));
        var now = server.Time.GetUtcNow();
        expires.ShouldBeGreaterThan(now);
        expires.ShouldBeLessThanOrEqualTo(now.AddMinutes(10), "a TURN credential lives ten minutes at most");
        servers.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(expires);
        list[1].GetProperty("credential").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Candidates_from_forbidden_networks_inside_an_offer_are_dropped_before_relay()
    {
        var host = Configured(graceSeconds: 30);
        var room = await Room.Start(host);
        var (doctor, patient) = await room.JoinBoth(host);
        await using var _ = doctor;
        await using var __ = patient;
        const string forbidden = "a=candidate:1 1 udp 2122260223 10.20.30.40 5000 typ host generation 0\r\n";
        const string mapped = "a=candidate:2 1 udp 2122260223 ::ffff:10.20.30.41 5001 typ host generation 0\r\n";
        var firstCandidate = Room.Offer.IndexOf("a=candidate:", StringComparison.Ordinal);
        var offer = Room.Offer.Insert(firstCandidate, forbidden + mapped);

        (await doctor.Invoke("SendOffer", room.ConsultationId, room.Patient.Id, offer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();

        var relayed = (await patient.Next("Offer")).GetProperty("sdp").GetString()!;
        relayed.ShouldNotContain("10.20.30.40");
        relayed.ShouldNotContain("10.20.30.41");
        relayed.ShouldBe(Room.Offer, "everything else, its allowed candidates included, reaches the patient as the browser wrote it");
    }

    [Fact]
    public async Task A_consultation_that_has_ended_gives_its_participants_no_more_turn_credentials()
    {
        var host = Configured(graceSeconds: 30);
        var room = await Room.Start(host);
        await (await host.As(room.DoctorToken).PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null)).ShouldHave(System.Net.HttpStatusCode.OK);

        foreach (var token in new[] { room.Patient.AccessToken, room.DoctorToken })
        {
            var response = await host.As(token).GetAsync($"/api/consultations/{room.ConsultationId}/ice-servers");
            await response.ShouldHave(System.Net.HttpStatusCode.Conflict);
            (await response.Problem()).GetProperty("title").GetString().ShouldBe("ConsultationEnded");
        }
    }

    [Fact]
    public async Task The_pre_call_test_relays_only_for_a_patient_with_a_token_in_a_queue()
    {
        var host = Configured(graceSeconds: 30);
        var patient = (await host.CreatePatients(1))[0];
        var doctor = await host.SignInStaff(Api.DoctorEmail);

        async Task<JsonElement> Servers(string token) => (await host.As(token).GetFromJsonAsync<JsonElement>("/api/precall/ice-servers")).GetProperty("servers");

        var before = await Servers(patient.AccessToken);
        before.GetArrayLength().ShouldBe(1, "STUN only before checking in");
        (await Servers(doctor.AccessToken)).GetArrayLength().ShouldBe(1, "staff do not test a relay outside a consultation");

        var sessionId = await Sessions.Open(host);
        await Sessions.CheckIn(host, sessionId, patient);
        var checkedIn = await Servers(patient.AccessToken);
        checkedIn.GetArrayLength().ShouldBe(2);
        checkedIn[1].GetProperty("credential").GetString().ShouldNotBeNullOrEmpty();

        await (await host.As(patient.AccessToken).PostAsync($"/api/sessions/{sessionId}/tokens/1/cancel", null)).ShouldHave(System.Net.HttpStatusCode.OK);
        (await Servers(patient.AccessToken)).GetArrayLength().ShouldBe(1, "a cancelled token needs no relay");
    }

    [Fact]
    public async Task Candidates_from_forbidden_networks_are_dropped_not_relayed()
    {
        var host = Configured(graceSeconds: 30);
        var room = await Room.Start(host);
        var (doctor, patient) = await room.JoinBoth(host);
        await using var _ = doctor;
        await using var __ = patient;

        var dropped = await doctor.Invoke("SendIceCandidate", room.ConsultationId, room.Patient.Id, "candidate:1 1 udp 2122260223 10.20.30.40 5000 typ host", "0", 0);
        var relayed = await doctor.Invoke("SendIceCandidate", room.ConsultationId, room.Patient.Id, Room.Candidate, "0", 0);

        dropped.GetProperty("value").GetBoolean().ShouldBeFalse();
        relayed.GetProperty("value").GetBoolean().ShouldBeTrue();
        (await patient.Next("IceCandidate")).GetProperty("candidate").GetString().ShouldBe(Room.Candidate);
    }
}
