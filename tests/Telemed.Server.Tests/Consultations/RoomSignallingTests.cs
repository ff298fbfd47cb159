using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Consultations;

public class RoomSignallingTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    [Fact]
    public async Task Starting_a_consultation_prompts_the_waiting_patient_to_join_its_room()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        await Sessions.CheckIn(Host, sessionId, patient);
        await using var patientQueue = await HubClient.Connect(Host, "/hubs/queue", patient.AccessToken, "PositionChanged");
        await patientQueue.Invoke("WatchMyToken", sessionId);
        await using var patientRoom = await HubClient.Connect(Host, "/hubs/consultation", patient.AccessToken);
        var doctor = await Sessions.Doctor(Host);
        await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null);

        await doctor.PostAsync($"/api/sessions/{sessionId}/tokens/1/start", null);

        var prompt = await patientQueue.Next("PositionChanged", p => p.GetProperty("state").GetString() == "inConsultation");
        var consultationId = prompt.GetProperty("consultationId").GetGuid();
        (await patientRoom.Invoke("JoinRoom", consultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Offer_answer_and_candidates_reach_the_other_participant_and_only_them()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;

        (await doctor.Invoke("SendOffer", room.ConsultationId, room.Patient.Id, Room.Offer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        var offer = await patient.Next("Offer");
        offer.GetProperty("sdp").GetString().ShouldBe(Room.Offer);
        offer.GetProperty("from").GetGuid().ShouldBe(Room.DoctorId);
        offer.GetProperty("to").GetGuid().ShouldBe(room.Patient.Id);
        (await patient.Invoke("SendAnswer", room.ConsultationId, Room.DoctorId, Room.Answer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctor.Next("Answer")).GetProperty("sdp").GetString().ShouldBe(Room.Answer);
        (await patient.Invoke("SendIceCandidate", room.ConsultationId, Room.DoctorId, Room.Candidate, "0", 0)).GetProperty("value").GetBoolean().ShouldBeTrue();
        var candidate = await doctor.Next("IceCandidate");
        candidate.GetProperty("candidate").GetString().ShouldBe(Room.Candidate);
        candidate.GetProperty("sdpMid").GetString().ShouldBe("0");
        candidate.GetProperty("from").GetGuid().ShouldBe(room.Patient.Id);
        await doctor.Invoke("SendEndOfCandidates", room.ConsultationId, room.Patient.Id);
        (await patient.Next("EndOfCandidates")).GetProperty("from").GetGuid().ShouldBe(Room.DoctorId);

        doctor.Received("Offer").ShouldBeFalse("the sender does not hear its own offer");
    }

    [Fact]
    public async Task A_third_party_cannot_join_the_room_or_send_into_it_and_is_audited()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;
        var outsiders = new[]
        {
            (await Host.CreatePatients(1))[0],
            new TestPatient(DemoSeeder.DoctorRahulId, (await Host.SignInStaff("rahul.nair@telemed.local")).AccessToken),
        };

        foreach (var outsider in outsiders)
        {
            await using var intruder = await HubClient.Connect(Host, "/hubs/consultation", outsider.AccessToken);
            (await intruder.Invoke("JoinRoom", room.ConsultationId)).GetProperty("error").GetProperty("code").GetString().ShouldBe("NotParticipant");
            (await intruder.Invoke("SendOffer", room.ConsultationId, room.Patient.Id, Room.Offer, 1)).GetProperty("error").GetProperty("code").GetString().ShouldBe("NotInRoom");
            (await intruder.Invoke("SendChat", room.ConsultationId, Guid.NewGuid(), "hello")).GetProperty("ok").GetBoolean().ShouldBeFalse();
            await (await Host.As(outsider.AccessToken).GetAsync($"/api/consultations/{room.ConsultationId}/ice-servers")).ShouldHave(HttpStatusCode.Forbidden);

            await using var store = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var audit = (await store.Events.FetchStreamAsync(outsider.Id)).Select(e => e.Data).OfType<AccessRefused>().ToList();
            audit.ShouldContain(a => a.Action == "join room" && a.Resource == $"consultation/{room.ConsultationId}");
            audit.ShouldContain(a => a.Action == "send offer");
        }
        patient.Received("Offer").ShouldBeFalse();
        doctor.Received("ChatMessage").ShouldBeFalse();
    }

    [Fact]
    public async Task Signalling_addressed_to_one_participant_reaches_only_them_and_not_invited_staff()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;
        await using var interpreter = await JoinAsInvitedStaff(room);

        (await doctor.Invoke("SendOffer", room.ConsultationId, room.Patient.Id, Room.Offer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctor.Invoke("SendOffer", room.ConsultationId, DemoSeeder.DoctorRahulId, Room.Offer, 2)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await interpreter.Invoke("SendOffer", room.ConsultationId, room.Patient.Id, Room.Offer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();

        // Each connection gets its messages in the order they were sent, so the first offer each one sees tells what reached it.
        var toInterpreter = await interpreter.Next("Offer");
        toInterpreter.GetProperty("negotiation").GetInt32().ShouldBe(2, "the offer addressed to the patient did not reach the interpreter");
        toInterpreter.GetProperty("from").GetGuid().ShouldBe(Room.DoctorId);
        var fromDoctor = await patient.Next("Offer");
        fromDoctor.GetProperty("from").GetGuid().ShouldBe(Room.DoctorId);
        fromDoctor.GetProperty("negotiation").GetInt32().ShouldBe(1);
        (await patient.Next("Offer")).GetProperty("from").GetGuid().ShouldBe(DemoSeeder.DoctorRahulId);
        (await patient.Invoke("SendAnswer", room.ConsultationId, DemoSeeder.DoctorRahulId, Room.Answer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await interpreter.Next("Answer")).GetProperty("from").GetGuid().ShouldBe(room.Patient.Id);
        (await doctor.Invoke("RequestIceRestart", room.ConsultationId, room.Patient.Id)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await patient.Next("IceRestartRequested")).GetProperty("to").GetGuid().ShouldBe(room.Patient.Id);

        await Task.Delay(300);
        doctor.Received("Offer").ShouldBeFalse("no one offered to the doctor");
        doctor.Received("Answer").ShouldBeFalse("the patient answered the interpreter");
        interpreter.Received("IceRestartRequested").ShouldBeFalse();
    }

    [Fact]
    public async Task Signalling_to_someone_not_in_the_room_reaches_no_one_and_the_call_goes_on()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;
        await (await Host.As(room.DoctorToken).PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/staff", new { staffId = DemoSeeder.DoctorRahulId }))
            .ShouldHave(HttpStatusCode.NoContent);
        // Invited and connected to the hub, but not in the room: not in its member group either.
        await using var notJoined = await HubClient.Connect(Host, "/hubs/consultation", (await Host.SignInStaff("rahul.nair@telemed.local")).AccessToken, Room.Pushes);

        (await doctor.Invoke("SendOffer", room.ConsultationId, DemoSeeder.DoctorRahulId, Room.Offer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctor.Invoke("SendIceCandidate", room.ConsultationId, Guid.NewGuid(), Room.Candidate, "0", 0)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctor.Invoke("SendOffer", room.ConsultationId, room.Patient.Id, Room.Offer, 2)).GetProperty("ok").GetBoolean().ShouldBeTrue();

        (await patient.Next("Offer")).GetProperty("negotiation").GetInt32().ShouldBe(2, "the patient gets only what was addressed to them");
        patient.Received("IceCandidate").ShouldBeFalse();
        await Task.Delay(300);
        notJoined.Received("Offer").ShouldBeFalse("a doctor outside the room hears nothing of it");
    }

    [Fact]
    public async Task Signalling_addressed_to_oneself_is_refused()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;

        var offer = await doctor.Invoke("SendOffer", room.ConsultationId, Room.DoctorId, Room.Offer, 1);
        var candidate = await patient.Invoke("SendIceCandidate", room.ConsultationId, room.Patient.Id, Room.Candidate, "0", 0);
        var restart = await patient.Invoke("RequestIceRestart", room.ConsultationId, room.Patient.Id);

        foreach (var refused in new[] { offer, candidate, restart })
        {
            refused.GetProperty("error").GetProperty("code").GetString().ShouldBe("AddressedToSelf");
        }
        await Task.Delay(300);
        doctor.Received("Offer").ShouldBeFalse();
        patient.Received("IceCandidate").ShouldBeFalse();
    }

    [Fact]
    public async Task Invited_staff_who_hang_up_get_no_more_signalling()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;
        await using var interpreter = await JoinAsInvitedStaff(room);
        (await doctor.Invoke("SendOffer", room.ConsultationId, DemoSeeder.DoctorRahulId, Room.Offer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        await interpreter.Next("Offer");

        (await interpreter.Invoke("HangUp", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctor.Next("PeerLeft")).GetProperty("role").GetString().ShouldBe("staff");
        (await doctor.Invoke("SendOffer", room.ConsultationId, DemoSeeder.DoctorRahulId, Room.Offer, 2)).GetProperty("ok").GetBoolean().ShouldBeTrue();

        await Task.Delay(300);
        interpreter.Received("Offer").ShouldBeFalse("out of the room, out of its member group");
        (await interpreter.Invoke("SendOffer", room.ConsultationId, room.Patient.Id, Room.Offer, 1)).GetProperty("error").GetProperty("code").GetString().ShouldBe("NotInRoom");
    }

    /// <summary>The demo doctor invites Dr. Rahul Nair, who joins the room.</summary>
    private async Task<HubClient> JoinAsInvitedStaff(Room room)
    {
        await (await Host.As(room.DoctorToken).PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/staff", new { staffId = DemoSeeder.DoctorRahulId }))
            .ShouldHave(HttpStatusCode.NoContent);
        var staff = await HubClient.Connect(Host, "/hubs/consultation", (await Host.SignInStaff("rahul.nair@telemed.local")).AccessToken, Room.Pushes);
        (await staff.Invoke("JoinRoom", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        return staff;
    }

    [Fact]
    public async Task Malformed_signalling_is_refused_to_the_sender_only_and_the_call_goes_on()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;

        var garbage = await doctor.Invoke("SendOffer", room.ConsultationId, room.Patient.Id, "v=0\r\n<script>alert(1)</script>", 1);
        var oversized = await doctor.Invoke("SendOffer", room.ConsultationId, room.Patient.Id, Room.Offer + new string('a', 70_000), 1);
        var badCandidate = await doctor.Invoke("SendIceCandidate", room.ConsultationId, room.Patient.Id, "candidate:1 1 udp 1 1.2.3.4 5 typ evil", null, null);

        garbage.GetProperty("error").GetProperty("code").GetString().ShouldBe("InvalidSdp");
        oversized.GetProperty("error").GetProperty("message").GetString().ShouldContain("at most 65536");
        badCandidate.GetProperty("error").GetProperty("code").GetString().ShouldBe("InvalidCandidate");
        patient.Received("Offer").ShouldBeFalse();
        patient.Received("IceCandidate").ShouldBeFalse();
        (await doctor.Invoke("SendOffer", room.ConsultationId, room.Patient.Id, Room.Offer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await patient.Next("Offer")).GetProperty("type").GetString().ShouldBe("offer");
    }

    [Fact]
    public async Task Too_many_messages_trip_the_rate_limit_and_the_connection_stays_usable()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;

        var replies = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => doctor.Invoke("SendTyping", room.ConsultationId)));

        replies.Count(r => !r.GetProperty("ok").GetBoolean()).ShouldBeGreaterThan(0);
        replies.Where(r => !r.GetProperty("ok").GetBoolean()).ShouldAllBe(r => r.GetProperty("error").GetProperty("code").GetString() == "RateLimited");
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        (await doctor.Invoke("SendOffer", room.ConsultationId, room.Patient.Id, Room.Offer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await patient.Next("Offer")).GetProperty("sdp").GetString().ShouldBe(Room.Offer);
    }

    [Fact]
    public async Task Chat_goes_both_ways_with_delivery_and_read_receipts_and_is_recorded_once()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;
        var messageId = Guid.NewGuid();

        var receipt = await patient.Invoke("SendChat", room.ConsultationId, messageId, "  The fever started on Sunday  ");
        receipt.GetProperty("value").GetProperty("text").GetString().ShouldBe("The fever started on Sunday");
        (await doctor.Next("ChatMessage")).GetProperty("messageId").GetGuid().ShouldBe(messageId);
        await doctor.Invoke("AcknowledgeChat", room.ConsultationId, messageId, false);
        (await patient.Next("ChatReceipt")).GetProperty("kind").GetString().ShouldBe("delivered");
        await doctor.Invoke("AcknowledgeChat", room.ConsultationId, messageId, true);
        (await patient.Next("ChatReceipt", r => r.GetProperty("kind").GetString() == "read")).GetProperty("messageId").GetGuid().ShouldBe(messageId);
        await doctor.Invoke("SendChat", room.ConsultationId, Guid.NewGuid(), "Any cough?");
        (await patient.Next("ChatMessage")).GetProperty("text").GetString().ShouldBe("Any cough?");

        await patient.Invoke("SendChat", room.ConsultationId, messageId, "The fever started on Sunday");
        var history = await Host.As(room.DoctorToken).GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}");
        history.GetProperty("history").EnumerateArray().Count(e => e.GetProperty("event").GetString() == "ChatMessagePosted").ShouldBe(2);
    }

    [Fact]
    public async Task Switching_to_audio_only_reaches_both_sides_and_is_recorded()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;

        (await patient.Invoke("SetCallMode", room.ConsultationId, "audioOnly")).GetProperty("ok").GetBoolean().ShouldBeTrue();

        (await doctor.Next("CallModeChanged")).GetProperty("mode").GetString().ShouldBe("audioOnly");
        (await patient.Next("CallModeChanged")).GetProperty("mode").GetString().ShouldBe("audioOnly");
        var view = await Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}");
        view.GetProperty("mode").GetString().ShouldBe("audioOnly");
        await patient.Invoke("SetMediaState", room.ConsultationId, true, false);
        (await doctor.Next("PeerMediaState")).GetProperty("camera").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task A_video_paused_on_a_weak_link_is_told_to_the_others_and_only_by_those_in_the_room()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;
        await using var outsider = await HubClient.Connect(Host, "/hubs/consultation", (await Host.CreatePatients(1))[0].AccessToken);

        (await patient.Invoke("SetVideoPaused", room.ConsultationId, true)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        var paused = await doctor.Next("PeerVideoPaused");
        (await outsider.Invoke("SetVideoPaused", room.ConsultationId, true)).GetProperty("error").GetProperty("code").GetString().ShouldBe("NotInRoom");
        await patient.Invoke("SetVideoPaused", room.ConsultationId, false);

        paused.GetProperty("from").GetGuid().ShouldBe(room.Patient.Id);
        paused.GetProperty("paused").GetBoolean().ShouldBeTrue();
        (await doctor.Next("PeerVideoPaused")).GetProperty("paused").GetBoolean().ShouldBeFalse();
        var history = await Host.As(room.DoctorToken).GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}");
        history.GetProperty("mode").GetString().ShouldBe("video");
    }

    [Fact]
    public async Task The_consultation_history_shows_who_was_there_when()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await patient.Invoke("ReportConnected", room.ConsultationId);
        await patient.Invoke("HangUp", room.ConsultationId);
        (await doctor.Next("PeerLeft")).GetProperty("role").GetString().ShouldBe("patient");
        await patient.DisposeAsync();

        var history = await Host.As(room.DoctorToken).GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}");

        history.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("event").GetString())
            .ShouldBe(["ConsultationStarted", "ParticipantJoined", "ParticipantJoined", "CallConnected", "ParticipantLeft"]);
    }

    [Fact]
    public async Task Completing_the_token_ends_the_room()
    {
        var room = await Room.Start(Host);
        await (await Host.As(room.DoctorToken).PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null)).ShouldHave(HttpStatusCode.OK);
        await using var patient = await HubClient.Connect(Host, "/hubs/consultation", room.Patient.AccessToken);

        (await patient.Invoke("JoinRoom", room.ConsultationId)).GetProperty("error").GetProperty("code").GetString().ShouldBe("ConsultationEnded");
    }

    [Fact]
    public async Task The_doctor_can_add_an_interpreter_who_may_then_join()
    {
        var room = await Room.Start(Host);
        var doctor = Host.As(room.DoctorToken);

        await (await doctor.PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/staff", new { staffId = DemoSeeder.DoctorRahulId })).ShouldHave(HttpStatusCode.NoContent);
        await (await Host.As(room.Patient.AccessToken).PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/staff", new { staffId = DemoSeeder.PharmacistId }))
            .ShouldHave(HttpStatusCode.Forbidden);

        await using var interpreter = await HubClient.Connect(Host, "/hubs/consultation", (await Host.SignInStaff("rahul.nair@telemed.local")).AccessToken);
        (await interpreter.Invoke("JoinRoom", room.ConsultationId)).GetProperty("value").GetProperty("present")[0].GetProperty("role").GetString().ShouldBe("staff");
    }
}
