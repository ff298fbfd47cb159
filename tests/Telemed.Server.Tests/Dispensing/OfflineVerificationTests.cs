using System.Net.Http.Json;
using System.Text;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Dispensing;

/// <summary>The `telemed verify` command: a prescription PDF and a saved JWKS are all it needs.</summary>
public class OfflineVerificationTests(TelemedServer server) : IClassFixture<TelemedServer>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("telemed-verify-").FullName;

    private static readonly string Cli = Path.Combine(
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..")), "src", "Telemed.Cli", "bin", ServerProcess.Configuration, "net10.0", "telemed.dll");

    private static Task<Tool.Output> Verify(params string[] arguments) => Tool.Run("dotnet", [Cli, "verify", .. arguments]);

    [Fact]
    public async Task A_prescription_PDF_verifies_offline_against_the_saved_keys_and_an_altered_one_does_not()
    {
        var (room, prescriptionId) = await Clinical.Prescribed(server.Host);
        var pdf = await server.Host.As(room.Patient.AccessToken).GetByteArrayAsync($"/api/prescriptions/{prescriptionId}/pdf");
        var pdfPath = Path.Combine(folder, "prescription.pdf");
        var jwksPath = Path.Combine(folder, "jwks.json");
        await File.WriteAllBytesAsync(pdfPath, pdf);
        await File.WriteAllTextAsync(jwksPath, await server.Host.CreateClient().GetStringAsync("/.well-known/jwks.json"));

        var genuine = await Verify(pdfPath, "--jwks", jwksPath);

        genuine.ExitCode.ShouldBe(0, genuine.StandardError);
        genuine.StandardOutput.ShouldContain("GENUINE");
        genuine.StandardOutput.ShouldContain(prescriptionId.ToString());
        genuine.StandardOutput.ShouldContain("amoxicillin 500 mg capsule");

        var jws = (await server.Host.As(room.Patient.AccessToken).GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/prescriptions/{prescriptionId}"))
            .GetProperty("jws").GetString()!;
        var parts = jws.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.Decode(parts[1])!).Replace("\"quantity\":15", "\"quantity\":90", StringComparison.Ordinal);
        var altered = Path.Combine(folder, "altered.jws");
        await File.WriteAllTextAsync(altered, $"{parts[0]}.{Base64Url.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}");
        var forged = await Verify(altered, "--jwks", jwksPath);
        forged.ExitCode.ShouldBe(1);
        forged.StandardOutput.ShouldContain("NOT GENUINE");

        var otherKeys = Path.Combine(folder, "other.json");
        await File.WriteAllTextAsync(otherKeys, """{"keys":[{"kty":"EC","crv":"P-256","kid":"x","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}]}""");
        (await Verify(pdfPath, "--jwks", otherKeys)).StandardOutput.ShouldContain("not in this JWKS");
        (await Verify(pdfPath)).ExitCode.ShouldBe(2);
    }

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
