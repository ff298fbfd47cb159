using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Identity;
using Telemed.Server.Messages;
using Telemed.Server.Spokes;
using Telemed.Server.Tests.Spokes;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Identity;

/// <summary>
/// What is done to an account races with everything else written to its stream (every audited read appends to it): the
/// session ends, the password changes, the account is switched off, the dependant's details change, and each is
/// journalled, whichever append commits first. Each test holds an uncommitted append to the stream until the request waits on it.
/// </summary>
public class AccountJournalTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private Task<HttpResponseMessage> Refresh(string refreshToken) => Host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken });

    private async Task<IReadOnlyList<object>> Journalled(Guid accountId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. (await session.Events.FetchStreamAsync(accountId)).Select(e => e.Data)];
    }

    private async Task<(string Email, Guid Id)> NewStaff()
    {
        var email = $"officer.{Guid.NewGuid():N}@example.in";
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);
        var created = await admin.PostAsJsonAsync("/api/admin/health-officers", new { name = "Kiran Joshi", email, password = Api.DemoPassword });
        await created.ShouldHave(HttpStatusCode.Created);
        return (email, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    private async Task<PasswordReset?> Reset(Guid resetId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<PasswordReset>(resetId);
    }

    [Fact]
    public async Task A_reused_refresh_token_ends_its_session_while_another_append_to_the_account_is_in_flight()
    {
        var signedIn = await Host.SignInStaff(Api.DoctorEmail);
        var rotated = await Refresh(signedIn.RefreshToken!);
        await rotated.ShouldHave(HttpStatusCode.OK);
        var current = (await rotated.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!;
        await using var held = await HeldAppend.To(Host, signedIn.AccountId);

        var reused = await held.CommitWhenWaitedOnBy(Refresh(signedIn.RefreshToken!));

        await reused.ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await Refresh(current.RefreshToken!)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await Journalled(signedIn.AccountId)).OfType<RefreshTokenReused>().ShouldContain(e => e.FamilyId != Guid.Empty);
    }

    [Fact]
    public async Task Signing_out_while_another_append_to_the_account_is_in_flight_ends_the_session()
    {
        var signedIn = await Host.SignInStaff(Api.DoctorEmail);
        await using var held = await HeldAppend.To(Host, signedIn.AccountId);

        var signedOut = await held.CommitWhenWaitedOnBy(Host.CreateClient().PostAsJsonAsync("/api/auth/sign-out", new { refreshToken = signedIn.RefreshToken }));

        await signedOut.ShouldHave(HttpStatusCode.NoContent);
        await (await Refresh(signedIn.RefreshToken!)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await Journalled(signedIn.AccountId)).OfType<SignedOut>().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Signing_out_everywhere_while_another_append_to_the_account_is_in_flight_ends_every_session()
    {
        var first = await Host.SignInStaff(Api.DoctorEmail);
        var second = await Host.SignInStaff(Api.DoctorEmail);
        await using var held = await HeldAppend.To(Host, first.AccountId);

        var signedOut = await held.CommitWhenWaitedOnBy(Host.As(first.AccessToken).PostAsync("/api/auth/sign-out-everywhere", null));

        await signedOut.ShouldHave(HttpStatusCode.NoContent);
        await (await Refresh(second.RefreshToken!)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await Journalled(first.AccountId)).OfType<SignedOutEverywhere>().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Asking_for_a_password_reset_while_another_append_to_the_account_is_in_flight_sends_the_link()
    {
        var (email, id) = await NewStaff();
        await using var held = await HeldAppend.To(Host, id);

        var asked = await held.CommitWhenWaitedOnBy(Host.CreateClient().PostAsJsonAsync("/api/auth/password-reset", new { email }));

        await asked.ShouldHave(HttpStatusCode.Accepted);
        var requested = (await Journalled(id)).OfType<PasswordResetRequested>().ShouldHaveSingleItem();
        (await Reset(requested.ResetId)).ShouldNotBeNull().StaffId.ShouldBe(id);
    }

    [Fact]
    public async Task Completing_a_password_reset_while_another_append_to_the_account_is_in_flight_sets_the_new_password()
    {
        var (email, id) = await NewStaff();
        await (await Host.CreateClient().PostAsJsonAsync("/api/auth/password-reset", new { email })).ShouldHave(HttpStatusCode.Accepted);
        // The token the e-mailed link carries.
        var token = Host.Services.GetRequiredService<MessageSecrets>().ResetToken((await Journalled(id)).OfType<PasswordResetRequested>().Single().ResetId);
        await using var held = await HeldAppend.To(Host, id);

        var reset = await held.CommitWhenWaitedOnBy(Host.CreateClient().PostAsJsonAsync("/api/auth/password-reset/complete", new { token, newPassword = "a-brand-new-password" }));

        await reset.ShouldHave(HttpStatusCode.NoContent);
        await Host.SignInStaff(email, "a-brand-new-password");
        (await Journalled(id)).OfType<PasswordChanged>().ShouldHaveSingleItem().How.ShouldBe("reset");
    }

    [Fact]
    public async Task A_wrong_current_password_while_another_append_to_the_account_is_in_flight_is_refused_as_wrong()
    {
        var (email, id) = await NewStaff();
        var me = Host.As((await Host.SignInStaff(email)).AccessToken);
        await using var held = await HeldAppend.To(Host, id);

        var wrong = await held.CommitWhenWaitedOnBy(me.PostAsJsonAsync("/api/auth/password", new { currentPassword = "not-it-at-all", newPassword = "a-brand-new-password" }));

        (await wrong.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("currentPassword")[0].GetString().ShouldBe("The current password is wrong.");
        (await Journalled(id)).OfType<SignInFailed>().ShouldHaveSingleItem().Reason.ShouldBe("wrong password (change)");
    }

    [Fact]
    public async Task Changing_the_password_while_another_append_to_the_account_is_in_flight_ends_every_session()
    {
        var (email, id) = await NewStaff();
        var signedIn = await Host.SignInStaff(email);
        await using var held = await HeldAppend.To(Host, id);

        var changed = await held.CommitWhenWaitedOnBy(Host.As(signedIn.AccessToken).PostAsJsonAsync("/api/auth/password",
            new { currentPassword = Api.DemoPassword, newPassword = "a-brand-new-password" }));

        await changed.ShouldHave(HttpStatusCode.NoContent);
        await (await Refresh(signedIn.RefreshToken!)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await Host.SignInStaff(email, "a-brand-new-password");
        (await Journalled(id)).OfType<PasswordChanged>().ShouldHaveSingleItem().How.ShouldBe("change");
    }

    [Fact]
    public async Task Deactivating_a_staff_account_while_another_append_to_it_is_in_flight_ends_its_sessions()
    {
        var (email, id) = await NewStaff();
        var signedIn = await Host.SignInStaff(email);
        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);
        await using var held = await HeldAppend.To(Host, id);

        var deactivated = await held.CommitWhenWaitedOnBy(admin.PostAsync($"/api/admin/staff/{id}/deactivate", null));

        await deactivated.ShouldHave(HttpStatusCode.NoContent);
        await (await Refresh(signedIn.RefreshToken!)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await Journalled(id)).OfType<AccountDeactivated>().ShouldHaveSingleItem().By.ShouldBe(DemoSeeder.AdminId);
    }

    [Fact]
    public async Task Changing_a_dependants_details_while_another_append_to_their_stream_is_in_flight_saves_them()
    {
        var guardian = await Host.RegisterNewPatient();
        var dependant = await Host.AddDependant(guardian);
        await using var held = await HeldAppend.To(Host, dependant.Id);

        var changed = await held.CommitWhenWaitedOnBy(Host.As(guardian.AccessToken).PutAsJsonAsync($"/api/dependants/{dependant.Id}",
            new { name = "Aarav Kumar Rao", yearOfBirth = server.Time.GetUtcNow().Year - 9, sex = "male", relation = "parent" }));

        await changed.ShouldHave(HttpStatusCode.OK);
        (await Host.As(guardian.AccessToken).GetFromJsonAsync<JsonElement>($"/api/dependants/{dependant.Id}")).GetProperty("name").GetString().ShouldBe("Aarav Kumar Rao");
        (await Journalled(dependant.Id)).OfType<DependantUpdated>().ShouldHaveSingleItem().GuardianId.ShouldBe(guardian.Id);
    }

    [Fact]
    public async Task A_patient_grants_and_withdraws_a_doctors_consent_while_other_appends_to_their_stream_are_in_flight()
    {
        var patient = await Host.RegisterNewPatient();
        var rahul = DemoSeeder.DoctorRahulId;
        var records = Host.As(patient.AccessToken);

        await using (var held = await HeldAppend.To(Host, patient.Id))
        {
            var granted = await held.CommitWhenWaitedOnBy(records.PostAsJsonAsync("/api/records/consents", new { doctorId = rahul, days = 7 }));
            await granted.ShouldHave(HttpStatusCode.OK);
        }
        (await records.GetFromJsonAsync<JsonElement>("/api/records/consents")).EnumerateArray().ShouldHaveSingleItem()
            .GetProperty("doctorId").GetGuid().ShouldBe(rahul);

        await using (var held = await HeldAppend.To(Host, patient.Id))
        {
            var withdrawn = await held.CommitWhenWaitedOnBy(records.DeleteAsync($"/api/records/consents/{rahul}"));
            await withdrawn.ShouldHave(HttpStatusCode.NoContent);
        }
        (await records.GetFromJsonAsync<JsonElement>("/api/records/consents")).GetArrayLength().ShouldBe(0);
        var journalled = await Journalled(patient.Id);
        journalled.OfType<Telemed.Server.Records.RecordConsentGranted>().ShouldHaveSingleItem().DoctorId.ShouldBe(rahul);
        journalled.OfType<Telemed.Server.Records.RecordConsentRevoked>().ShouldHaveSingleItem().DoctorId.ShouldBe(rahul);
    }

    [Fact]
    public async Task Acting_for_a_dependant_while_another_append_to_their_stream_is_in_flight_hands_over_their_sign_in()
    {
        var guardian = await Host.RegisterNewPatient();
        var dependant = await Host.AddDependant(guardian);
        await using var held = await HeldAppend.To(Host, dependant.Id);

        var acting = await held.CommitWhenWaitedOnBy(Host.As(guardian.AccessToken).PostAsync($"/api/dependants/{dependant.Id}/session", null));

        await acting.ShouldHave(HttpStatusCode.OK);
        var tokens = (await acting.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!;
        (await Host.As(tokens.AccessToken).GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetGuid().ShouldBe(dependant.Id);
        // The first is AddDependant's own.
        (await Journalled(dependant.Id)).OfType<GuardianActing>().Count().ShouldBe(2);
    }

    [Fact]
    public async Task A_health_worker_brings_in_a_family_while_another_append_to_a_members_stream_is_in_flight()
    {
        var world = await SpokeWorld.Create(Host);
        var family = await Host.RegisterPatient(Api.NewMobile());
        var code = await Host.SendCodeAndRead(family.Patient.Mobile);
        await using var held = await HeldAppend.To(Host, family.Patient.Id);

        var found = await held.CommitWhenWaitedOnBy(world.HealthWorker.PostAsJsonAsync("/api/spoke/patients/find", new { mobile = family.Patient.Mobile, code }));

        await found.ShouldHave(HttpStatusCode.OK);
        (await world.HealthWorker.GetFromJsonAsync<JsonElement>("/api/spoke/patients")).EnumerateArray().ShouldContain(p => p.GetProperty("id").GetGuid() == family.Patient.Id);
        (await Journalled(family.Patient.Id)).OfType<PatientBroughtIn>().ShouldHaveSingleItem().HealthWorkerId.ShouldBe(world.HealthWorkerId);
    }
}
