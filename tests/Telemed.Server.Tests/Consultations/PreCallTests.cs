using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Consultations;

public class PreCallTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    [Fact]
    public async Task A_pre_call_test_gets_a_verdict_and_is_recorded_on_the_account()
    {
        var patient = (await server.Host.CreatePatients(1))[0];

        var response = await server.Host.As(patient.AccessToken).PostAsJsonAsync("/api/precall/checks", new { camera = false, microphone = true, network = "relay" });

        await response.ShouldHave(HttpStatusCode.Created);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict").GetString().ShouldBe("audioOnly");
        await using var session = server.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var recorded = (await session.Events.FetchStreamAsync(patient.Id)).Select(e => e.Data).OfType<PreCallCheckRecorded>().ShouldHaveSingleItem();
        recorded.Camera.ShouldBeFalse();
    }

    [Fact]
    public async Task A_pre_call_test_without_results_names_what_is_missing()
    {
        var patient = (await server.Host.CreatePatients(1))[0];

        var response = await server.Host.As(patient.AccessToken).PostAsJsonAsync("/api/precall/checks", new { camera = true });

        await response.ShouldHave(HttpStatusCode.BadRequest);
        var errors = (await response.Problem()).GetProperty("errors");
        errors.TryGetProperty("microphone", out _).ShouldBeTrue();
        errors.TryGetProperty("network", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task The_pre_call_test_needs_a_signed_in_user() =>
        await (await server.Host.CreateClient().GetAsync("/api/precall/ice-servers")).ShouldHave(HttpStatusCode.Unauthorized);
}
