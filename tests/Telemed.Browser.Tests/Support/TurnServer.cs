using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Telemed.Browser.Tests.Support;

/// <summary>
/// coturn (Debian's turnserver) on loopback with the REST-API shared secret, for relay tests; with <c>tls</c>, also TURN
/// over TLS with a certificate for <c>localhost</c> made for this run. Killed and reaped on dispose.
/// </summary>
public sealed class TurnServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string? certificateFolder;

    private TurnServer(Process process, int port, int? tlsPort, string secret, string? certificateFolder, string? certificateSpki)
    {
        this.process = process;
        this.certificateFolder = certificateFolder;
        Port = port;
        TlsPort = tlsPort;
        Secret = secret;
        CertificateSpki = certificateSpki;
    }

    public int Port { get; }

    /// <summary>The TURN-over-TLS port, when started with <c>tls</c>.</summary>
    public int? TlsPort { get; }

    public string Secret { get; }

    /// <summary>
    /// SHA-256 of the TLS certificate's public key, base64: what Chromium's <c>--ignore-certificate-errors-spki-list</c>
    /// takes to trust this one certificate and no other.
    /// </summary>
    public string? CertificateSpki { get; }

    public static async Task<TurnServer> Start(bool tls = false)
    {
        var port = FreePort();
        var tlsPort = tls ? FreePort() : (int?)null;
        var secret = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var start = new ProcessStartInfo("turnserver")
        {
            ArgumentList =
            {
                "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1", "--listening-port", Number(port),
                "--min-port", "50000", "--max-port", "50999",
                "--use-auth-secret", "--static-auth-secret", secret, "--realm", "telemed.test",
                "--allow-loopback-peers", "--no-dtls", "--no-cli", "--fingerprint",
                "--log-file", "stdout", "--simple-log", "--pidfile", Path.Combine(Path.GetTempPath(), $"turnserver-{port}.pid"),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string? folder = null, spki = null;
        if (tlsPort is { } listening)
        {
            folder = Directory.CreateTempSubdirectory("turn-tls-").FullName;
            spki = WriteLocalhostCertificate(folder);
            foreach (var argument in new[] { "--tls-listening-port", Number(listening), "--cert", Path.Combine(folder, "cert.pem"), "--pkey", Path.Combine(folder, "key.pem"), "--no-tlsv1", "--no-tlsv1_1" })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.ArgumentList.Add("--no-tls");
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("turnserver did not start (apt-get install coturn).");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new TurnServer(process, port, tlsPort, secret, folder, spki);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                foreach (var open in new[] { port, tlsPort ?? port })
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, open);
                }
                return server;
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(50);
            }
        }
        await server.DisposeAsync();
        throw new InvalidOperationException("turnserver did not start listening.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
        process.Dispose();
        if (certificateFolder is not null)
        {
            Directory.Delete(certificateFolder, recursive: true);
        }
    }

    /// <summary>A self-signed ECDSA certificate for localhost as cert.pem and key.pem; returns its public key's SHA-256.</summary>
    private static string WriteLocalhostCertificate(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(folder, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    private static string Number(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
