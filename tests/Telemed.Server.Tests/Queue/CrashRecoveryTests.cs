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
            var doctor = await Remote.SignIn(http, Api.DoctorEmail);
            sessionId = await Remote.OpenSession(http, doctor);
            foreach (var patient in patients)
            {
                using var checkIn = Remote.Authorised(HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", patient.AccessToken, new { complaint = "crash test" });
                await (await http.SendAsync(checkIn)).ShouldHave(HttpStatusCode.Created);
            }
            foreach (var path in new[] { "call-next", "tokens/1/start", "tokens/1/complete", "call-next", "tokens/2/skip", "call-next" })
            {
                using var command = Remote.Authorised(HttpMethod.Post, $"/api/sessions/{sessionId}/{path}", doctor);
                await (await http.SendAsync(command)).ShouldHave(HttpStatusCode.OK);
            }
            using var read = Remote.Authorised(HttpMethod.Get, $"/api/sessions/{sessionId}/queue", doctor);
            before = await (await http.SendAsync(read)).Content.ReadAsStringAsync();

            await node.Kill();
        }

        await using var restarted = await ServerProcess.Start(server.Schema, server.KeyPath);
        using var again = new HttpClient { BaseAddress = restarted.Address };
        var doctorAgain = await Remote.SignIn(again, Api.DoctorEmail);
        using var reread = Remote.Authorised(HttpMethod.Get, $"/api/sessions/{sessionId}/queue", doctorAgain);
        var after = await (await again.SendAsync(reread)).Content.ReadAsStringAsync();

        Normalise(after).ShouldBe(Normalise(before));
        JsonDocument.Parse(after).RootElement.GetProperty("rows").EnumerateArray()
            .Select(r => r.GetProperty("state").GetString())
            .ShouldBe(["completed", "skipped", "called", "waiting"]);
    }

    /// <summary>Presence is per process (nobody is connected to the new one), everything else must match exactly.</summary>
    private static string Normalise(string queue) => queue.Replace("\"online\":true", "\"online\":false", StringComparison.Ordinal);
}
