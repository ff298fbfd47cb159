using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Consultations;

/// <summary>A started consultation: a session, a checked-in patient, called and started by the demo doctor.</summary>
public sealed record Room(Guid SessionId, Guid ConsultationId, TestPatient Patient, string DoctorToken)
{
    /// <summary>The demo doctor who starts every test room (<see cref="Api.DoctorEmail"/>): where signalling to the doctor is addressed.</summary>
    public static readonly Guid DoctorId = DemoSeeder.DoctorAshaId;

    public static readonly string Offer = Sample("chromium-156-offer.sdp");
    public static readonly string Answer = Sample("chromium-156-answer.sdp");
    public const string Candidate = "candidate:3244283093 1 udp 2122260223 127.0.0.1 38700 typ host generation 0 ufrag vtdA network-id 1 network-cost 50";

    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Signalling", "TestData", name));

    public static async Task<Room> Start(TelemedFactory host, TestPatient? patient = null)
    {
        var sessionId = await Sessions.Open(host);
        patient ??= (await host.CreatePatients(1))[0];
        await Sessions.CheckIn(host, sessionId, patient);
        var doctorToken = (await host.SignInStaff(Api.DoctorEmail)).AccessToken;
        var doctor = host.As(doctorToken);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
        var started = await doctor.PostAsync($"/api/sessions/{sessionId}/tokens/1/start", null);
        await started.ShouldHave(HttpStatusCode.OK);
        var consultationId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consultationId").GetGuid();
        return new Room(sessionId, consultationId, patient, doctorToken);
    }

    public static readonly string[] Pushes =
    [
        "PeerJoined", "PeerLeft", "PeerDisconnected", "Offer", "Answer", "IceCandidate", "EndOfCandidates", "IceRestartRequested",
        "PeerTyping", "PeerMediaState", "PeerVideoPaused", "CallModeChanged", "ChatMessage", "ChatReceipt", "PositionChanged", "FileShared",
    ];

    public async Task<(HubClient Doctor, HubClient Patient)> JoinBoth(TelemedFactory host)
    {
        var doctor = await HubClient.Connect(host, "/hubs/consultation", DoctorToken, Pushes);
        var patient = await HubClient.Connect(host, "/hubs/consultation", Patient.AccessToken, Pushes);
        (await doctor.Invoke("JoinRoom", ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await patient.Invoke("JoinRoom", ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        return (doctor, patient);
    }
}
