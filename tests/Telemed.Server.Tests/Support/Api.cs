using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Telemed.Server.Identity;
using Telemed.Server.Notifications;

namespace Telemed.Server.Tests.Support;

/// <summary>What a client does, in one line each, against a test host.</summary>
public static class Api
{
    public const string DemoPassword = "telemed-demo";
    public const string AdminEmail = "admin@telemed.local";
    public const string DoctorEmail = "asha.verma@telemed.local";
    public const string DemoPatientMobile = "+919876543210";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    public static HttpClient As(this TelemedFactory host, string? accessToken)
    {
        var client = host.CreateClient();
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
        return client;
    }

    public static async Task<TokenResponse> SignInStaff(this TelemedFactory host, string email, string password = DemoPassword)
    {
        var response = await host.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email, password });
        await response.ShouldHave(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(Json))!;
    }

    public static async Task<string> SendCodeAndRead(this TelemedFactory host, string mobile)
    {
        var sent = await host.CreateClient().PostAsJsonAsync("/api/auth/otp", new { mobile });
        await sent.ShouldHave(HttpStatusCode.Accepted);
        var admin = await host.SignInStaff(AdminEmail);
        var messages = await host.As(admin.AccessToken).GetFromJsonAsync<List<OutboxMessage>>($"/api/admin/outbox?to={Uri.EscapeDataString(mobile)}", Json);
        var body = messages!.First().Body;
        return new string(body.SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit).ToArray());
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
