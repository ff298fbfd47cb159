using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Identity;

/// <summary>
/// One mobile number holds a family: the guardian registers a child or an elderly parent, acts for them (check-in, the
/// call, their records), and nobody else reaches them. A minor's check-in names the adult who comes along.
/// </summary>
public class DependantTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private async Task<JsonElement> QueueRow(Guid sessionId, int token)
    {
        var queue = await (await Sessions.Doctor(Host)).GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}/queue");
        return queue.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("token").GetInt32() == token);
    }

    [Fact]
    public async Task A_guardian_adds_lists_reads_and_edits_a_family_member_who_shares_the_number()
    {
        var registration = await Host.RegisterPatient(Api.NewMobile());
        var guardian = Host.As(registration.Tokens.AccessToken);

        var added = await guardian.PostAsJsonAsync("/api/dependants", new { name = "Kamala Devi", yearOfBirth = 1948, sex = "female", relation = "child" });

        await added.ShouldHave(HttpStatusCode.Created);
        var dependant = await added.Content.ReadFromJsonAsync<JsonElement>();
        var id = dependant.GetProperty("id").GetGuid();
        dependant.GetProperty("guardianId").GetGuid().ShouldBe(registration.Patient.Id);
        dependant.GetProperty("guardianRelation").GetString().ShouldBe("child");
        dependant.GetProperty("mobile").GetString().ShouldBe(registration.Patient.Mobile);
        dependant.GetProperty("language").GetString().ShouldBe(registration.Patient.Language);
        added.Headers.Location!.ToString().ShouldBe($"/api/dependants/{id}");

        var changed = await guardian.PutAsJsonAsync($"/api/dependants/{id}",
            new { name = "Kamala Devi Rao", dateOfBirth = "1948-07-02", sex = "female", relation = "child", language = "hi" });
        await changed.ShouldHave(HttpStatusCode.OK);

        var family = await guardian.GetFromJsonAsync<JsonElement>("/api/dependants");
        var listed = family.EnumerateArray().ShouldHaveSingleItem();
        listed.GetProperty("name").GetString().ShouldBe("Kamala Devi Rao");
        listed.GetProperty("dateOfBirth").GetString().ShouldBe("1948-07-02");
        listed.GetProperty("language").GetString().ShouldBe("hi");
        (await guardian.GetFromJsonAsync<JsonElement>($"/api/dependants/{id}")).GetProperty("name").GetString().ShouldBe("Kamala Devi Rao");
    }

    [Fact]
    public async Task A_family_member_with_missing_details_is_refused_field_by_field()
    {
        var guardian = Host.As((await Host.RegisterNewPatient()).AccessToken);

        var response = await guardian.PostAsJsonAsync("/api/dependants", new { name = " ", sex = "x", relation = "uncle", language = "fr" });

        await response.ShouldHave(HttpStatusCode.BadRequest);
        var errors = (await response.Problem()).GetProperty("errors");
        foreach (var field in new[] { "name", "yearOfBirth", "sex", "relation", "language" })
        {
            errors.TryGetProperty(field, out _).ShouldBeTrue(field);
        }
    }

    [Fact]
    public async Task The_shared_number_still_signs_in_only_the_guardian()
    {
        var registration = await Host.RegisterPatient(Api.NewMobile());
        await Host.AddDependant(new TestPatient(registration.Patient.Id, registration.Tokens.AccessToken));
        server.Time.Advance(TimeSpan.FromSeconds(31));

        var code = await Host.SendCodeAndRead(registration.Patient.Mobile);
        var signIn = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp/verify", new { mobile = registration.Patient.Mobile, code });

        await signIn.ShouldHave(HttpStatusCode.OK);
        (await signIn.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!.AccountId.ShouldBe(registration.Patient.Id);
    }

    [Fact]
    public async Task A_stranger_cannot_read_change_or_act_for_someone_elses_family_member_and_is_audited()
    {
        var dependant = await Host.AddDependant(await Host.RegisterNewPatient());
        var strangerPatient = (await Host.CreatePatients(1))[0];
        var stranger = Host.As(strangerPatient.AccessToken);
        var doctor = await Sessions.Doctor(Host);

        (await stranger.GetAsync($"/api/dependants/{dependant.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stranger.PutAsJsonAsync($"/api/dependants/{dependant.Id}", new { name = "Taken", yearOfBirth = 2015, sex = "male", relation = "parent" }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stranger.PostAsync($"/api/dependants/{dependant.Id}/session", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await doctor.PostAsync($"/api/dependants/{dependant.Id}/session", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stranger.GetFromJsonAsync<JsonElement>("/api/dependants")).GetArrayLength().ShouldBe(0);

        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var refused = (await session.Events.FetchStreamAsync(strangerPatient.Id)).Select(e => e.Data).OfType<AccessRefused>().ToList();
        refused.Select(r => r.Action).ShouldBe(["read dependant", "change dependant", "act for dependant"]);
    }

    [Fact]
    public async Task Acting_for_a_family_member_is_being_them_but_managing_the_family_stays_with_the_guardian()
    {
        var dependant = await Host.AddDependant(await Host.RegisterNewPatient());
        var acting = Host.As(dependant.AccessToken);

        (await acting.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetGuid().ShouldBe(dependant.Id);
        var manage = await acting.GetAsync("/api/dependants");
        await manage.ShouldHave(HttpStatusCode.Forbidden);
        (await manage.Problem()).GetProperty("detail").GetString().ShouldContain("switch back");
    }

    [Fact]
    public async Task A_guardian_checks_a_child_in_comes_along_on_record_and_joins_the_childs_call()
    {
        var guardian = await Host.RegisterNewPatient();
        var child = await Host.AddDependant(guardian, "Aarav Rao");

        var room = await Room.Start(Host, child);

        var row = await QueueRow(room.SessionId, 1);
        row.GetProperty("patientId").GetGuid().ShouldBe(child.Id);
        row.GetProperty("patient").GetProperty("name").GetString().ShouldBe("Aarav Rao");
        row.GetProperty("patient").GetProperty("age").GetInt32().ShouldBe(9);
        var companion = row.GetProperty("accompaniedBy");
        companion.GetProperty("name").GetString().ShouldBe("Kavita Rao");
        companion.GetProperty("relation").GetString().ShouldBe("parent");
        companion.GetProperty("accountId").GetGuid().ShouldBe(guardian.Id);

        await using var asGuardian = await HubClient.Connect(Host, "/hubs/consultation", guardian.AccessToken, Room.Pushes);
        (await asGuardian.Invoke("JoinRoom", room.ConsultationId)).GetProperty("ok").GetBoolean()
            .ShouldBeFalse("the guardian's own sign-in is not the child's: the call is joined acting for the child");
        var (doctorHub, childHub) = await room.JoinBoth(Host);
        (await doctorHub.Next("PeerJoined")).GetProperty("accountId").GetGuid().ShouldBe(child.Id);
        await doctorHub.DisposeAsync();
        await childHub.DisposeAsync();
    }

    [Fact]
    public async Task A_minor_who_signs_in_alone_checks_in_only_naming_the_adult_who_comes_along()
    {
        var mobile = Api.NewMobile();
        var code = await Host.SendCodeAndRead(mobile);
        var registered = await Host.CreateClient().PostAsJsonAsync("/api/patients",
            new { name = "Riya Shah", yearOfBirth = server.Time.GetUtcNow().Year - 16, sex = "female", mobile, code });
        await registered.ShouldHave(HttpStatusCode.Created);
        var minor = Host.As((await registered.Content.ReadFromJsonAsync<PatientRegistration>(Api.Json))!.Tokens.AccessToken);
        var sessionId = await Sessions.Open(Host);
        var checkIn = $"/api/sessions/{sessionId}/check-in";

        var alone = await minor.PostAsJsonAsync(checkIn, new { complaint = "Headache" });
        await alone.ShouldHave(HttpStatusCode.Conflict);
        (await alone.Problem()).GetProperty("code").GetString().ShouldBe("MinorUnaccompanied");

        var unnamed = await minor.PostAsJsonAsync(checkIn, new { complaint = "Headache", accompaniedBy = new { name = "", relation = "aunt" } });
        await unnamed.ShouldHave(HttpStatusCode.BadRequest);
        var errors = (await unnamed.Problem()).GetProperty("errors");
        errors.TryGetProperty("accompaniedBy.name", out _).ShouldBeTrue();
        errors.TryGetProperty("accompaniedBy.relation", out _).ShouldBeTrue();

        var withAdult = await minor.PostAsJsonAsync(checkIn, new { complaint = "Headache", accompaniedBy = new { name = "Nisha Shah", relation = "parent" } });
        await withAdult.ShouldHave(HttpStatusCode.Created);
        var companion = (await QueueRow(sessionId, 1)).GetProperty("accompaniedBy");
        companion.GetProperty("name").GetString().ShouldBe("Nisha Shah");
        companion.GetProperty("accountId").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_guardian_reads_a_family_members_prescription_and_their_access_log_names_the_guardian()
    {
        var guardian = await Host.RegisterNewPatient();
        var child = await Host.AddDependant(guardian);
        var (_, prescriptionId) = await Clinical.Prescribed(Host, child, weightKg: 27.5m);

        var pdf = await Host.As(child.AccessToken).GetAsync($"/api/prescriptions/{prescriptionId}/pdf");
        await pdf.ShouldHave(HttpStatusCode.OK);
        await (await Host.As(guardian.AccessToken).GetAsync($"/api/prescriptions/{prescriptionId}/pdf")).ShouldHave(HttpStatusCode.OK);
        var stranger = (await Host.CreatePatients(1))[0];
        (await Host.As(stranger.AccessToken).GetAsync($"/api/prescriptions/{prescriptionId}/pdf")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var log = await Host.As(child.AccessToken).GetFromJsonAsync<JsonElement>("/api/records/access-log");
        var read = log.EnumerateArray().First(e => e.GetProperty("resource").GetString() == $"prescription/{prescriptionId}/pdf");
        read.GetProperty("readerId").GetGuid().ShouldBe(guardian.Id);
        read.GetProperty("readerName").GetString().ShouldBe("Kavita Rao");
        read.GetProperty("basis").GetString().ShouldBe("Guardian");
        (await Host.As(child.AccessToken).GetFromJsonAsync<JsonElement>("/api/records")).GetArrayLength().ShouldBe(1);
        (await Host.As(guardian.AccessToken).GetFromJsonAsync<JsonElement>("/api/records")).GetArrayLength().ShouldBe(0, "records stay with the person they are about");
    }

    [Fact]
    public async Task Acting_survives_a_refresh_and_ends_when_the_guardian_signs_out_everywhere()
    {
        var guardian = await Host.RegisterNewPatient();
        var child = await Host.AddDependant(guardian);
        var acting = await Host.ActFor(guardian, child.Id);

        var refreshed = await Host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { acting.RefreshToken });
        await refreshed.ShouldHave(HttpStatusCode.OK);
        var tokens = (await refreshed.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!;
        tokens.AccountId.ShouldBe(child.Id);
        (await Host.As(tokens.AccessToken).GetAsync("/api/dependants")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "still acting after the refresh");

        await (await Host.As(guardian.AccessToken).PostAsync("/api/auth/sign-out-everywhere", null)).ShouldHave(HttpStatusCode.NoContent);

        var afterSignOut = await Host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { tokens.RefreshToken });
        await afterSignOut.ShouldHave(HttpStatusCode.Unauthorized);
    }
}
