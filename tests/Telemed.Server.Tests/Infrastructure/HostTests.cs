using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Infrastructure;

public class HostTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    [Fact]
    public async Task Liveness_and_readiness_answer_without_sign_in()
    {
        var client = server.Host.CreateClient();

        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        ready.GetProperty("status").GetString().ShouldBe("Healthy");
        ready.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var document = await server.Host.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        paths.TryGetProperty("/api/auth/otp", out _).ShouldBeTrue();
        paths.TryGetProperty("/api/patients", out _).ShouldBeTrue();
        paths.TryGetProperty("/api/admin/doctors", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Accounts_and_tokens_survive_a_restart()
    {
        var mobile = Api.NewMobile();
        var registration = await server.Host.RegisterPatient(mobile);

        var restarted = await server.Restart();

        var me = await restarted.As(registration.Tokens.AccessToken).GetFromJsonAsync<JsonElement>("/api/me");
        me.GetProperty("mobile").GetString().ShouldBe(mobile);
        var refreshed = await restarted.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { registration.Tokens.RefreshToken });
        await refreshed.ShouldHave(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logs_carry_no_personal_details()
    {
        var mobile = Api.NewMobile();
        var abha = Api.NewAbhaNumber();
        var registration = await server.Host.RegisterPatient(mobile, abha);
        await server.Host.CreateClient().PostAsJsonAsync("/api/auth/otp/verify", new { mobile, code = "999999" });

        var logs = string.Join('\n', server.Logs.Lines);

        logs.ShouldContain("/api/patients"); // the requests were logged...
        logs.ShouldNotContain(mobile[3..]); // ...but not who made them
        logs.ShouldNotContain(registration.Patient.Name);
        logs.ShouldNotContain(abha[..2] + "-" + abha[2..6]);
    }

    /// <summary>SignalR asks for three loggers per connection: they must be the category's one, not three new ones each time.</summary>
    [Fact]
    public void Loggers_are_made_once_per_category()
    {
        var factory = server.Host.Services.GetRequiredService<ILoggerFactory>();

        factory.CreateLogger("Microsoft.AspNetCore.SignalR.HubConnectionContext")
            .ShouldBeSameAs(factory.CreateLogger("Microsoft.AspNetCore.SignalR.HubConnectionContext"));
    }

    [Fact]
    public void Logs_keep_the_framework_quiet_below_warnings()
    {
        var factory = server.Host.Services.GetRequiredService<ILoggerFactory>();

        factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information).ShouldBeFalse();
        factory.CreateLogger("Telemed.Server.Queue.QueueService").IsEnabled(LogLevel.Information).ShouldBeTrue();
    }

    [Fact]
    public void Repeated_statements_are_prepared_unless_the_connection_string_says_otherwise()
    {
        new Npgsql.NpgsqlConnectionStringBuilder(server.Host.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().ConnectionString).MaxAutoPrepare.ShouldBe(250);

        using var host = server.Start(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = TestDatabase.ConnectionString + ";Max Auto Prepare=0",
        });
        new Npgsql.NpgsqlConnectionStringBuilder(host.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().ConnectionString).MaxAutoPrepare.ShouldBe(0);
    }

    [Fact]
    public void A_missing_database_setting_stops_the_start_with_a_clear_message()
    {
        using var host = server.Start(new Dictionary<string, string?> { ["Database:ConnectionString"] = "" });

        var failure = Should.Throw<OptionsValidationException>(() => host.CreateClient());

        failure.Message.ShouldContain("Database:ConnectionString is required");
    }
}
