using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Identity;

/// <summary>Staff passwords at OWASP's PBKDF2 strength, and accounts hashed before it keep signing in.</summary>
public class PasswordHashingTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private const string Password = "correct horse battery staple";

    /// <summary>The production strength (the test hosts hash with fewer iterations, to sign in quickly).</summary>
    private TelemedFactory Production() => server.Start(new Dictionary<string, string?> { ["Auth:PasswordHashIterations"] = "600000" });

    [Fact]
    public async Task A_new_staff_password_is_hashed_with_at_least_600000_pbkdf2_iterations()
    {
        var host = Production();

        var (officer, _) = await Register(host);

        var (format, iterations) = Parameters(await StoredHash(host, officer));
        format.ShouldBe((byte)0x01, "ASP.NET Core Identity v3: PBKDF2 with HMAC-SHA256 or -SHA512");
        iterations.ShouldBeGreaterThanOrEqualTo(600_000);
    }

    [Theory]
    [InlineData(PasswordHasherCompatibilityMode.IdentityV3, 100_000)]
    [InlineData(PasswordHasherCompatibilityMode.IdentityV2, 1_000)]
    public async Task A_hash_made_with_fewer_iterations_still_signs_in_and_is_replaced_by_a_strong_one(PasswordHasherCompatibilityMode mode, int iterations)
    {
        var host = Production();
        var (officer, email) = await Register(host);
        var old = new PasswordHasher<StaffAccount>(Options.Create(new PasswordHasherOptions { CompatibilityMode = mode, IterationCount = iterations }));
        await using (var session = host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            var account = (await session.LoadAsync<StaffAccount>(officer))!;
            session.Store(account with { PasswordHash = old.HashPassword(account, Password) });
            await session.SaveChangesAsync();
        }

        var signedIn = await host.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email, password = Password });

        await signedIn.ShouldHave(HttpStatusCode.OK);
        Parameters(await StoredHash(host, officer)).Iterations.ShouldBeGreaterThanOrEqualTo(600_000);
        await (await host.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email, password = Password })).ShouldHave(HttpStatusCode.OK);
    }

    private static async Task<(Guid Id, string Email)> Register(TelemedFactory host)
    {
        var admin = host.As((await host.SignInStaff(Api.AdminEmail)).AccessToken);
        var email = $"officer-{Guid.NewGuid():N}@telemed.local";
        var response = await admin.PostAsJsonAsync("/api/admin/health-officers", new { name = "Officer Hashing", email, password = Password });
        await response.ShouldHave(HttpStatusCode.Created);
        return ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), email);
    }

    private static async Task<string> StoredHash(TelemedFactory host, Guid id)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<StaffAccount>(id))!.PasswordHash;
    }

    /// <summary>Identity v3's header: format byte, PRF, iteration count (big-endian); v2 has a fixed 1,000.</summary>
    private static (byte Format, int Iterations) Parameters(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        return bytes[0] == 0x01 ? (bytes[0], (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5, 4))) : (bytes[0], 1_000);
    }
}
