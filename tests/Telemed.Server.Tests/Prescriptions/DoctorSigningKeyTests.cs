using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Identity;
using Telemed.Server.Prescriptions;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Prescriptions;

/// <summary>
/// Prescriptions signed by the doctor's own key, which the server keeps wrapped under the doctor's password and uses only
/// with the unlock token the doctor's password gave, countersigned by the facility key; rotated and revoked per doctor.
/// </summary>
public class DoctorSigningKeyTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private const string AshaHpr = "71-1234-5678-9012";

    private TelemedFactory Host => server.Host;

    /// <summary>A consultation with its record written by a doctor client that presents no signing unlock.</summary>
    private async Task<(Room Room, HttpClient Locked)> WrittenWithoutUnlock()
    {
        var room = await Clinical.OnVideo(Host);
        var locked = Host.CreateClient();
        locked.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", room.DoctorToken);
        await Clinical.Write(locked, room,
            ("diagnosis", new { text = "Acute pharyngitis", codeSystem = "icd10", code = "J02.9" }),
            ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol } }));
        return (room, locked);
    }

    /// <summary>A consultation whose completion, presenting <paramref name="unlock"/>, is refused as locked; it stays open for another try.</summary>
    private async Task<Room> CompletionIsRefusedWith(string unlock)
    {
        var (room, locked) = await WrittenWithoutUnlock();
        locked.DefaultRequestHeaders.Add(PresentedUnlock.Header, unlock);
        (await (await locked.PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null)).ShouldBeProblem(HttpStatusCode.Conflict))
            .GetProperty("code").GetString().ShouldBe("SigningLocked");
        return room;
    }

    private async Task<JsonElement> PublicCheck(Guid prescriptionId) => await Host.CreateClient().GetFromJsonAsync<JsonElement>($"/api/verify/{prescriptionId}");

    private async Task<string> KeyIdOf(Room room, Guid prescriptionId) =>
        (await Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>($"/api/prescriptions/{prescriptionId}")).GetProperty("keyId").GetString()!;

    [Fact]
    public async Task Completing_a_consultation_that_signs_without_the_doctors_unlock_is_refused_naming_the_locked_key_over_REST_and_the_hub()
    {
        var (room, locked) = await WrittenWithoutUnlock();

        var refused = await locked.PostAsync($"/api/sessions/{room.SessionId}/tokens/1/complete", null);
        var problem = await refused.ShouldBeProblem(HttpStatusCode.Conflict);
        problem.GetProperty("code").GetString().ShouldBe("SigningLocked");
        problem.GetProperty("detail").GetString()!.ShouldContain("signing-unlock");

        await using var hub = await HubClient.Connect(Host, "/hubs/queue", room.DoctorToken);
        var reply = await hub.Invoke("Complete", room.SessionId, 1, "bm90LWEtdG9rZW4.bm90LWEtc2VjcmV0");
        reply.GetProperty("ok").GetBoolean().ShouldBeFalse();
        reply.GetProperty("error").GetProperty("code").GetString().ShouldBe("SigningLocked");

        var completed = await hub.Invoke("Complete", room.SessionId, 1, Api.SigningUnlockOf(room.DoctorToken));
        completed.GetProperty("ok").GetBoolean().ShouldBeTrue(completed.ToString());
    }

    [Fact]
    public async Task A_wrong_password_unlocks_nothing_and_counts_as_a_wrong_password()
    {
        var doctor = await Host.SignInStaffOnly(Api.DoctorEmail);

        var refused = await Host.As(doctor.AccessToken).PostAsJsonAsync("/api/doctors/me/signing-unlock", new { password = "not-the-password" });

        (await refused.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("password", out _).ShouldBeTrue();
        var pharmacist = await Host.SignInStaff("meena.iyer@telemed.local");
        (await Host.As(pharmacist.AccessToken).PostAsJsonAsync("/api/doctors/me/signing-unlock", new { password = Api.DemoPassword }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_doctors_own_key_signs_the_facility_countersigns_the_JWKS_names_the_doctor_and_verification_says_who()
    {
        var (room, prescriptionId) = await Clinical.Prescribed(Host);
        var keyId = await KeyIdOf(room, prescriptionId);
        var view = await Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>($"/api/prescriptions/{prescriptionId}");
        view.GetProperty("countersignature").GetString()!.Split('.').Length.ShouldBe(3);

        var stored = await Host.Services.GetRequiredService<IDocumentStore>().QuerySession().LoadAsync<DoctorSigningKey>(keyId);
        stored.ShouldNotBeNull();
        stored.DoctorId.ShouldBe(Room.DoctorId);
        stored.Wrapped.Iterations.ShouldBeGreaterThan(0, "kept only wrapped under the doctor's password");
        var jwks = await Host.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        var published = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == keyId);
        published.GetProperty("hpr").GetString().ShouldBe(AshaHpr);
        published.TryGetProperty("d", out _).ShouldBeFalse();
        jwks.GetProperty("keys").EnumerateArray().Any(k => !k.TryGetProperty("hpr", out _)).ShouldBeTrue("the facility key is listed too");

        var check = await PublicCheck(prescriptionId);
        check.GetProperty("verdict").GetString().ShouldBe("valid");
        var signature = check.GetProperty("signature");
        signature.GetProperty("doctorHprId").GetString().ShouldBe(AshaHpr);
        signature.GetProperty("facilityKeyOnly").GetBoolean().ShouldBeFalse();
        signature.GetProperty("explanation").GetString()!.ShouldContain("countersigned by the facility key");
    }

    [Fact]
    public async Task A_rotation_keeps_what_the_old_key_signed_verifiable_and_the_old_unlock_signs_no_more()
    {
        var (firstRoom, first) = await Clinical.Prescribed(Host);
        var oldKey = await KeyIdOf(firstRoom, first);

        var rotated = await Host.As(firstRoom.DoctorToken).PostAsJsonAsync("/api/doctors/me/signing-key/rotate", new { password = Api.DemoPassword });
        await rotated.ShouldHave(HttpStatusCode.OK);
        var newKey = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keyId").GetString();
        newKey.ShouldNotBe(oldKey);

        var room = await CompletionIsRefusedWith(Api.SigningUnlockOf(firstRoom.DoctorToken)!);

        var second = await Clinical.Complete(Host.As(room.DoctorToken), room);
        (await KeyIdOf(room, second)).ShouldBe(newKey);
        (await PublicCheck(first)).GetProperty("verdict").GetString().ShouldBe("valid");
        (await PublicCheck(second)).GetProperty("verdict").GetString().ShouldBe("valid");
    }

    [Fact]
    public async Task A_revoked_key_signs_no_more_what_it_signed_before_still_verifies_and_the_next_unlock_makes_a_new_key()
    {
        var (room, prescriptionId) = await Clinical.Prescribed(Host);
        var keyId = await KeyIdOf(room, prescriptionId);
        Host.Time.Advance(TimeSpan.FromSeconds(1));
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);

        await (await admin.PostAsJsonAsync($"/api/admin/doctors/{Room.DoctorId}/signing-keys/revoke", new { keyId })).ShouldHave(HttpStatusCode.NoContent);

        (await PublicCheck(prescriptionId)).GetProperty("verdict").GetString().ShouldBe("valid");
        var jwks = await Host.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == keyId).TryGetProperty("revoked_at", out _).ShouldBeTrue();
        var next = await CompletionIsRefusedWith(Api.SigningUnlockOf(room.DoctorToken)!);
        var signedAfter = await Clinical.Complete(Host.As(next.DoctorToken), next);
        (await KeyIdOf(next, signedAfter)).ShouldNotBe(keyId);
        (await (await admin.PostAsJsonAsync($"/api/admin/doctors/{Room.DoctorId}/signing-keys/revoke", new { keyId = "no-such-key" })).ShouldBeProblem(HttpStatusCode.NotFound))
            .GetProperty("detail").GetString()!.ShouldContain("no signing key");
    }

    [Fact]
    public async Task Unlocks_and_key_changes_are_journalled_without_any_secret()
    {
        var doctor = await Host.SignInStaff(Api.DoctorEmail);
        var unlock = Api.SigningUnlockOf(doctor.AccessToken)!;

        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(Room.DoctorId);
        events.Select(e => e.Data).OfType<DoctorSigningKeyUnlocked>().ShouldNotBeEmpty();
        var written = string.Join('\n', events.Select(e => JsonSerializer.Serialize(e.Data, e.Data.GetType())));
        written.ShouldNotContain(unlock.Split('.')[1]);
        written.ShouldNotContain(Api.DemoPassword);
    }
}
