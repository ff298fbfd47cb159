using System.Net;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Infrastructure;

public class TelemetryTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    [Fact]
    public async Task With_a_management_port_metrics_and_the_api_document_answer_only_on_it()
    {
        var host = server.Start(new Dictionary<string, string?> { ["Security:ManagementPort"] = "9090" });
        var management = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost:9090") });

        foreach (var path in new[] { "/metrics", "/openapi/v1.json" })
        {
            // Not served on the public port: an unknown path there needs a signed-in user, like any other.
            await (await host.CreateClient().GetAsync(path)).ShouldHave(HttpStatusCode.Unauthorized);
            await (await management.GetAsync(path)).ShouldHave(HttpStatusCode.OK);
        }
        await (await host.CreateClient().GetAsync("/health/live")).ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Prometheus_scrapes_request_queue_signalling_and_call_metrics_without_personal_data()
    {
        var room = await Room.Start(server.Host);
        var (doctor, patient) = await room.JoinBoth(server.Host);
        await using var _ = doctor;
        await using var __ = patient;
        (await doctor.Invoke("SendOffer", room.ConsultationId, room.Patient.Id, Room.Offer, 1)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await patient.Invoke("ReportConnected", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();

        var scrape = await server.Host.CreateClient().GetAsync("/metrics");

        await scrape.ShouldHave(HttpStatusCode.OK);
        var text = await scrape.Content.ReadAsStringAsync();
        text.ShouldContain("http_server_request_duration_seconds");
        text.ShouldContain("telemed_queue_waiting_time_seconds_count");
        text.ShouldContain("kind=\"offer\"");
        text.ShouldContain("telemed_signalling_messages_total");
        text.ShouldContain("telemed_call_setup_time_seconds_count");
        text.ShouldContain("telemed_consultations_in_progress");
        text.ShouldNotContain(room.Patient.Id.ToString());
        text.ShouldNotContain(room.ConsultationId.ToString());
    }
}
