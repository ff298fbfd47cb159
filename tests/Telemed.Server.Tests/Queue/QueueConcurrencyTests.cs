using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Queue;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Queue;

public class QueueConcurrencyTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    [Fact]
    public async Task Fifty_concurrent_check_ins_get_fifty_distinct_consecutive_tokens()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(50);

        var positions = await Task.WhenAll(patients.Select(p => Sessions.CheckIn(Host, sessionId, p)));

        positions.Select(p => p.GetProperty("token").GetInt32()).Order().ShouldBe(Enumerable.Range(1, 50));
    }

    [Fact]
    public async Task Concurrent_check_ins_of_one_patient_give_one_token()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];

        var positions = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Sessions.CheckIn(Host, sessionId, patient)));

        positions.Select(p => p.GetProperty("token").GetInt32()).Distinct().ShouldBe([1]);
    }

    /// <summary>
    /// The doctors sit on two different server nodes sharing the database, so nothing in-process can serialise
    /// them: only the expected-version check on the session stream keeps them apart.
    /// </summary>
    [Fact]
    public async Task Two_doctors_on_two_nodes_calling_next_at_the_same_moment_never_get_the_same_patient()
    {
        const int rounds = 100;
        var sessionId = await Sessions.Open(Host, capacity: 2 * rounds);
        var patients = await Host.CreatePatients(2 * rounds);
        await Task.WhenAll(patients.Select(p => Sessions.CheckIn(Host, sessionId, p)));
        var otherNode = server.Start();
        var asha = await Sessions.Doctor(Host, Api.DoctorEmail);
        var rahul = await Sessions.Doctor(otherNode, "rahul.nair@telemed.local");

        var called = new List<int>();
        for (var round = 0; round < rounds; round++)
        {
            var calls = await Task.WhenAll(asha.PostAsync($"/api/sessions/{sessionId}/call-next", null), rahul.PostAsync($"/api/sessions/{sessionId}/call-next", null));
            var tokens = new List<int>();
            foreach (var call in calls)
            {
                await call.ShouldHave(HttpStatusCode.OK);
                tokens.Add((await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetInt32());
            }
            tokens.Distinct().Count().ShouldBe(2, $"round {round} called {string.Join(", ", tokens)} twice");
            called.AddRange(tokens);
            await Task.WhenAll(tokens.Select((token, i) => (i == 0 ? asha : rahul).PostAsync($"/api/sessions/{sessionId}/tokens/{token}/no-show", null)));
        }

        called.Order().ShouldBe(Enumerable.Range(1, 2 * rounds));
        await using var store = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await store.Events.FetchStreamAsync(sessionId);
        events.Select(e => e.Data).OfType<TokenCalled>().Select(e => e.Token).ShouldBeUnique();
    }

    [Fact]
    public async Task A_stale_if_match_version_is_refused_and_nothing_changes()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(2);
        await Sessions.CheckIn(Host, sessionId, patients[0]);
        var doctor = await Sessions.Doctor(Host);
        var queue = await doctor.GetAsync($"/api/sessions/{sessionId}/queue");
        var etag = queue.Headers.ETag!.Tag;
        await Sessions.CheckIn(Host, sessionId, patients[1]);

        using var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{sessionId}/call-next");
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        var response = await doctor.SendAsync(stale);

        await response.ShouldHave(HttpStatusCode.PreconditionFailed);
        (await response.Problem()).GetProperty("code").GetString().ShouldBe("StaleVersion");
        response.Headers.ETag!.Tag.ShouldNotBe(etag);
        var after = await doctor.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}/queue");
        after.GetProperty("rows").EnumerateArray().ShouldAllBe(r => r.GetProperty("state").GetString() == "waiting");
    }

    [Fact]
    public async Task A_fresh_if_match_version_is_accepted()
    {
        var sessionId = await Sessions.Open(Host);
        await Sessions.CheckIn(Host, sessionId, (await Host.CreatePatients(1))[0]);
        var doctor = await Sessions.Doctor(Host);
        var queue = await doctor.GetAsync($"/api/sessions/{sessionId}/queue");

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{sessionId}/call-next");
        request.Headers.TryAddWithoutValidation("If-Match", queue.Headers.ETag!.Tag);
        var response = await doctor.SendAsync(request);

        await response.ShouldHave(HttpStatusCode.OK);
    }
}
