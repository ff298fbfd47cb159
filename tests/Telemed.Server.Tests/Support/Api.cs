using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Server.Identity;
using Telemed.Server.Messages;
using Telemed.Server.Prescriptions;

namespace Telemed.Server.Tests.Support;

/// <summary>What a client does, in one line each, against a test host.</summary>
public static class Api
{
    public const string DemoPassword = "telemed-demo";
    public const string AdminEmail = "admin@telemed.local";
    public const string DoctorEmail = "asha.verma@telemed.local";
    public const string DemoPatientMobile = "+919876543210";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    /// <summary>A client for the access token; a doctor's also presents the signing unlock their sign-in took (<see cref="SignInStaff"/>).</summary>
    public static HttpClient As(this TelemedFactory host, string? accessToken)
    {
        var client = host.CreateClient();
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            if (SigningUnlockOf(accessToken) is { } unlock)
            {
                client.DefaultRequestHeaders.Add(PresentedUnlock.Header, unlock);
            }
        }
        return client;
    }

    private static readonly ConcurrentDictionary<string, string> SigningUnlocks = new(StringComparer.Ordinal);

    /// <summary>The signing unlock a doctor's sign-in through <see cref="SignInStaff"/> took with its access token; null for anyone else.</summary>
    public static string? SigningUnlockOf(string accessToken) => SigningUnlocks.GetValueOrDefault(accessToken);

    /// <summary>Unlocks the doctor's signing key with their password (as the web client asks before the first completion that signs).</summary>
    public static async Task<string> UnlockSigning(this TelemedFactory host, string accessToken, string password = DemoPassword)
    {
        var response = await host.As(accessToken).PostAsJsonAsync("/api/doctors/me/signing-unlock", new { password });
        await response.ShouldHave(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unlockToken").GetString()!;
    }

    /// <summary>
    /// Signs in with the password and, for the demo admin, the second step with its authenticator's next code. A doctor
    /// then unlocks their signing key with the same password, as at the start of a shift, and <see cref="As"/> presents it.
    /// </summary>
    public static async Task<TokenResponse> SignInStaff(this TelemedFactory host, string email, string password = DemoPassword)
    {
        var tokens = await SignInStaffOnly(host, email, password);
        if (tokens.Role == Roles.Doctor)
        {
            SigningUnlocks[tokens.AccessToken] = await host.UnlockSigning(tokens.AccessToken, password);
        }
        return tokens;
    }

    /// <summary>Signs in with the password (and the demo admin's code), nothing more: a doctor's signing key stays locked.</summary>
    public static async Task<TokenResponse> SignInStaffOnly(this TelemedFactory host, string email, string password = DemoPassword)
    {
        var response = await host.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email, password });
        if (response.StatusCode == HttpStatusCode.Accepted && email == AdminEmail)
        {
            var challenge = (await response.Content.ReadFromJsonAsync<MfaChallengeResponse>(Json))!;
            response = await host.CreateClient().PostAsJsonAsync("/api/auth/mfa/verify", new { challenge = challenge.Challenge, code = host.DemoAdminCode() });
        }
        await response.ShouldHave(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(Json))!;
    }

    private static readonly Dictionary<string, long> LastDemoAdminStep = [];

    /// <summary>
    /// The demo admin's authenticator code for the earliest time step the server accepts that no earlier sign-in used
    /// (a code works once). The test clock stands still, so after three sign-ins in one step it moves on to the next.
    /// </summary>
    public static string DemoAdminCode(this TelemedFactory host)
    {
        lock (LastDemoAdminStep)
        {
            var current = TotpCodes.Step(host.Time.GetUtcNow());
            var step = Math.Max(current - 1, LastDemoAdminStep.GetValueOrDefault(host.Schema, long.MinValue) + 1);
            if (step > current + 1)
            {
                host.Time.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds((step - 1) * TotpCodes.StepSeconds));
            }
            LastDemoAdminStep[host.Schema] = step;
            return TotpCodes.Code(TotpCodes.FromBase32(DemoOptions.DemoAdminTotpSecret), DateTimeOffset.FromUnixTimeSeconds(step * TotpCodes.StepSeconds));
        }
    }

    /// <summary>Asks for a code and reads it from the development sink's page, once the dispatcher has handed the SMS over.</summary>
    public static async Task<string> SendCodeAndRead(this TelemedFactory host, string mobile)
    {
        var client = host.CreateClient();
        var before = await SunkTo(client, mobile);
        var sent = await client.PostAsJsonAsync("/api/auth/otp", new { mobile });
        await sent.ShouldHave(HttpStatusCode.Accepted);
        var text = await Eventually(async () => await SunkTo(client, mobile) is { } now && now.Count > before.Count ? now[0].Text : null);
        return new string(text.SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit).ToArray());
    }

    /// <summary>The sign-in codes sunk for a number, newest first (a registered number also gets other messages).</summary>
    private static async Task<List<SunkMessage>> SunkTo(HttpClient client, string mobile) =>
        (await client.GetFromJsonAsync<List<SunkMessage>>($"/api/dev/messages?to={Uri.EscapeDataString(mobile)}", Json))!
            .Where(m => m.Template == MessageCatalogue.SignInCode.Id).ToList();

    /// <summary>Polls until the probe has a value (asynchronous work such as message dispatch), failing after ten seconds.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T?>> probe, TimeSpan? within = null) where T : class
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The awaited state did not come about in time.");
            }
            await Task.Delay(20);
        }
    }

    public static async Task<PatientRegistration> RegisterPatient(this TelemedFactory host, string mobile, string? abhaNumber = null)
    {
        var code = await host.SendCodeAndRead(mobile);
        var response = await host.CreateClient().PostAsJsonAsync("/api/patients", new
        {
            name = "Kavita Rao",
            yearOfBirth = 1979,
            sex = "female",
            mobile,
            code,
            abhaNumber,
        });
        await response.ShouldHave(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<PatientRegistration>(Json))!;
    }

    public static async Task ShouldHave(this HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new Shouldly.ShouldAssertException($"Expected {(int)status} {status} but got {(int)response.StatusCode} {response.StatusCode}: {body}");
        }
    }

    /// <summary>Checks the status, then reads the RFC 7807 body (and checks it is one).</summary>
    public static async Task<JsonElement> ShouldBeProblem(this HttpResponseMessage response, HttpStatusCode status)
    {
        await response.ShouldHave(status);
        return await response.Problem();
    }

    /// <summary>Reads an RFC 7807 body (and checks it is one).</summary>
    public static async Task<JsonElement> Problem(this HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().ShouldBe((int)response.StatusCode);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        return problem;
    }

    /// <summary>A unique, valid Indian mobile number per call, so tests never collide.</summary>
    public static string NewMobile() => "+917" + Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string NewAbhaNumber() => Random.Shared.NextInt64(10_000_000_000_000, 99_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
