using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Messages;
using Telemed.Server.Messages;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Messages;

/// <summary>A Telemed host (SMS to the development sink) whose web pushes go to the fake push service, in daytime India.</summary>
public sealed class PushFixture : IAsyncLifetime
{
    public TelemedServer Server { get; } = new();

    public FakePushService Push { get; private set; } = null!;

    public TelemedFactory Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Push = await FakePushService.Start();
        await Server.InitializeAsync();
        SmsFixture.MakeDaytime(Server.Time);
        Host = Server.Start(new Dictionary<string, string?>
        {
            ["Push:KeyPath"] = Server.KeyPath + ".vapid.json",
            ["Push:Subject"] = "mailto:ops@telemed.test",
            ["Messages:PollMilliseconds"] = "100",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Push.DisposeAsync();
    }
}

public class WebPushTests(PushFixture fixture) : IClassFixture<PushFixture>
{
    private TelemedFactory Host => fixture.Host;

    private async Task<(TestPatient Patient, TestDevice Device, Guid SubscriptionId)> Subscribed()
    {
        var patient = (await Host.CreatePatients(1))[0];
        var device = fixture.Push.NewDevice();
        var subscribed = await Host.As(patient.AccessToken).PostAsJsonAsync("/api/me/push-subscriptions", device.Subscription);
        await subscribed.ShouldHave(HttpStatusCode.Created);
        return (patient, device, (await subscribed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    private Task<TakenPush> Pushed(TestDevice device, string startsWith) =>
        Api.Eventually(() => Task.FromResult(fixture.Push.To(device).FirstOrDefault(p => p.Payload.GetProperty("body").GetString()!.StartsWith(startsWith, StringComparison.Ordinal))));

    [Fact]
    public async Task A_subscribed_device_hears_its_queue_by_push_signed_with_Telemeds_VAPID_key_and_encrypted_for_it()
    {
        var (patient, device, _) = await Subscribed();
        var key = (await Host.As(patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/push/key")).GetProperty("publicKey").GetString();
        var sessionId = await Sessions.Open(Host);
        await Sessions.CheckIn(Host, sessionId, patient);
        await (await (await Sessions.Doctor(Host)).PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);

        var calling = await Pushed(device, "Telemed: the doctor is calling token 1");
        calling.VapidKey.ShouldBe(key);
        calling.Subject.ShouldBe("mailto:ops@telemed.test");
        calling.Payload.GetProperty("title").GetString().ShouldBe("Telemed");
        await Pushed(device, "Telemed: you are checked in with token 1");
        fixture.Push.Refusals.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_subscription_the_push_service_says_is_gone_is_removed_and_gets_nothing_more()
    {
        var (patient, device, subscriptionId) = await Subscribed();
        fixture.Push.Gone[device.Endpoint[(device.Endpoint.LastIndexOf('/') + 1)..]] = true;
        var sessionId = await Sessions.Open(Host);
        await Sessions.CheckIn(Host, sessionId, patient);

        await Api.Eventually(async () =>
        {
            await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
            return await session.LoadAsync<DeviceSubscription>(subscriptionId) is null ? "removed" : null;
        });
        fixture.Push.Answered.Values.ShouldContain(410);
        (await Host.As(patient.AccessToken).DeleteAsync($"/api/me/push-subscriptions/{subscriptionId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await (await (await Sessions.Doctor(Host)).PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await query.Query<OutgoingMessage>().Where(m => m.To == subscriptionId.ToString("N")).CountAsync()).ShouldBe(1, "only the check-in went to the gone device");
    }

    [Fact]
    public async Task A_patient_removes_their_own_device_but_not_anothers_and_bad_subscriptions_are_refused()
    {
        var (patient, _, subscriptionId) = await Subscribed();
        var stranger = (await Host.CreatePatients(1))[0];
        (await Host.As(stranger.AccessToken).DeleteAsync($"/api/me/push-subscriptions/{subscriptionId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await (await Host.As(patient.AccessToken).DeleteAsync($"/api/me/push-subscriptions/{subscriptionId}")).ShouldHave(HttpStatusCode.NoContent);

        var bad = await Host.As(patient.AccessToken).PostAsJsonAsync("/api/me/push-subscriptions",
            new { endpoint = "http://push.example.com/x", keys = new { p256dh = "short", auth = "AAAA" } });
        var errors = (await bad.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors");
        errors.GetProperty("endpoint")[0].GetString()!.ShouldContain("HTTPS");
        errors.GetProperty("keys.p256dh")[0].GetString()!.ShouldContain("65 bytes");
        errors.GetProperty("keys.auth")[0].GetString()!.ShouldContain("16-byte");
        var doctor = await Sessions.Doctor(Host);
        (await doctor.PostAsJsonAsync("/api/me/push-subscriptions", fixture.Push.NewDevice().Subscription)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
