using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telemed.Domain.Messages;
using Telemed.Server.Identity;
using Telemed.Server.Messages;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Identity;

/// <summary>
/// Phone-first registration: a code goes to the number, and only the code's holder learns whether the number is
/// registered (signed in) or new (asked for a profile). Until the code is right, both kinds of number get the same answers.
/// </summary>
public class RegistrationTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private static object Profile(string mobile, string code) => new { name = "Anil Joshi", yearOfBirth = 1970, sex = "m", mobile, code };

    private async Task<(string Registered, string New)> Numbers()
    {
        var registered = (await Host.RegisterPatient(Api.NewMobile())).Patient.Mobile;
        server.Time.Advance(TimeSpan.FromSeconds(31));
        return (registered, Api.NewMobile());
    }

    /// <summary>Sign-in codes sunk for a number, newest first (registering also sends a welcome).</summary>
    private async Task<IReadOnlyList<SunkMessage>> Sunk(string mobile) =>
        (await Host.CreateClient().GetFromJsonAsync<List<SunkMessage>>($"/api/dev/messages?to={Uri.EscapeDataString(mobile)}", Api.Json))!
            .Where(m => m.Template == MessageCatalogue.SignInCode.Id).ToList();

    [Fact]
    public async Task Asking_for_a_code_answers_the_same_for_a_registered_and_a_new_number_and_sends_each_a_code()
    {
        var (registered, fresh) = await Numbers();
        var sinkBefore = (await Sunk(registered)).Count;

        var toRegistered = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp", new { mobile = registered, language = "en" });
        var toNew = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp", new { mobile = fresh, language = "en" });

        toRegistered.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        toNew.StatusCode.ShouldBe(toRegistered.StatusCode);
        (await toNew.Content.ReadAsStringAsync()).ShouldBe(await toRegistered.Content.ReadAsStringAsync());
        var sentToRegistered = await Api.Eventually(async () => await Sunk(registered) is { } all && all.Count > sinkBefore ? all[0] : null);
        var sentToNew = await Api.Eventually(async () => await Sunk(fresh) is [var first, ..] ? first : null);
        sentToNew.Template.ShouldBe(sentToRegistered.Template);
        sentToNew.Text.Length.ShouldBe(sentToRegistered.Text.Length, "the same template in the same language, only the code differs");
    }

    [Fact]
    public async Task A_wrong_code_answers_the_same_for_a_registered_and_a_new_number_when_signing_in_and_when_registering()
    {
        var (registered, fresh) = await Numbers();
        var codes = new Dictionary<string, string> { [registered] = await Host.SendCodeAndRead(registered), [fresh] = await Host.SendCodeAndRead(fresh) };
        string Wrong(string mobile) => codes[mobile] == "000000" ? "111111" : "000000";

        foreach (var path in new[] { "/api/auth/otp/verify", "/api/patients" })
        {
            var answers = new List<(HttpStatusCode Status, string Error)>();
            foreach (var mobile in new[] { registered, fresh })
            {
                var response = await Host.CreateClient().PostAsJsonAsync(path, Profile(mobile, Wrong(mobile)));
                answers.Add((response.StatusCode, (await response.Problem()).GetProperty("errors").GetProperty("code")[0].GetString()!));
            }
            answers[0].Status.ShouldBe(HttpStatusCode.BadRequest, path);
            answers[1].ShouldBe(answers[0], $"{path} told a registered number from a new one before the code was right");
        }
    }

    [Fact]
    public async Task Only_a_right_code_tells_a_new_number_from_a_registered_one()
    {
        var (registered, fresh) = await Numbers();

        var signedIn = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp/verify", new { mobile = registered, code = await Host.SendCodeAndRead(registered) });
        var freshCode = await Host.SendCodeAndRead(fresh);
        var unknown = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp/verify", new { mobile = fresh, code = freshCode });

        await signedIn.ShouldHave(HttpStatusCode.OK);
        (await signedIn.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!.Role.ShouldBe("patient");
        await unknown.ShouldHave(HttpStatusCode.NotFound);
        (await unknown.Problem()).GetProperty("code").GetString().ShouldBe(PatientAccounts.NotRegisteredCode);
        var registration = await Host.CreateClient().PostAsJsonAsync("/api/patients", Profile(fresh, freshCode));
        await registration.ShouldHave(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Registering_a_registered_number_with_the_right_code_says_so_and_the_same_code_signs_in()
    {
        var first = await Host.RegisterPatient(Api.NewMobile());
        server.Time.Advance(TimeSpan.FromSeconds(31));
        var code = await Host.SendCodeAndRead(first.Patient.Mobile);

        var again = await Host.CreateClient().PostAsJsonAsync("/api/patients", Profile(first.Patient.Mobile, code));
        await again.ShouldHave(HttpStatusCode.Conflict);
        (await again.Problem()).GetProperty("code").GetString().ShouldBe(PatientAccounts.AlreadyRegisteredCode);

        var signIn = await Host.CreateClient().PostAsJsonAsync("/api/auth/otp/verify", new { mobile = first.Patient.Mobile, code });
        await signIn.ShouldHave(HttpStatusCode.OK);
        (await signIn.Content.ReadFromJsonAsync<TokenResponse>(Api.Json))!.AccountId.ShouldBe(first.Patient.Id);
    }

    /// <summary>
    /// A right code for one's own number could otherwise be replayed with ABHA number after ABHA number to learn whose
    /// are registered: the refusal is the same whichever identifier is taken, and it uses the code up.
    /// </summary>
    [Fact]
    public async Task Declaring_another_patients_abha_is_refused_once_per_code()
    {
        var taken = Api.NewAbhaNumber();
        await Host.RegisterPatient(Api.NewMobile(), taken);
        var mobile = Api.NewMobile();
        var code = await Host.SendCodeAndRead(mobile);

        var refused = await Host.CreateClient().PostAsJsonAsync("/api/patients", new { name = "Anil Joshi", yearOfBirth = 1970, sex = "m", mobile, code, abhaNumber = taken });
        (await refused.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("belongs to another patient");

        var probe = await Host.CreateClient().PostAsJsonAsync("/api/patients", new { name = "Anil Joshi", yearOfBirth = 1970, sex = "m", mobile, code, abhaNumber = Api.NewAbhaNumber() });
        (await probe.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("code")[0].GetString()!.ShouldContain("Ask for a new one");
    }

    [Fact]
    public async Task A_new_patient_keeps_their_language_and_email_and_their_codes_come_in_that_language()
    {
        var mobile = Api.NewMobile();
        var code = await Host.SendCodeAndRead(mobile);
        var registered = await Host.CreateClient().PostAsJsonAsync("/api/patients", new
        {
            name = "Meena Kumari", dateOfBirth = "1984-03-09", sex = "female", mobile, code, language = "hi", email = " Meena.K@Example.org ",
        });
        await registered.ShouldHave(HttpStatusCode.Created);
        var tokens = (await registered.Content.ReadFromJsonAsync<PatientRegistration>(Api.Json))!.Tokens;

        var me = await Host.As(tokens.AccessToken).GetFromJsonAsync<JsonElement>("/api/me");
        me.GetProperty("language").GetString().ShouldBe("hi");
        me.GetProperty("email").GetString().ShouldBe("meena.k@example.org");
        me.GetProperty("yearOfBirth").GetInt32().ShouldBe(1984);

        server.Time.Advance(TimeSpan.FromSeconds(31));
        var before = (await Sunk(mobile)).Count;
        await (await Host.CreateClient().PostAsJsonAsync("/api/auth/otp", new { mobile })).ShouldHave(HttpStatusCode.Accepted);
        var sms = await Api.Eventually(async () => await Sunk(mobile) is { } all && all.Count > before ? all[0] : null);
        sms.Text.ShouldContain("कोड", customMessage: "asked without a language, the code comes in the patient's own");
    }

    [Fact]
    public async Task A_registration_with_a_bad_language_or_email_names_those_fields()
    {
        var response = await Host.CreateClient().PostAsJsonAsync("/api/patients", new
        {
            name = "Meena Kumari", yearOfBirth = 1984, sex = "female", mobile = Api.NewMobile(), code = "123456", language = "fr", email = "meena@",
        });

        await response.ShouldHave(HttpStatusCode.BadRequest);
        var errors = (await response.Problem()).GetProperty("errors");
        errors.GetProperty("language")[0].GetString().ShouldContain("en, hi");
        errors.GetProperty("email")[0].GetString().ShouldContain("name@example.org");
    }
}
