using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Consultations;

/// <summary>
/// The consulting doctor adds a colleague (an interpreter, a hub-and-spoke specialist) to the room: whom they may pick,
/// who may pick at all, and how the colleague learns of it.
/// </summary>
public class StaffInvitationTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private const string RahulEmail = "rahul.nair@telemed.local";

    private TelemedFactory Host => server.Host;

    [Fact]
    public async Task The_consulting_doctor_sees_the_active_doctors_not_yet_in_the_room()
    {
        var room = await Room.Start(Host);
        var doctor = Host.As(room.DoctorToken);

        var candidates = await doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}/staff-candidates");

        var ids = candidates.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        ids.ShouldContain(DemoSeeder.DoctorRahulId);
        ids.ShouldNotContain(DemoSeeder.DoctorAshaId, "the consulting doctor is in the room already");
        ids.ShouldNotContain(DemoSeeder.PharmacistId);
        var rahul = candidates.EnumerateArray().First(c => c.GetProperty("id").GetGuid() == DemoSeeder.DoctorRahulId);
        rahul.GetProperty("role").GetString().ShouldBe("doctor");
        rahul.TryGetProperty("email", out _).ShouldBeFalse("a colleague's contact details are not needed to invite them");

        await (await doctor.PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/staff", new { staffId = DemoSeeder.DoctorRahulId })).ShouldHave(HttpStatusCode.NoContent);
        (await doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}/staff-candidates"))
            .EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldNotContain(DemoSeeder.DoctorRahulId);
    }

    [Fact]
    public async Task Only_the_consulting_doctor_may_list_whom_to_invite_and_others_are_audited()
    {
        var room = await Room.Start(Host);
        var rahul = (await Host.SignInStaff(RahulEmail)).AccessToken;

        await (await Host.As(rahul).GetAsync($"/api/consultations/{room.ConsultationId}/staff-candidates")).ShouldHave(HttpStatusCode.Forbidden);
        await (await Host.As(room.Patient.AccessToken).GetAsync($"/api/consultations/{room.ConsultationId}/staff-candidates")).ShouldHave(HttpStatusCode.Forbidden);
        await (await Host.As(room.DoctorToken).GetAsync($"/api/consultations/{Guid.NewGuid()}/staff-candidates")).ShouldHave(HttpStatusCode.NotFound);

        var audit = await Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken)
            .GetFromJsonAsync<JsonElement>($"/api/admin/audit?accountId={DemoSeeder.DoctorRahulId}&outcome=refused&resource=consultation/{room.ConsultationId}");
        audit.GetProperty("entries").EnumerateArray().ShouldContain(e => e.GetProperty("action").GetString() == "list staff to invite");
    }

    [Fact]
    public async Task Only_a_doctor_can_be_added_to_a_patients_room()
    {
        var room = await Room.Start(Host);
        var doctor = Host.As(room.DoctorToken);

        var refused = await doctor.PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/staff", new { staffId = DemoSeeder.PharmacistId });

        await refused.ShouldHave(HttpStatusCode.BadRequest);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("staffId", out _).ShouldBeTrue();
        (await doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}"))
            .GetProperty("staff").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task The_invited_doctor_is_told_at_once_and_finds_the_consultation_among_their_invitations_until_it_ends()
    {
        var room = await Room.Start(Host);
        var rahul = (await Host.SignInStaff(RahulEmail)).AccessToken;
        await using var rahulHub = await HubClient.Connect(Host, "/hubs/consultation", rahul, "InvitedToConsultation");
        var asha = Host.As(room.DoctorToken);
        (await Host.As(rahul).GetFromJsonAsync<JsonElement>("/api/consultations/invited"))
            .EnumerateArray().ShouldNotContain(i => i.GetProperty("consultationId").GetGuid() == room.ConsultationId);

        await (await asha.PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/staff", new { staffId = DemoSeeder.DoctorRahulId })).ShouldHave(HttpStatusCode.NoContent);

        var pushed = await rahulHub.Next("InvitedToConsultation", i => i.GetProperty("consultationId").GetGuid() == room.ConsultationId);
        pushed.GetProperty("doctorName").GetString().ShouldBe("Dr. Asha Verma");
        pushed.GetProperty("token").GetInt32().ShouldBe(1);
        var listed = await Host.As(rahul).GetFromJsonAsync<JsonElement>("/api/consultations/invited");
        listed.EnumerateArray().ShouldContain(i => i.GetProperty("consultationId").GetGuid() == room.ConsultationId);
        (await Host.As(room.DoctorToken).GetFromJsonAsync<JsonElement>("/api/consultations/invited"))
            .EnumerateArray().ShouldNotContain(i => i.GetProperty("consultationId").GetGuid() == room.ConsultationId, "the consulting doctor was not invited");

        await (await asha.PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null)).ShouldHave(HttpStatusCode.OK);

        (await Host.As(rahul).GetFromJsonAsync<JsonElement>("/api/consultations/invited"))
            .EnumerateArray().ShouldNotContain(i => i.GetProperty("consultationId").GetGuid() == room.ConsultationId);
    }

    [Fact]
    public async Task Patients_cannot_list_invitations()
    {
        var patient = (await Host.CreatePatients(1))[0];

        await (await Host.As(patient.AccessToken).GetAsync("/api/consultations/invited")).ShouldHave(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Participants_see_who_the_patient_is_with_the_ABHA_they_proved_and_not_one_they_only_declared()
    {
        var declared = Api.NewAbhaNumber();
        var proved = Api.NewAbhaNumber();
        var patient = (await Host.CreatePatients(1, declared))[0];
        var room = await Room.Start(Host, patient);

        var summary = (await Host.As(room.DoctorToken).GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}")).GetProperty("patient");
        summary.GetProperty("name").GetString().ShouldBe("Test Patient 0");
        summary.GetProperty("sex").GetString().ShouldBe("female");
        summary.GetProperty("ageYears").GetInt32().ShouldBeGreaterThan(18);
        summary.GetProperty("abhaNumber").ValueKind.ShouldBe(JsonValueKind.Null);

        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Store(new PatientAbha(patient.Id, new AbhaProfile(proved, null, "Test Patient 0", Sex.Female, 1960, null, null), AbhaProof.MobileOtp, DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }
        summary = (await Host.As(room.DoctorToken).GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}")).GetProperty("patient");
        summary.GetProperty("abhaNumber").GetString()!.Replace("-", "", StringComparison.Ordinal).ShouldBe(proved);
    }
}
