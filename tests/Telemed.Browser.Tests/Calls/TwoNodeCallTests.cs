using Telemed.Server.Tests.Support;

using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Calls;

/// <summary>
/// Two server nodes sharing PostgreSQL and Redis behind a sticky <see cref="Balancer"/>; the doctor's browser is kept
/// on one, the patient's on the other.
/// </summary>
public sealed class TwoNodeBrowserFixture : BrowserFixture
{
    private RedisServer? redis;

    public ServerProcess NodeB { get; private set; } = null!;

    public Balancer Balancer { get; private set; } = null!;

    protected override async Task<IDictionary<string, string>> ServerSettings()
    {
        redis = await RedisServer.Start();
        return new Dictionary<string, string> { ["Redis__ConnectionString"] = redis.ConnectionString };
    }

    public async Task StartNodeB()
    {
        NodeB ??= await StartAnotherNode();
        Balancer ??= await Balancer.Start(Server.Address, NodeB.Address);
    }

    /// <summary>A page that opens the application through the balancer, carrying the cookie that keeps it on that node (0 or 1).</summary>
    public async Task<Microsoft.Playwright.IPage> PageOnNode(int node)
    {
        var page = await NewPage(Balancer.Address);
        var affinity = await Balancer.Pin(node);
        await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = affinity.Name, Value = affinity.Value, Url = Balancer.Address.ToString() }]);
        return page;
    }

    public override async ValueTask DisposeAsync()
    {
        if (Balancer is not null)
        {
            await Balancer.DisposeAsync();
        }
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
        var doctor = await fixture.PageOnNode(0);
        var patient = await fixture.PageOnNode(1);
        try
        {
            await Pages.PatientWaiting(fixture, "9812345678", doctor, patient);
            await doctor.ClickAsync("#call-next");
            await Microsoft.Playwright.Assertions.Expect(patient.Locator("#token-state")).ToContainTextAsync("You are next");
            await doctor.ClickAsync("#start");
            await VideoCallTests.ConnectedWithVideo(doctor);
            await VideoCallTests.ConnectedWithVideo(patient);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException(await fixture.Diagnose(doctor, patient), timeout);
        }
    }
}
