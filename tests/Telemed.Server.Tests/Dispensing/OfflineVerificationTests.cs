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

    [Fact]
    public async Task The_QR_code_read_off_the_printed_page_verifies_offline_and_the_saved_revocation_list_says_when_it_was_revoked()
    {
        var (room, prescriptionId) = await Clinical.Prescribed(server.Host);
        var pdfPath = Path.Combine(folder, "prescription.pdf");
        await File.WriteAllBytesAsync(pdfPath, await server.Host.As(room.Patient.AccessToken).GetByteArrayAsync($"/api/prescriptions/{prescriptionId}/pdf"));
        var jwksPath = Path.Combine(folder, "jwks.json");
        await File.WriteAllTextAsync(jwksPath, await server.Host.CreateClient().GetStringAsync("/.well-known/jwks.json"));
        var listPath = Path.Combine(folder, "revocations.jws");
        await File.WriteAllTextAsync(listPath, await server.Host.CreateClient().GetStringAsync("/api/prescriptions/revocations"));
        // The printer's 300 dpi, then a scanner: what `zbarimg --raw` prints is what the command is given.
        await Tool.Text("pdftoppm", "-png", "-r", "300", "-f", "1", "-l", "1", "-singlefile", pdfPath, Path.Combine(folder, "printed"));
        var scanned = (await Tool.Text("zbarimg", "--raw", "-q", Path.Combine(folder, "printed.png"))).Trim();
        scanned.ShouldContain(PrescriptionQr.Marker);
        var codePath = Path.Combine(folder, "code.txt");
        await File.WriteAllTextAsync(codePath, scanned);

        var genuine = await Verify(codePath, "--jwks", jwksPath, "--revocations", listPath);

        genuine.ExitCode.ShouldBe(0, genuine.StandardError + genuine.StandardOutput);
        genuine.StandardOutput.ShouldContain("GENUINE");
        genuine.StandardOutput.ShouldContain(prescriptionId.ToString());
        genuine.StandardOutput.ShouldContain("amoxicillin 500 mg capsule");
        genuine.StandardOutput.ShouldContain("Not revoked according to the revocation list of");

        var at = scanned.Length - 300;
        await File.WriteAllTextAsync(codePath, scanned[..at] + (scanned[at] == '1' ? '2' : '1') + scanned[(at + 1)..]);
        var altered = await Verify(codePath, "--jwks", jwksPath);
        altered.ExitCode.ShouldBe(1, altered.StandardOutput);
        altered.StandardOutput.ShouldContain("NOT GENUINE");

        (await server.Host.As(room.DoctorToken).PostAsJsonAsync($"/api/prescriptions/{prescriptionId}/revoke", new { reason = "Dose was wrong" })).EnsureSuccessStatusCode();
        await File.WriteAllTextAsync(listPath, await server.Host.CreateClient().GetStringAsync("/api/prescriptions/revocations"));
        await File.WriteAllTextAsync(codePath, scanned);
        var revoked = await Verify(codePath, "--jwks", jwksPath, "--revocations", listPath);
        revoked.ExitCode.ShouldBe(1, revoked.StandardOutput);
        revoked.StandardOutput.ShouldContain("REVOKED");

        var otherKeys = Path.Combine(folder, "other.json");
        await File.WriteAllTextAsync(otherKeys, """{"keys":[{"kty":"EC","crv":"P-256","kid":"x","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}]}""");
        var foreignList = await Verify(codePath, "--jwks", otherKeys, "--revocations", listPath);
        foreignList.ExitCode.ShouldBe(2);
        foreignList.StandardError.ShouldContain("revocation list does not verify");
    }

    [Fact]
    public async Task The_revocation_list_is_public_signed_and_names_revoked_prescriptions_only()
    {
        var (room, revokedId) = await Clinical.Prescribed(server.Host);
        var (_, validId) = await Clinical.Prescribed(server.Host);
        (await server.Host.As(room.DoctorToken).PostAsJsonAsync($"/api/prescriptions/{revokedId}/revoke", new { reason = "Dose was wrong" })).EnsureSuccessStatusCode();
        var keys = System.Text.Json.Nodes.JsonNode.Parse(await server.Host.CreateClient().GetStringAsync("/.well-known/jwks.json"))!["keys"]!.AsArray()
            .ToDictionary(k => k!["kid"]!.GetValue<string>(), k => Jwk.ToPublicKey(k));

        var response = await server.Host.CreateClient().GetAsync("/api/prescriptions/revocations");

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/jose");
        var list = RevocationList.Verify(await response.Content.ReadAsStringAsync(), kid => keys.GetValueOrDefault(kid));
        list.IsSuccess.ShouldBeTrue(list.ToString());
        list.Value.Revoked.ShouldContain(revokedId);
        list.Value.Revoked.ShouldNotContain(validId);
        list.Value.IssuedAt.ShouldBe(server.Time.GetUtcNow(), TimeSpan.FromSeconds(5));
    }

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
