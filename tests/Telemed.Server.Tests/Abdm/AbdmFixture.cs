using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.AbdmSimulator;
using Telemed.Domain.Identity;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Abdm;

/// <summary>
/// ABDM's simulator and a Telemed host pointed at it, both on loopback ports over real HTTP: Telemed calls the
/// simulator's ABHA service, gateway and registries; the simulator's gateway calls Telemed back at its bridge URL.
/// Time-outs short enough that tests of silent services take seconds, long enough for a cold start on a busy machine.
/// </summary>
public class AbdmFixture : IAsyncLifetime
{
    public const string HipId = "IN2710000123";

    public TelemedServer Server { get; } = new();

    public Simulator Abdm { get; private set; } = null!;

    public TelemedFactory Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Abdm = await Simulator.Start(SimulatorOptions());
        Host = StartHost(Settings(Abdm), bridge: true);
        // The first call pays for a cold start on both sides (and a busy machine): made here, so no test's first call does.
        await WarmUp(Host);
    }

    /// <summary>A Telemed host on the test database and the simulator; with <paramref name="bridge"/>, the one the gateway calls back.</summary>
    public TelemedFactory StartHost(Dictionary<string, string?> settings, bool bridge = false)
    {
        var port = ServerProcess.FreePort();
        if (bridge)
        {
            Abdm.Options.BridgeUrl = $"http://127.0.0.1:{port}";
        }
        return Server.StartOnLoopback(port, settings);
    }

    protected virtual SimulatorOptions SimulatorOptions() => new();

    public virtual Dictionary<string, string?> Settings(Simulator abdm) => new()
    {
        ["Abdm:GatewayUrl"] = abdm.Address.ToString(),
        ["Abdm:AbhaUrl"] = new Uri(abdm.Address, "/abha/api").ToString(),
        ["Abdm:RegistryUrl"] = new Uri(abdm.Address, "/v4/int").ToString(),
        ["Abdm:ClientId"] = abdm.Options.ClientId,
        ["Abdm:ClientSecret"] = abdm.Options.ClientSecret,
        ["Abdm:HipId"] = HipId,
        ["Abdm:TimeoutSeconds"] = "5",
        ["Abdm:Attempts"] = "3",
        ["Abdm:CallbackTimeoutSeconds"] = "3",
    };

    /// <summary>A person with an ABHA, and a Telemed patient who is that person (same sex and year of birth, own mobile).</summary>
    public async Task<(AbhaAccount Abha, TestPatient Patient, string Mobile)> PatientWithAbha(string name = "Kavita Rao", string gender = "F", int year = 1979)
    {
        var mobile = Api.NewMobile();
        var abha = Abdm.People.Open(new Resident(Population.NewAadhaar(), name, gender, new DateOnly(year, 3, 9), mobile[^10..]));
        return (abha, await Patient(name, gender == "F" ? Sex.Female : Sex.Male, year, mobile), mobile);
    }

    /// <summary>A registered patient, made in the store with a real access token.</summary>
    public async Task<TestPatient> Patient(string name, Sex sex, int year, string mobile)
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        var tokens = Host.Services.GetRequiredService<Tokens>();
        await using var session = store.LightweightSession();
        var id = Guid.NewGuid();
        session.Insert(new PatientAccount(id, name, year, null, sex, mobile, null, null, DateTimeOffset.UtcNow));
        var token = tokens.Issue(session, id, Role.Patient).AccessToken;
        await session.SaveChangesAsync();
        return new TestPatient(id, token);
    }

    /// <summary>Starts verifying an ABHA and enters the OTP the simulator sent; returns the answer to the OTP.</summary>
    public async Task<HttpResponseMessage> Verify(TestPatient patient, object request, string sentTo, string? otp = null)
    {
        var client = Host.As(patient.AccessToken);
        var asked = DateTimeOffset.UtcNow;
        var started = await client.PostAsJsonAsync("/api/me/abha/verify", request);
        await started.ShouldHave(HttpStatusCode.Created);
        var journey = await started.Content.ReadFromJsonAsync<JsonElement>();
        return await client.PostAsJsonAsync($"/api/me/abha/journeys/{journey.GetProperty("id").GetGuid()}/otp",
            new { otp = otp ?? await Abdm.LatestOtp(sentTo, asked) });
    }

    private static async Task WarmUp(TelemedFactory host)
    {
        var encryption = host.Services.GetRequiredService<Telemed.Server.Abdm.AbhaEncryption>();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await encryption.Encrypt("warm-up", CancellationToken.None);
                return;
            }
            catch (Telemed.Server.Abdm.AbdmUnavailableException) when (attempt < 5)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Abdm.DisposeAsync();
    }
}
