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
        await using var patientHub = await HubClient.Connect(Host, "/hubs/clinic", patient.AccessToken, "PositionChanged");
        await patientHub.Invoke("WatchMyToken", sessionId);
        var doctor = await Sessions.Doctor(Host);
        await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null);

        await doctor.PostAsync($"/api/sessions/{sessionId}/tokens/1/start", null);

        var prompt = await patientHub.Next("PositionChanged", p => p.GetProperty("state").GetString() == "inConsultation");
        var consultationId = prompt.GetProperty("consultationId").GetGuid();
        (await patientHub.Invoke("JoinRoom", consultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Offer_answer_and_candidates_reach_the_other_participant_and_only_them()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;

        (await doctor.Invoke("SendOffer", room.ConsultationId, Room.Offer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await patient.Next("Offer")).GetProperty("sdp").GetString().ShouldBe(Room.Offer);
        (await patient.Invoke("SendAnswer", room.ConsultationId, Room.Answer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctor.Next("Answer")).GetProperty("sdp").GetString().ShouldBe(Room.Answer);
        (await patient.Invoke("SendIceCandidate", room.ConsultationId, Room.Candidate, "0", 0)).GetProperty("value").GetBoolean().ShouldBeTrue();
        var candidate = await doctor.Next("IceCandidate");
        candidate.GetProperty("candidate").GetString().ShouldBe(Room.Candidate);
        candidate.GetProperty("sdpMid").GetString().ShouldBe("0");
        await doctor.Invoke("SendEndOfCandidates", room.ConsultationId);
        (await patient.Next("EndOfCandidates")).GetProperty("from").GetGuid().ShouldNotBe(Guid.Empty);

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
            await using var intruder = await HubClient.Connect(Host, "/hubs/clinic", outsider.AccessToken);
            (await intruder.Invoke("JoinRoom", room.ConsultationId)).GetProperty("error").GetProperty("code").GetString().ShouldBe("NotParticipant");
            (await intruder.Invoke("SendOffer", room.ConsultationId, Room.Offer, 1)).GetProperty("error").GetProperty("code").GetString().ShouldBe("NotInRoom");
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
    public async Task Malformed_signalling_is_refused_to_the_sender_only_and_the_call_goes_on()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;

        var garbage = await doctor.Invoke("SendOffer", room.ConsultationId, "v=0\r\n<script>alert(1)</script>", 1);
        var oversized = await doctor.Invoke("SendOffer", room.ConsultationId, Room.Offer + new string('a', 70_000), 1);
        var badCandidate = await doctor.Invoke("SendIceCandidate", room.ConsultationId, "candidate:1 1 udp 1 1.2.3.4 5 typ evil", null, null);

        garbage.GetProperty("error").GetProperty("code").GetString().ShouldBe("InvalidSdp");
        oversized.GetProperty("error").GetProperty("message").GetString().ShouldContain("at most 65536");
        badCandidate.GetProperty("error").GetProperty("code").GetString().ShouldBe("InvalidCandidate");
        patient.Received("Offer").ShouldBeFalse();
        patient.Received("IceCandidate").ShouldBeFalse();
        (await doctor.Invoke("SendOffer", room.ConsultationId, Room.Offer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
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
        (await doctor.Invoke("SendOffer", room.ConsultationId, Room.Offer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
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
        await using var patient = await HubClient.Connect(Host, "/hubs/clinic", room.Patient.AccessToken);

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

        await using var interpreter = await HubClient.Connect(Host, "/hubs/clinic", (await Host.SignInStaff("rahul.nair@telemed.local")).AccessToken);
        (await interpreter.Invoke("JoinRoom", room.ConsultationId)).GetProperty("value").GetProperty("present")[0].GetProperty("role").GetString().ShouldBe("staff");
    }
}
