using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Queue;

public class CrashRecoveryTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    [Fact]
    public async Task A_killed_server_process_comes_back_with_the_queue_exactly_as_it_was()
    {
        var patients = await server.Host.CreatePatients(4);
        Guid sessionId;
        string before;
        await using (var node = await ServerProcess.Start(server.Schema, server.KeyPath))
        {
            using var http = new HttpClient { BaseAddress = node.Address };
            var doctor = await SignIn(http, Api.DoctorEmail);
            sessionId = await OpenSession(http, doctor);
            foreach (var patient in patients)
            {
                using var checkIn = Authorised(HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", patient.AccessToken, new { complaint = "crash test" });
                await (await http.SendAsync(checkIn)).ShouldHave(HttpStatusCode.Created);
            }
            foreach (var path in new[] { "call-next", "tokens/1/start", "tokens/1/complete", "call-next", "tokens/2/skip", "call-next" })
            {
                using var command = Authorised(HttpMethod.Post, $"/api/sessions/{sessionId}/{path}", doctor);
                await (await http.SendAsync(command)).ShouldHave(HttpStatusCode.OK);
            }
            using var read = Authorised(HttpMethod.Get, $"/api/sessions/{sessionId}/queue", doctor);
            before = await (await http.SendAsync(read)).Content.ReadAsStringAsync();

            await node.Kill();
        }

        await using var restarted = await ServerProcess.Start(server.Schema, server.KeyPath);
        using var again = new HttpClient { BaseAddress = restarted.Address };
        var doctorAgain = await SignIn(again, Api.DoctorEmail);
        using var reread = Authorised(HttpMethod.Get, $"/api/sessions/{sessionId}/queue", doctorAgain);
        var after = await (await again.SendAsync(reread)).Content.ReadAsStringAsync();

        Normalise(after).ShouldBe(Normalise(before));
        JsonDocument.Parse(after).RootElement.GetProperty("rows").EnumerateArray()
            .Select(r => r.GetProperty("state").GetString())
            .ShouldBe(["completed", "skipped", "called", "waiting"]);
    }

    /// <summary>Presence is per process (nobody is connected to the new one), everything else must match exactly.</summary>
    private static string Normalise(string queue) => queue.Replace("\"online\":true", "\"online\":false", StringComparison.Ordinal);

    private static async Task<string> SignIn(HttpClient http, string email)
    {
        var response = await http.PostAsJsonAsync("/api/auth/sign-in", new { email, password = Api.DemoPassword });
        await response.ShouldHave(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private static async Task<Guid> OpenSession(HttpClient http, string doctor)
    {
        var now = DateTimeOffset.UtcNow;
        using var request = Authorised(HttpMethod.Post, "/api/sessions", doctor, new { facilityId = Sessions.Facility, startsAt = now, endsAt = now.AddHours(2), capacity = 10 });
        var response = await http.SendAsync(request);
        await response.ShouldHave(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static HttpRequestMessage Authorised(HttpMethod method, string path, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
