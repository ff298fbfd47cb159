using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JasperFx.Events.Fetching;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Queue;
using Telemed.Server.Identity;
using Telemed.Server.Queue;
using Telemed.Server.Realtime;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Queue;

/// <summary>The queue as people see it live, through real SignalR clients.</summary>
public class LiveQueueTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    [Fact]
    public async Task Waiting_patients_hear_their_position_change_when_the_doctor_calls_next()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(2);
        await Sessions.CheckIn(Host, sessionId, patients[0], "fever for three days");
        await Sessions.CheckIn(Host, sessionId, patients[1]);
        await using var first = await HubClient.Connect(Host, "/hubs/queue", patients[0].AccessToken, "PositionChanged");
        await using var second = await HubClient.Connect(Host, "/hubs/queue", patients[1].AccessToken, "PositionChanged");
        (await second.Invoke("WatchMyToken", sessionId)).GetProperty("value").GetProperty("position").GetInt32().ShouldBe(2);
        (await first.Invoke("WatchMyToken", sessionId)).GetProperty("value").GetProperty("position").GetInt32().ShouldBe(1);

        var doctor = await Sessions.Doctor(Host);
        var called = await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null);
        await called.ShouldHave(HttpStatusCode.OK);

        var firstPush = await first.Next("PositionChanged");
        firstPush.GetProperty("state").GetString().ShouldBe("called");
        firstPush.GetProperty("token").GetInt32().ShouldBe(1);
        var secondPush = await second.Next("PositionChanged");
        secondPush.GetProperty("position").GetInt32().ShouldBe(1);
        secondPush.GetProperty("estimatedWaitMinutes").GetInt32().ShouldBe(5); // one slot of 10 minutes, shared by two doctors
    }

    [Fact]
    public async Task The_doctors_view_updates_live_on_check_in_and_shows_who_is_online()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(2);
        var doctorToken = (await Host.SignInStaff(Api.DoctorEmail)).AccessToken;
        await using var doctor = await HubClient.Connect(Host, "/hubs/queue", doctorToken, "QueueUpdated", "PatientPresenceChanged");
        var view = await doctor.Invoke("WatchQueue", sessionId);
        view.GetProperty("ok").GetBoolean().ShouldBeTrue();
        view.GetProperty("value").GetProperty("rows").GetArrayLength().ShouldBe(0);

        await Sessions.CheckIn(Host, sessionId, patients[0], "cough");

        var delta = await doctor.Next("QueueUpdated");
        var row = delta.GetProperty("rows")[0];
        row.GetProperty("token").GetInt32().ShouldBe(1);
        row.GetProperty("complaint").GetString().ShouldBe("cough");
        row.GetProperty("online").GetBoolean().ShouldBeFalse();
        delta.GetProperty("line").EnumerateArray().Select(t => t.GetInt32()).ShouldBe([1]);

        var patient = await HubClient.Connect(Host, "/hubs/queue", patients[0].AccessToken, "PositionChanged");
        await patient.Invoke("WatchMyToken", sessionId);
        (await doctor.Next("PatientPresenceChanged")).GetProperty("online").GetBoolean().ShouldBeTrue();
        await patient.DisposeAsync();
        (await doctor.Next("PatientPresenceChanged", p => !p.GetProperty("online").GetBoolean())).GetProperty("token").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Calling_a_patient_who_has_the_page_open_is_not_flagged()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(1);
        await Sessions.CheckIn(Host, sessionId, patients[0]);
        await using var patient = await HubClient.Connect(Host, "/hubs/queue", patients[0].AccessToken);
        await patient.Invoke("WatchMyToken", sessionId);

        var called = await (await Sessions.Doctor(Host)).PostAsync($"/api/sessions/{sessionId}/call-next", null);

        var row = await called.Content.ReadFromJsonAsync<JsonElement>();
        row.GetProperty("online").GetBoolean().ShouldBeTrue();
        row.GetProperty("calledWhileOffline").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Calling_a_patient_who_closed_the_page_is_allowed_but_flagged()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(1);
        await Sessions.CheckIn(Host, sessionId, patients[0]);

        var called = await (await Sessions.Doctor(Host)).PostAsync($"/api/sessions/{sessionId}/call-next", null);

        await called.ShouldHave(HttpStatusCode.OK);
        var row = await called.Content.ReadFromJsonAsync<JsonElement>();
        row.GetProperty("calledWhileOffline").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Doctors_drive_the_queue_over_the_hub_and_get_typed_errors()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(2);
        await Sessions.CheckIn(Host, sessionId, patients[0]);
        await Sessions.CheckIn(Host, sessionId, patients[1]);
        await using var doctor = await HubClient.Connect(Host, "/hubs/queue", (await Host.SignInStaff(Api.DoctorEmail)).AccessToken, "QueueUpdated");

        var called = await doctor.Invoke("CallNext", sessionId);
        called.GetProperty("value").GetProperty("token").GetInt32().ShouldBe(1);
        var busy = await doctor.Invoke("CallNext", sessionId);
        busy.GetProperty("ok").GetBoolean().ShouldBeFalse();
        busy.GetProperty("error").GetProperty("code").GetString().ShouldBe("DoctorBusy");

        (await doctor.Invoke("StartConsultation", sessionId, 1)).GetProperty("value").GetProperty("state").GetString().ShouldBe("inConsultation");
        (await doctor.Invoke("Complete", sessionId, 1, null)).GetProperty("value").GetProperty("state").GetString().ShouldBe("completed");
        (await doctor.Invoke("Prioritise", sessionId, 2, "elderly")).GetProperty("value").GetProperty("priority").GetString().ShouldBe("elderly");
        var unknown = await doctor.Invoke("Skip", sessionId, 99);
        unknown.GetProperty("error").GetProperty("code").GetString().ShouldBe("TokenNotFound");
    }

    [Fact]
    public async Task A_patient_cannot_drive_the_queue_over_the_hub()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(1);
        await Sessions.CheckIn(Host, sessionId, patients[0]);
        await using var patient = await HubClient.Connect(Host, "/hubs/queue", patients[0].AccessToken);

        var attempt = await patient.Invoke("CallNext", sessionId);
        var watch = await patient.Invoke("WatchQueue", sessionId);

        attempt.GetProperty("error").GetProperty("code").GetString().ShouldBe("NotSessionDoctor");
        watch.GetProperty("ok").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task The_hub_refuses_connections_without_a_token()
    {
        var failure = await Should.ThrowAsync<Exception>(() => HubClient.Connect(Host, "/hubs/queue", null));

        failure.Message.ShouldContain("401");
    }

    [Fact]
    public async Task The_public_board_shows_token_numbers_live_without_sign_in()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(3);
        foreach (var patient in patients)
        {
            await Sessions.CheckIn(Host, sessionId, patient);
        }
        await using var board = await HubClient.Connect(Host, "/hubs/board", null, "BoardChanged");
        var lines = await board.Invoke("WatchFacility", Sessions.Facility);
        lines.EnumerateArray().ShouldContain(line => line.GetProperty("sessionId").GetGuid() == sessionId);

        await (await Sessions.Doctor(Host)).PostAsync($"/api/sessions/{sessionId}/call-next", null);

        var changed = await board.Next("BoardChanged", l => l.GetProperty("sessionId").GetGuid() == sessionId);
        changed.GetProperty("nowServing").EnumerateArray().Select(t => t.GetInt32()).ShouldBe([1]);
        changed.GetProperty("upNext").EnumerateArray().Select(t => t.GetInt32()).ShouldBe([2, 3]);
        changed.GetRawText().ShouldNotContain("Test Patient");

        var rest = await Host.CreateClient().GetFromJsonAsync<JsonElement>($"/api/boards/{Sessions.Facility}");
        rest.GetRawText().ShouldNotContain("Test Patient");
    }

    [Fact]
    public async Task The_queue_is_exactly_the_same_after_a_restart_and_clients_that_reconnect_get_the_current_state()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(4);
        foreach (var waiting in patients)
        {
            await Sessions.CheckIn(Host, sessionId, waiting);
        }
        var doctor = await Sessions.Doctor(Host);
        await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null);
        await doctor.PostAsync($"/api/sessions/{sessionId}/tokens/1/skip", null);
        await doctor.PutAsJsonAsync($"/api/sessions/{sessionId}/tokens/4/priority", new { priority = "emergency" });
        await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null);
        var before = await doctor.GetStringAsync($"/api/sessions/{sessionId}/queue");

        var restarted = await server.Restart();

        var after = await (await Sessions.Doctor(restarted)).GetStringAsync($"/api/sessions/{sessionId}/queue");
        after.ShouldBe(before);
        await using var patient = await HubClient.Connect(restarted, "/hubs/queue", patients[1].AccessToken);
        var position = (await patient.Invoke("WatchMyToken", sessionId)).GetProperty("value");
        position.GetProperty("token").GetInt32().ShouldBe(2);
        position.GetProperty("position").GetInt32().ShouldBe(1);

        var queue = restarted.Services.GetService(typeof(Telemed.Server.Queue.QueueService)) as Telemed.Server.Queue.QueueService;
        var replayed = await queue!.Replay(sessionId, CancellationToken.None);
        JsonSerializer.Serialize(replayed).ShouldBe(JsonSerializer.Serialize(await queue.Load(sessionId, CancellationToken.None)));
    }

    [Fact]
    public async Task A_long_sessions_snapshot_is_kept_by_the_daemon_and_a_restarted_node_serves_the_same_queue()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(2);
        await Sessions.CheckIn(Host, sessionId, patients[0]);
        await Sessions.CheckIn(Host, sessionId, patients[1]);
        var doctor = await Sessions.Doctor(Host);
        for (var change = 0; change < 510; change++)
        {
            var priority = change % 2 == 0 ? "elderly" : "normal";
            (await doctor.PutAsJsonAsync($"/api/sessions/{sessionId}/tokens/2/priority", new { priority })).EnsureSuccessStatusCode();
        }
        await Host.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var before = await doctor.GetStringAsync($"/api/sessions/{sessionId}/queue");

        var restarted = await server.Restart();

        await using (var db = restarted.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var head = await db.Events.FetchStreamStateAsync(sessionId);
            (await db.LoadAsync<OpdSession>(sessionId))!.Version.ShouldBe(head!.Version);
        }
        (await (await Sessions.Doctor(restarted)).GetStringAsync($"/api/sessions/{sessionId}/queue")).ShouldBe(before);
        var queue = restarted.Services.GetRequiredService<QueueService>();
        JsonSerializer.Serialize(await queue.Replay(sessionId, CancellationToken.None))
            .ShouldBe(JsonSerializer.Serialize(await queue.Load(sessionId, CancellationToken.None)));
    }

    [Fact]
    public async Task An_open_session_stays_in_the_write_cache_and_a_closed_one_leaves_it()
    {
        var queue = Host.Services.GetRequiredService<QueueService>();
        var cache = Host.Services.GetRequiredService<RecentlyUsedAggregateWriteCache>();
        var sessionId = await Sessions.Open(Host);
        await Sessions.CheckIn(Host, sessionId, (await Host.CreatePatients(1))[0]);

        await queue.Load(sessionId, CancellationToken.None);
        var hits = cache.Hits;
        await queue.Load(sessionId, CancellationToken.None);
        cache.Hits.ShouldBe(hits + 1);

        (await (await Sessions.Doctor(Host)).PostAsync($"/api/sessions/{sessionId}/close", null)).EnsureSuccessStatusCode();
        var misses = cache.Misses;
        (await queue.Load(sessionId, CancellationToken.None))!.Status.ShouldBe(SessionStatus.Closed);
        cache.Misses.ShouldBe(misses + 1);
    }

    [Fact]
    public async Task A_closed_session_leaves_nothing_behind_on_the_node()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        await Sessions.CheckIn(Host, sessionId, patient);
        await using (var watcher = await HubClient.Connect(Host, "/hubs/queue", patient.AccessToken))
        {
            await watcher.Invoke("WatchMyToken", sessionId);
            var presence = Host.Services.GetRequiredService<Presence>();
            (await presence.TokensWatchedBy(patient.Id)).ShouldContain(watched => watched.Key == sessionId);
            var broadcaster = Host.Services.GetRequiredService<PositionBroadcaster>();
            broadcaster.Keeps(sessionId).ShouldBeTrue();

            (await (await Sessions.Doctor(Host)).PostAsync($"/api/sessions/{sessionId}/close", null)).EnsureSuccessStatusCode();

            broadcaster.Keeps(sessionId).ShouldBeFalse();
            (await presence.TokensWatchedBy(patient.Id)).ShouldNotContain(watched => watched.Key == sessionId);
        }
    }
}
