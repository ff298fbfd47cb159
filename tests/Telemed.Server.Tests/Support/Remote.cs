using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Telemed.Server.Tests.Support;

/// <summary>What a client does against a server process (<see cref="ServerProcess"/>) over real HTTP, in one line each.</summary>
public static class Remote
{
    public static async Task<string> SignIn(HttpClient http, string email)
    {
        var response = await http.PostAsJsonAsync("/api/auth/sign-in", new { email, password = Api.DemoPassword });
        await response.ShouldHave(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>The doctor's signing unlock (the demo password), which a completion that signs presents.</summary>
    public static async Task<string> UnlockSigning(HttpClient http, string doctor)
    {
        var response = await Send(http, HttpMethod.Post, "/api/doctors/me/signing-unlock", doctor, new { password = Api.DemoPassword });
        await response.ShouldHave(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unlockToken").GetString()!;
    }

    public static async Task<Guid> OpenSession(HttpClient http, string doctor)
    {
        var now = DateTimeOffset.UtcNow;
        using var request = Authorised(HttpMethod.Post, "/api/sessions", doctor, new { facilityId = Sessions.Facility, startsAt = now, endsAt = now.AddHours(2), capacity = 10 });
        var response = await http.SendAsync(request);
        await response.ShouldHave(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static HttpRequestMessage Authorised(HttpMethod method, string path, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public static async Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string token, object? body = null, string? signingUnlock = null)
    {
        using var request = Authorised(method, path, token, body);
        if (signingUnlock is not null)
        {
            request.Headers.Add(Telemed.Server.Prescriptions.PresentedUnlock.Header, signingUnlock);
        }
        return await http.SendAsync(request);
    }
}
