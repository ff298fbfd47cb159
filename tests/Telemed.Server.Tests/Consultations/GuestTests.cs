using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Consultations;

/// <summary>
/// A family member or an interpreter let into the call by the patient's side: who may ask, the link that admits once and
/// expires, the guest in the room and named in the record, and the guest's token, which opens nothing but that call.
/// </summary>
public class GuestTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private async Task<JsonElement> Invite(Room room, string name = "Sunita Devi", string relation = "interpreter")
    {
        var invited = await Host.As(room.Patient.AccessToken).PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/guests", new { name, relation });
        await invited.ShouldHave(HttpStatusCode.Created);
        return await invited.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<HttpResponseMessage> Admit(string token) => await Host.CreateClient().PostAsJsonAsync("/api/guests/admit", new { token });

    [Fact]
    public async Task The_patient_lets_an_interpreter_in_who_joins_the_call_and_is_named_in_the_consultation()
    {
        var room = await Room.Start(Host);
        var (doctor, patient) = await room.JoinBoth(Host);
        await using var _ = doctor;
        await using var __ = patient;

        var link = await Invite(room);
        link.GetProperty("name").GetString().ShouldBe("Sunita Devi");
        link.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(server.Time.GetUtcNow().AddMinutes(15), TimeSpan.FromSeconds(1));
        var admitted = await Admit(link.GetProperty("token").GetString()!);
        await admitted.ShouldHave(HttpStatusCode.OK);
        var admission = await admitted.Content.ReadFromJsonAsync<JsonElement>();
        admission.GetProperty("consultationId").GetGuid().ShouldBe(room.ConsultationId);
        var guestId = admission.GetProperty("guestId").GetGuid();

        await using var guest = await HubClient.Connect(Host, "/hubs/consultation", admission.GetProperty("accessToken").GetString(), Room.Pushes);
        var joined = await guest.Invoke("JoinRoom", room.ConsultationId);
        joined.GetProperty("ok").GetBoolean().ShouldBeTrue();
        joined.GetProperty("value").GetProperty("present").EnumerateArray().Select(p => p.GetProperty("role").GetString()).ShouldBe(["doctor", "patient", "guest"], ignoreOrder: true);
        var seen = await doctor.Next("PeerJoined", p => p.GetProperty("accountId").GetGuid() == guestId);
        seen.GetProperty("role").GetString().ShouldBe("guest");
        (await guest.Invoke("SendChat", room.ConsultationId, Guid.NewGuid(), "Main bataungi: bukhaar teen din se hai.")).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await doctor.Next("ChatMessage")).GetProperty("from").GetGuid().ShouldBe(guestId);

        var history = await Host.As(room.DoctorToken).GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}");
        var events = history.GetProperty("history").EnumerateArray().Select(e => (Event: e.GetProperty("event").GetString(), Account: e.GetProperty("accountId"))).ToList();
        events.ShouldContain(e => e.Event == "GuestInvited" && e.Account.GetGuid() == room.Patient.Id);
        events.ShouldContain(e => e.Event == "GuestAdmitted" && e.Account.GetGuid() == guestId);
    }

    [Fact]
    public async Task A_link_admits_once_and_not_after_it_expires_or_the_consultation_ends()
    {
        var room = await Room.Start(Host);
        var used = (await Invite(room)).GetProperty("token").GetString()!;
        await (await Admit(used)).ShouldHave(HttpStatusCode.OK);
        var again = await Admit(used);
        await again.ShouldHave(HttpStatusCode.Gone);
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().ShouldBe("GuestLinkUsed");

        var late = (await Invite(room, "Ravi Kumar", "family")).GetProperty("token").GetString()!;
        server.Time.Advance(TimeSpan.FromMinutes(16));
        var expired = await Admit(late);
        await expired.ShouldHave(HttpStatusCode.Gone);
        (await expired.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().ShouldBe("GuestLinkExpired");

        // The clock moved past the first room's tokens: a fresh consultation for the last case.
        var later = await Room.Start(Host);
        var unused = (await Invite(later, "Meera Kumar", "family")).GetProperty("token").GetString()!;
        await (await Host.As(later.DoctorToken).PostAsync($"/api/sessions/{later.SessionId}/tokens/1/complete", null)).ShouldHave(HttpStatusCode.OK);
        var ended = await Admit(unused);
        await ended.ShouldHave(HttpStatusCode.Gone);
        (await ended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().ShouldBe("ConsultationEnded");

        await (await Admit("not-a-link")).ShouldHave(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_the_patients_side_lets_a_guest_in_and_says_who_they_are()
    {
        var room = await Room.Start(Host);
        var path = $"/api/consultations/{room.ConsultationId}/guests";

        await (await Host.As(room.DoctorToken).PostAsJsonAsync(path, new { name = "Someone", relation = "family" })).ShouldHave(HttpStatusCode.Forbidden);
        var stranger = (await Host.CreatePatients(1))[0];
        await (await Host.As(stranger.AccessToken).PostAsJsonAsync(path, new { name = "Someone", relation = "family" })).ShouldHave(HttpStatusCode.Forbidden);
        var patient = Host.As(room.Patient.AccessToken);
        var nameless = await patient.PostAsJsonAsync(path, new { name = " ", relation = "family" });
        await nameless.ShouldHave(HttpStatusCode.BadRequest);
        (await nameless.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("name", out _).ShouldBeTrue();
        var unsaid = await patient.PostAsJsonAsync(path, new { name = "Someone" });
        (await unsaid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("relation", out _).ShouldBeTrue();
        for (var i = 0; i < 3; i++)
        {
            await Invite(room, $"Guest {i}", "family");
        }
        await (await patient.PostAsJsonAsync(path, new { name = "One too many", relation = "family" })).ShouldHave(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_guests_token_opens_their_call_and_nothing_else()
    {
        var room = await Room.Start(Host);
        var other = await Room.Start(Host);
        var admission = await (await Admit((await Invite(room)).GetProperty("token").GetString()!)).Content.ReadFromJsonAsync<JsonElement>();
        var token = admission.GetProperty("accessToken").GetString()!;
        var guest = Host.As(token);

        await (await guest.GetAsync($"/api/consultations/{room.ConsultationId}/ice-servers")).ShouldHave(HttpStatusCode.OK);
        await (await guest.GetAsync($"/api/consultations/{other.ConsultationId}/ice-servers")).ShouldHave(HttpStatusCode.Forbidden);
        var opened = new List<string>();
        foreach (var endpoint in Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>() is { } methods && methods.HttpMethods[0] == "GET"
                && !e.RoutePattern.RawText!.EndsWith("/ice-servers", StringComparison.Ordinal)))
        {
            var path = "/" + string.Join('/', endpoint.RoutePattern.RawText!.TrimStart('/').Split('/')
                .Select(part => part.StartsWith('{') ? (part.StartsWith("{consultationId", StringComparison.Ordinal) ? room.ConsultationId.ToString() : room.Patient.Id.ToString()) : part));
            var response = await guest.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                opened.Add($"{path} → {(int)response.StatusCode}");
            }
        }
        opened.ShouldBeEmpty("a guest's token is for the call alone");

        await Should.ThrowAsync<Exception>(() => HubClient.Connect(Host, "/hubs/queue", token));
        await using var hub = await HubClient.Connect(Host, "/hubs/consultation", token, Room.Pushes);
        var elsewhere = await hub.Invoke("JoinRoom", other.ConsultationId);
        elsewhere.GetProperty("ok").GetBoolean().ShouldBeFalse();
        elsewhere.GetProperty("error").GetProperty("code").GetString().ShouldBe("NotParticipant");
    }
}
