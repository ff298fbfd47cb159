using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Extensions.DependencyInjection;
using Telemed.AbdmSimulator;
using Telemed.Domain.Abdm;
using Telemed.Server.Abdm;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Abdm;

/// <summary>ABHA verification and creation (M1) end to end against the ABDM simulator over loopback HTTP.</summary>
public class AbhaVerificationTests(AbdmFixture abdm) : IClassFixture<AbdmFixture>
{
    private TelemedFactory Host => abdm.Host;

    [Fact]
    public async Task An_abha_number_proved_by_the_otp_to_its_mobile_is_linked_with_its_verified_profile()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha();

        var answer = await abdm.Verify(patient, new { abhaNumber = abha.Number, otpVia = "mobile" }, mobile);

        await answer.ShouldHave(HttpStatusCode.OK);
        var verified = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("abha").GetProperty("verified");
        verified.GetProperty("number").GetString().ShouldBe(abha.Number);
        verified.GetProperty("address").GetString().ShouldBe(abha.PreferredAddress);
        verified.GetProperty("proof").GetString().ShouldBe("mobileOtp");
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(patient.Id);
        events.Select(e => e.Data).OfType<AbhaVerified>().Single().Profile.Number.ShouldBe(abha.Number);
    }

    [Fact]
    public async Task An_abha_proved_while_another_append_to_the_patients_stream_is_in_flight_is_linked()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha();
        var client = Host.As(patient.AccessToken);
        var asked = DateTimeOffset.UtcNow;
        var started = await client.PostAsJsonAsync("/api/me/abha/verify", new { abhaNumber = abha.Number, otpVia = "mobile" });
        await started.ShouldHave(HttpStatusCode.Created);
        var journeyId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var otp = await abdm.Abdm.LatestOtp(mobile, asked);
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        // The fixture's patient is made in the store; a registration through the API starts the patient's stream so.
        await using (var registration = store.LightweightSession())
        {
            registration.Events.StartStream(patient.Id, new PatientRegistered(patient.Id, DateTimeOffset.UtcNow));
            await registration.SaveChangesAsync();
        }
        await using var held = await HeldAppend.To(Host, patient.Id);

        var answer = await held.CommitWhenWaitedOnBy(client.PostAsJsonAsync($"/api/me/abha/journeys/{journeyId}/otp", new { otp }));

        await answer.ShouldHave(HttpStatusCode.OK);
        (await client.GetFromJsonAsync<JsonElement>("/api/me/abha")).GetProperty("verified").GetProperty("number").GetString().ShouldBe(abha.Number);
        await using var session = store.QuerySession();
        (await session.Events.FetchStreamAsync(patient.Id)).Select(e => e.Data).OfType<AbhaVerified>().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task An_abha_address_proved_by_the_otp_to_the_aadhaar_linked_mobile_is_linked()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha("Arun Mehta", "M", 1990);
        abha.Mobile = null;

        var answer = await abdm.Verify(patient, new { abhaAddress = abha.PreferredAddress, otpVia = "aadhaar" }, mobile);

        await answer.ShouldHave(HttpStatusCode.OK);
        var status = await Host.As(patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/me/abha");
        status.GetProperty("verified").GetProperty("proof").GetString().ShouldBe("aadhaarOtp");
    }

    [Fact]
    public async Task Verified_and_declared_abhas_are_kept_apart()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha();
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            var account = await session.LoadAsync<Telemed.Server.Identity.PatientAccount>(patient.Id);
            session.Store(account! with { AbhaAddress = "kavita.rao79@sbx" });
            await session.SaveChangesAsync();
        }
        var client = Host.As(patient.AccessToken);
        var before = await client.GetFromJsonAsync<JsonElement>("/api/me/abha");
        before.GetProperty("declared").GetProperty("address").GetString().ShouldBe("kavita.rao79@sbx");
        before.GetProperty("verified").ValueKind.ShouldBe(JsonValueKind.Null);

        await (await abdm.Verify(patient, new { abhaNumber = abha.Number }, mobile)).ShouldHave(HttpStatusCode.OK);

        var after = await client.GetFromJsonAsync<JsonElement>("/api/me/abha");
        after.GetProperty("declared").GetProperty("address").GetString().ShouldBe("kavita.rao79@sbx");
        after.GetProperty("verified").GetProperty("number").GetString().ShouldBe(abha.Number);
    }

    [Fact]
    public async Task A_wrong_otp_is_refused_naming_the_otp_and_the_right_one_still_links()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha();
        var client = Host.As(patient.AccessToken);
        var asked = DateTimeOffset.UtcNow;
        var journey = await (await client.PostAsJsonAsync("/api/me/abha/verify", new { abhaNumber = abha.Number })).Content.ReadFromJsonAsync<JsonElement>();
        var otp = await abdm.Abdm.LatestOtp(mobile, asked);
        var wrong = otp == "000000" ? "111111" : "000000";
        var path = $"/api/me/abha/journeys/{journey.GetProperty("id").GetGuid()}/otp";

        var refused = await client.PostAsJsonAsync(path, new { otp = wrong });

        var problem = await refused.ShouldBeProblem(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("otp")[0].GetString()!.ShouldContain("OTP is not right");
        (await client.GetFromJsonAsync<JsonElement>("/api/me/abha")).GetProperty("verified").ValueKind.ShouldBe(JsonValueKind.Null);
        await (await client.PostAsJsonAsync(path, new { otp })).ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_expired_transaction_is_refused_with_a_problem_that_says_to_start_again()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha();
        var client = Host.As(patient.AccessToken);
        var asked = DateTimeOffset.UtcNow;
        var journey = await (await client.PostAsJsonAsync("/api/me/abha/verify", new { abhaNumber = abha.Number })).Content.ReadFromJsonAsync<JsonElement>();
        var otp = await abdm.Abdm.LatestOtp(mobile, asked);
        abdm.Abdm.State.ExpireTransactions();

        var answer = await client.PostAsJsonAsync($"/api/me/abha/journeys/{journey.GetProperty("id").GetGuid()}/otp", new { otp });

        var problem = await answer.ShouldBeProblem(HttpStatusCode.Gone);
        problem.GetProperty("detail").GetString()!.ShouldContain("Start again");
        (await client.GetFromJsonAsync<JsonElement>("/api/me/abha")).GetProperty("verified").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task An_abha_linked_to_another_patient_is_refused_and_nothing_is_linked()
    {
        var (abha, first, mobile) = await abdm.PatientWithAbha();
        await (await abdm.Verify(first, new { abhaNumber = abha.Number }, mobile)).ShouldHave(HttpStatusCode.OK);
        var second = await abdm.Patient("Kavita R.", Telemed.Domain.Identity.Sex.Female, 1979, Api.NewMobile());

        var answer = await abdm.Verify(second, new { abhaNumber = abha.Number }, mobile);

        var problem = await answer.ShouldBeProblem(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString()!.ShouldContain("already linked to another patient");
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.LoadAsync<PatientAbha>(second.Id)).ShouldBeNull();
        (await session.Events.FetchStreamAsync(second.Id)).Select(e => e.Data).OfType<AbhaVerified>().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_abha_of_someone_else_in_the_family_is_not_linked()
    {
        var (abha, _, mobile) = await abdm.PatientWithAbha("Suresh Rao", "M", 1950);
        var daughter = await abdm.Patient("Kavita Rao", Telemed.Domain.Identity.Sex.Female, 1979, Api.NewMobile());

        var answer = await abdm.Verify(daughter, new { abhaNumber = abha.Number }, mobile);

        var problem = await answer.ShouldBeProblem(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("detail").GetString()!.ShouldContain("born in 1950");
    }

    [Fact]
    public async Task An_abha_is_created_from_an_aadhaar_otp_and_linked_and_its_card_downloads()
    {
        var (resident, client, mobile) = await ResidentWithoutAbha("Meera Joshi", new DateOnly(1992, 4, 5));
        var asked = DateTimeOffset.UtcNow;

        var started = await client.PostAsJsonAsync("/api/me/abha/create", new { aadhaar = resident.Aadhaar, consent = true });
        await started.ShouldHave(HttpStatusCode.Created);
        var journey = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var answer = await client.PostAsJsonAsync($"/api/me/abha/journeys/{journey}/otp", new { otp = await abdm.Abdm.LatestOtp(mobile, asked) });

        await answer.ShouldHave(HttpStatusCode.OK);
        var verified = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("abha").GetProperty("verified");
        verified.GetProperty("proof").GetString().ShouldBe("createdWithAadhaar");
        abdm.Abdm.People.ByResident(resident)!.Number.ShouldBe(verified.GetProperty("number").GetString());
        var card = await client.GetAsync($"/api/me/abha/journeys/{journey}/card");
        await card.ShouldHave(HttpStatusCode.OK);
        card.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        (await card.Content.ReadAsByteArrayAsync())[1..4].ShouldBe("PNG"u8.ToArray());
    }

    [Fact]
    public async Task A_new_abha_gets_the_address_its_holder_picks_from_abdms_suggestions_or_types()
    {
        var (resident, client, mobile) = await ResidentWithoutAbha("Anita Kulkarni", new DateOnly(1993, 7, 21));
        var asked = DateTimeOffset.UtcNow;
        var journey = (await (await client.PostAsJsonAsync("/api/me/abha/create", new { aadhaar = resident.Aadhaar, consent = true }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await (await client.PostAsJsonAsync($"/api/me/abha/journeys/{journey}/otp", new { otp = await abdm.Abdm.LatestOtp(mobile, asked) })).ShouldHave(HttpStatusCode.OK);

        var suggested = (await client.GetFromJsonAsync<JsonElement>($"/api/me/abha/journeys/{journey}/addresses")).GetProperty("addresses")
            .EnumerateArray().Select(a => a.GetString()!).ToList();
        suggested.ShouldNotBeEmpty();
        suggested.ShouldAllBe(a => a.EndsWith("@sbx"));

        var someoneElses = $"taken.{Random.Shared.Next(100000, 999999)}";
        abdm.Abdm.People.Open(new Resident(Population.NewAadhaar(), "Other Person", "M", new DateOnly(1980, 1, 1), Api.NewMobile()[^10..]), address: $"{someoneElses}@sbx");
        var taken = await client.PostAsJsonAsync($"/api/me/abha/journeys/{journey}/address", new { address = someoneElses });
        (await taken.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("taken");
        var malformed = await client.PostAsJsonAsync($"/api/me/abha/journeys/{journey}/address", new { address = "ab" });
        (await malformed.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("address", out _).ShouldBeTrue();

        var chosen = await client.PostAsJsonAsync($"/api/me/abha/journeys/{journey}/address", new { address = suggested[0] });
        await chosen.ShouldHave(HttpStatusCode.OK);
        (await chosen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("abha").GetProperty("verified").GetProperty("address").GetString().ShouldBe(suggested[0]);
        abdm.Abdm.People.ByResident(resident)!.PreferredAddress.ShouldBe(suggested[0]);

        var typed = $"anita_{Random.Shared.Next(10000, 99999)}";
        await (await client.PostAsJsonAsync($"/api/me/abha/journeys/{journey}/address", new { address = typed })).ShouldHave(HttpStatusCode.OK);
        (await client.GetFromJsonAsync<JsonElement>("/api/me/abha")).GetProperty("verified").GetProperty("address").GetString().ShouldBe($"{typed}@sbx");
    }

    [Fact]
    public async Task An_address_is_chosen_only_for_an_abha_created_here()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha();
        var client = Host.As(patient.AccessToken);
        var asked = DateTimeOffset.UtcNow;
        var journey = (await (await client.PostAsJsonAsync("/api/me/abha/verify", new { abhaNumber = abha.Number }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await (await client.PostAsJsonAsync($"/api/me/abha/journeys/{journey}/otp", new { otp = await abdm.Abdm.LatestOtp(mobile, asked) })).ShouldHave(HttpStatusCode.OK);

        await (await client.GetAsync($"/api/me/abha/journeys/{journey}/addresses")).ShouldBeProblem(HttpStatusCode.Conflict);
        await (await client.PostAsJsonAsync($"/api/me/abha/journeys/{journey}/address", new { address = "someone.else" })).ShouldBeProblem(HttpStatusCode.Conflict);
        abha.PreferredAddress.ShouldNotBe("someone.else@sbx");
    }

    [Fact]
    public async Task Creating_with_a_mobile_other_than_the_aadhaar_one_verifies_that_mobile_by_its_own_otp()
    {
        var aadhaarMobile = Api.NewMobile();
        var resident = new Resident(Population.NewAadhaar(), "Ravi Iyer", "M", new DateOnly(1985, 1, 2), aadhaarMobile[^10..]);
        abdm.Abdm.People.Add(resident);
        var ownMobile = Api.NewMobile();
        var patient = await abdm.Patient("Ravi Iyer", Telemed.Domain.Identity.Sex.Male, 1985, ownMobile);
        var client = Host.As(patient.AccessToken);
        var asked = DateTimeOffset.UtcNow;
        var journey = (await (await client.PostAsJsonAsync("/api/me/abha/create", new { aadhaar = resident.Aadhaar, consent = true }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var created = await client.PostAsJsonAsync($"/api/me/abha/journeys/{journey}/otp", new { otp = await abdm.Abdm.LatestOtp(aadhaarMobile, asked) });

        await created.ShouldHave(HttpStatusCode.OK);
        (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("step").GetString().ShouldBe("mobileOtp");
        var linked = await client.PostAsJsonAsync($"/api/me/abha/journeys/{journey}/mobile-otp", new { otp = await abdm.Abdm.LatestOtp(ownMobile, asked) });
        await linked.ShouldHave(HttpStatusCode.OK);
        (await linked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("step").GetString().ShouldBe("linked");
        abdm.Abdm.People.ByResident(resident)!.Mobile.ShouldBe(ownMobile[^10..]);
    }

    [Fact]
    public async Task An_aadhaar_number_with_a_wrong_check_digit_is_refused_before_anything_is_sent()
    {
        var (_, patient, _) = await abdm.PatientWithAbha();
        var valid = Population.NewAadhaar();
        var wrong = valid[..11] + (char)('0' + ((valid[11] - '0' + 1) % 10));
        // Only the ABHA service's calls: an earlier test's link token request may still reach the gateway meanwhile.
        int AbhaCalls() => abdm.Abdm.State.Arrivals.Count(a => a.Path.StartsWith("/abha/api", StringComparison.Ordinal));
        var arrivals = AbhaCalls();

        var answer = await Host.As(patient.AccessToken).PostAsJsonAsync("/api/me/abha/create", new { aadhaar = wrong, consent = true });

        (await answer.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("aadhaar")[0].GetString()!.ShouldContain("not a valid Aadhaar");
        AbhaCalls().ShouldBe(arrivals);
    }

    [Fact]
    public async Task Another_patients_verification_is_not_found_and_the_attempt_is_audited()
    {
        var (abha, owner, _) = await abdm.PatientWithAbha();
        var other = await abdm.Patient("Someone Else", Telemed.Domain.Identity.Sex.Male, 1970, Api.NewMobile());
        var journey = (await (await Host.As(owner.AccessToken).PostAsJsonAsync("/api/me/abha/verify", new { abhaNumber = abha.Number }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var answer = await Host.As(other.AccessToken).PostAsJsonAsync($"/api/me/abha/journeys/{journey}/otp", new { otp = "123456" });

        await answer.ShouldBeProblem(HttpStatusCode.NotFound);
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Events.FetchStreamAsync(other.Id)).Select(e => e.Data).OfType<Telemed.Server.Identity.AccessRefused>()
            .ShouldContain(e => e.Resource == $"abha-journey/{journey}");
    }

    [Fact]
    public async Task A_verification_leaves_no_abha_mobile_name_or_otp_in_the_logs()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha("Rukmini Deshpande", "F", 1966);
        var asked = DateTimeOffset.UtcNow;
        var client = Host.As(patient.AccessToken);
        var journey = await (await client.PostAsJsonAsync("/api/me/abha/verify", new { abhaNumber = abha.Number })).Content.ReadFromJsonAsync<JsonElement>();
        var otp = await abdm.Abdm.LatestOtp(mobile, asked);
        await (await client.PostAsJsonAsync($"/api/me/abha/journeys/{journey.GetProperty("id").GetGuid()}/otp", new { otp })).ShouldHave(HttpStatusCode.OK);

        var logs = string.Join('\n', abdm.Server.Logs.Lines);
        foreach (var secret in new[] { abha.Number, abha.Digits, abha.PreferredAddress, mobile[^10..], "Rukmini" })
        {
            logs.ShouldNotContain(secret);
        }
        // As a word: six digits could otherwise turn up inside a timing or an id by chance.
        System.Text.RegularExpressions.Regex.IsMatch(logs, $@"\b{otp}\b").ShouldBeFalse();
    }

    [Fact]
    public async Task A_verified_abha_gets_a_link_token_through_the_gateways_callback()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha();

        await (await abdm.Verify(patient, new { abhaNumber = abha.Number }, mobile)).ShouldHave(HttpStatusCode.OK);

        var client = Host.As(patient.AccessToken);
        var ready = await Api.Eventually(async () =>
            (await client.GetFromJsonAsync<JsonElement>("/api/me/abha")).GetProperty("verified").GetProperty("recordLinking").GetString() is { } state && state != "waiting"
                ? state : null);
        ready.ShouldBe("ready");
        abdm.Abdm.State.Callbacks.ShouldContain(c => c.Path == LinkTokens.CallbackPath && c.Status == 202);

        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var stored = (await session.LoadAsync<AbhaLinkToken>(patient.Id))!.ProtectedToken!;
        stored.ShouldNotStartWith("eyJ", customMessage: "the link token (a JWT) is not kept in clear");
        var token = Host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(LinkTokens.Purpose).Unprotect(stored);
        new JsonWebToken(token).Subject.ShouldBe(abha.Number);
    }

    [Fact]
    public async Task An_abha_verified_as_another_patients_cannot_be_declared_at_registration_and_nobody_is_registered()
    {
        var (abha, first, mobile) = await abdm.PatientWithAbha();
        await (await abdm.Verify(first, new { abhaNumber = abha.Number }, mobile)).ShouldHave(HttpStatusCode.OK);
        var newcomer = Api.NewMobile();
        var code = await Host.SendCodeAndRead(newcomer);

        var answer = await Host.CreateClient().PostAsJsonAsync("/api/patients", new
        {
            name = "Kavita Rao", yearOfBirth = 1979, sex = "female", mobile = newcomer, code, abhaNumber = abha.Number,
        });

        var problem = await answer.ShouldBeProblem(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString()!.ShouldContain("belongs to another patient");
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await PatientAccounts.WithMobile(session, Telemed.Domain.Identity.MobileNumber.Parse(newcomer).Value, CancellationToken.None)).ShouldBeNull();
    }

    /// <summary>A woman with an Aadhaar and no ABHA, registered with Telemed on her Aadhaar-linked mobile.</summary>
    private async Task<(Resident Resident, HttpClient Client, string Mobile)> ResidentWithoutAbha(string name, DateOnly born)
    {
        var mobile = Api.NewMobile();
        var resident = new Resident(Population.NewAadhaar(), name, "F", born, mobile[^10..]);
        abdm.Abdm.People.Add(resident);
        var patient = await abdm.Patient(name, Telemed.Domain.Identity.Sex.Female, born.Year, mobile);
        return (resident, Host.As(patient.AccessToken), mobile);
    }
}
