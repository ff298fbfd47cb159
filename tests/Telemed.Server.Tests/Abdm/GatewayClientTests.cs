using System.Net;
using System.Net.Http.Json;
using Telemed.AbdmSimulator;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Abdm;

/// <summary>A Telemed host with one-second time-outs per attempt, and a gateway whose session tokens live three seconds.</summary>
public sealed class ImpatientAbdmFixture : AbdmFixture
{
    protected override SimulatorOptions SimulatorOptions() => new() { SessionSeconds = 3 };

    public override Dictionary<string, string?> Settings(Simulator abdm)
    {
        var settings = base.Settings(abdm);
        settings["Abdm:TimeoutSeconds"] = "1";
        return settings;
    }
}

/// <summary>The gateway client's session, REQUEST-IDs, retries and time-outs, against a simulator told to fail or be slow.</summary>
public class GatewayClientTests(ImpatientAbdmFixture abdm) : IClassFixture<ImpatientAbdmFixture>
{
    private const string LoginOtp = "/abha/api/v3/profile/login/request/otp";

    [Fact]
    public async Task A_refused_attempt_is_retried_with_the_same_request_id()
    {
        var (abha, patient, _) = await abdm.PatientWithAbha();
        abdm.Abdm.Faults.FailNext(2, 503, LoginOtp);

        var answer = await abdm.Host.As(patient.AccessToken).PostAsJsonAsync("/api/me/abha/verify", new { abhaNumber = abha.Number });

        await answer.ShouldHave(HttpStatusCode.Created);
        var attempts = abdm.Abdm.State.Arrivals.Where(a => a.Path == LoginOtp).TakeLast(3).ToList();
        attempts.Select(a => a.RequestId).Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_slow_answer_is_retried_and_the_request_is_acted_on_once()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha();
        abdm.Abdm.Faults.DelayNext(1, TimeSpan.FromSeconds(2.5), LoginOtp);

        var answer = await abdm.Host.As(patient.AccessToken).PostAsJsonAsync("/api/me/abha/verify", new { abhaNumber = abha.Number });

        await answer.ShouldHave(HttpStatusCode.Created);
        abdm.Abdm.State.Messages.Count(m => m.To == mobile[^10..]).ShouldBe(1);
        abdm.Abdm.State.Arrivals.Where(a => a.Path == LoginOtp).TakeLast(2).Select(a => a.RequestId).Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_gateway_that_does_not_answer_is_reported_as_unavailable_after_every_attempt()
    {
        var (abha, patient, mobile) = await abdm.PatientWithAbha();
        abdm.Abdm.Faults.FailNext(3, 503, LoginOtp);

        var answer = await abdm.Host.As(patient.AccessToken).PostAsJsonAsync("/api/me/abha/verify", new { abhaNumber = abha.Number });

        var problem = await answer.ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("detail").GetString()!.ShouldContain("did not answer after 3 tries");
        answer.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(30));
        var digits = mobile[^10..];
        abdm.Abdm.State.Messages.ShouldNotContain(m => m.To == digits);
    }

    [Fact]
    public async Task The_session_token_is_reused_and_asked_for_again_before_it_expires()
    {
        var (abha, patient, _) = await abdm.PatientWithAbha();
        var client = abdm.Host.As(patient.AccessToken);
        // A three-second token is renewed once half of it has gone: wait that out, so the next call renews.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = abdm.Abdm.State.SessionsIssued;

        await (await client.PostAsJsonAsync("/api/me/abha/verify", new { abhaNumber = abha.Number })).ShouldHave(HttpStatusCode.Created);
        var renewed = abdm.Abdm.State.SessionsIssued;
        await (await client.PostAsJsonAsync("/api/me/abha/verify", new { abhaNumber = abha.Number })).ShouldHave(HttpStatusCode.Created);

        renewed.ShouldBe(before + 1);
        abdm.Abdm.State.SessionsIssued.ShouldBe(renewed);
    }

    [Fact]
    public async Task Wrong_client_credentials_are_reported_as_abdms_refusal()
    {
        var settings = abdm.Settings(abdm.Abdm);
        settings["Abdm:ClientSecret"] = "not-the-secret";
        var host = abdm.StartHost(settings);
        var (abha, patient, _) = await abdm.PatientWithAbha();

        var answer = await host.As(patient.AccessToken).PostAsJsonAsync("/api/me/abha/verify", new { abhaNumber = abha.Number });

        var problem = await answer.ShouldBeProblem(HttpStatusCode.BadGateway);
        problem.GetProperty("detail").GetString()!.ShouldContain("Invalid user credentials (ABDM-9999)");
    }
}
