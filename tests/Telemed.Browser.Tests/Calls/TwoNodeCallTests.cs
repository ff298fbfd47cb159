using Telemed.Server.Tests.Support;

using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Calls;

/// <summary>Two server nodes sharing PostgreSQL and Redis; the doctor's browser talks to one, the patient's to the other.</summary>
public sealed class TwoNodeBrowserFixture : BrowserFixture
{
    private RedisServer? redis;

    public ServerProcess NodeB { get; private set; } = null!;

    protected override async Task<IDictionary<string, string>> ServerSettings()
    {
        redis = await RedisServer.Start();
        return new Dictionary<string, string> { ["Redis__ConnectionString"] = redis.ConnectionString };
    }

    public async Task StartNodeB() => NodeB ??= await StartAnotherNode();

    public override async ValueTask DisposeAsync()
    {
        if (NodeB is not null)
        {
            await NodeB.DisposeAsync();
        }
        await base.DisposeAsync();
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
    }
}

[Collection(OneAtATime.Name)]
public class TwoNodeCallTests(TwoNodeBrowserFixture fixture) : IClassFixture<TwoNodeBrowserFixture>
{
    [Fact]
    public async Task A_video_call_connects_when_doctor_and_patient_are_on_different_nodes()
    {
        await fixture.StartNodeB();
        var (doctor, patient, _) = await Pages.PatientWaiting(fixture, "9812345678", fixture.NodeB.Address);

        await doctor.ClickAsync("#call-next");
        await Microsoft.Playwright.Assertions.Expect(patient.Locator("#token-state")).ToContainTextAsync("You are next");
        await doctor.ClickAsync("#start");
        try
        {
            await VideoCallTests.ConnectedWithVideo(doctor);
            await VideoCallTests.ConnectedWithVideo(patient);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException(await fixture.Diagnose(doctor, patient), timeout);
        }
    }
}
