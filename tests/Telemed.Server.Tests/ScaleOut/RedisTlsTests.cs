using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.ScaleOut;

/// <summary>A node and a Redis that speaks only TLS and asks for a password, as the compose and Kubernetes deployments run it.</summary>
public sealed class RedisTlsTests(TelemedServer server) : IClassFixture<TelemedServer>, IDisposable
{
    private const string Password = "a-redis-password-for-this-test";
    private readonly string folder = Directory.CreateTempSubdirectory("telemed-redis-tls-").FullName;

    [Fact]
    public async Task A_node_reaches_Redis_over_TLS_only_with_the_deployments_CA_and_the_right_password()
    {
        var (caPath, certificatePath, keyPath) = Pki("deployment");
        var (otherCaPath, _, _) = Pki("someone-else");
        await using var redis = await RedisServer.StartTls(certificatePath, keyPath, Password);
        string Connection(string password) => $"127.0.0.1:{redis.Port},ssl=true,sslHost=localhost,password={password},abortConnect=false,connectTimeout=2000";

        await using (var node = await ServerProcess.Start(server.Schema, server.KeyPath, Settings(Connection(Password), caPath)))
        {
            using var probe = new HttpClient { BaseAddress = node.Address };
            (await probe.GetStringAsync("/health/ready")).ShouldContain("Redis answers");
        }

        foreach (var (settings, why) in new[]
        {
            (Settings(Connection("not-the-password"), caPath), "a wrong password"),
            (Settings(Connection(Password), otherCaPath), "a certificate from a CA the node was not told to trust"),
            (Settings(Connection(Password), null), "a certificate no CA the system trusts has signed"),
        })
        {
            await using var node = await ServerProcess.Start(server.Schema, server.KeyPath, settings, waitFor: "/health/live");
            using var probe = new HttpClient { BaseAddress = node.Address };
            for (var check = 0; check < 10; check++)
            {
                var ready = await probe.GetAsync("/health/ready");
                ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, $"the node must not reach Redis with {why}");
                (await ready.Content.ReadAsStringAsync()).ShouldContain("Redis is not connected");
                await Task.Delay(300);
            }
        }
    }

    private static Dictionary<string, string> Settings(string connection, string? caPath)
    {
        var settings = new Dictionary<string, string> { ["Redis__ConnectionString"] = connection };
        if (caPath is not null)
        {
            settings["Redis__CaCertificatePath"] = caPath;
        }
        return settings;
    }

    /// <summary>A CA and a certificate it issued for localhost and 127.0.0.1, as PEM files.</summary>
    private (string CaPath, string CertificatePath, string KeyPath) Pki(string name)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=Telemed test CA {name}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));

        var paths = (Path.Combine(folder, $"{name}-ca.pem"), Path.Combine(folder, $"{name}-redis.pem"), Path.Combine(folder, $"{name}-redis.key"));
        File.WriteAllText(paths.Item1, ca.ExportCertificatePem());
        File.WriteAllText(paths.Item2, certificate.ExportCertificatePem());
        File.WriteAllText(paths.Item3, key.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
