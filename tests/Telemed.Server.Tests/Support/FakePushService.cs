using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Telemed.Server.Tests.Support;

/// <summary>A push the fake service took: which subscription, the VAPID key that signed it, and the text decrypted as the browser would.</summary>
public sealed record TakenPush(string Subscription, string VapidKey, string Subject, JsonElement Payload);

/// <summary>A browser's device: its push subscription keys (RFC 8291), so the fake service can decrypt what it receives.</summary>
public sealed class TestDevice(string endpoint)
{
    public ECDiffieHellman Key { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public byte[] Auth { get; } = RandomNumberGenerator.GetBytes(16);

    public string Endpoint { get; } = endpoint;

    public byte[] PublicKey
    {
        get
        {
            var q = Key.ExportParameters(false).Q;
            return [0x04, .. q.X!, .. q.Y!];
        }
    }

    public object Subscription => new { endpoint = Endpoint, keys = new { p256dh = FakePushService.Base64Url(PublicKey), auth = FakePushService.Base64Url(Auth) } };
}

/// <summary>
/// A browser push service (RFC 8030) on loopback, like the fake SMS gateway: it refuses a push whose VAPID token (RFC 8292)
/// does not verify — ES256 over its header and claims with the key it names, audience this service's origin, expiry
/// within 24 hours, a contact subject — decrypts the aes128gcm body (RFC 8291) with the device's keys, and answers 410
/// for subscriptions marked gone, as a real service does after the user revokes permission.
/// </summary>
public sealed class FakePushService : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, TestDevice> devices = new();

    private FakePushService(WebApplication app) => this.app = app;

    public Uri Address { get; private set; } = null!;

    public ConcurrentQueue<TakenPush> Taken { get; } = new();

    /// <summary>Why a push was refused (a correct client never has one).</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    public ConcurrentDictionary<string, int> Answered { get; } = new();

    public ConcurrentDictionary<string, bool> Gone { get; } = new();

    public static async Task<FakePushService> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakePushService(builder.Build());
        fake.app.MapPost("/push/{id}", fake.Handle);
        await fake.app.StartAsync();
        fake.Address = new Uri(fake.app.Urls.First());
        return fake;
    }

    public TestDevice NewDevice()
    {
        var id = Guid.NewGuid().ToString("N");
        var device = new TestDevice(new Uri(Address, $"/push/{id}").ToString());
        devices[id] = device;
        return device;
    }

    public IReadOnlyList<TakenPush> To(TestDevice device) => [.. Taken.Where(p => device.Endpoint.EndsWith($"/push/{p.Subscription}", StringComparison.Ordinal))];

    private async Task<IResult> Handle(string id, HttpContext http)
    {
        var status = await Check(id, http) is { } refusal ? Refuse(refusal) : Gone.ContainsKey(id) ? 410 : 201;
        Answered.AddOrUpdate(id, status, (_, _) => status);
        return Results.StatusCode(status);
    }

    private int Refuse(string why)
    {
        Refusals.Enqueue(why);
        return why.StartsWith("VAPID", StringComparison.Ordinal) ? 401 : 400;
    }

    private async Task<string?> Check(string id, HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        var parts = authorization.StartsWith("vapid ", StringComparison.Ordinal)
            ? authorization[6..].Split(',', StringSplitOptions.TrimEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1])
            : [];
        if (!parts.TryGetValue("t", out var token) || !parts.TryGetValue("k", out var key))
        {
            return "VAPID: no 'vapid t=…, k=…' authorization";
        }
        // The audience is the push service's origin. Lib.Net.Http.WebPush writes it as scheme and host without the port,
        // which is the origin itself on the default port every real push service uses; this fake listens on another.
        if (TokenProblem(token, key, $"{http.Request.Scheme}://{http.Request.Host.Host}") is { } problem)
        {
            return $"VAPID: {problem}";
        }
        if (http.Request.Headers["Content-Encoding"] != "aes128gcm" || !http.Request.Headers.ContainsKey("TTL"))
        {
            return "no aes128gcm body or TTL";
        }
        if (!devices.TryGetValue(id, out var device))
        {
            return "unknown subscription";
        }
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        if (Decrypt(device, body.ToArray()) is not { } text)
        {
            return "the body does not decrypt with the device's keys";
        }
        Taken.Enqueue(new TakenPush(id, key, Subject(token), JsonDocument.Parse(text).RootElement.Clone()));
        return null;
    }

    /// <summary>What is wrong with the token, or null when it is an ES256 JWT signed by <paramref name="key"/> for this audience, not expired beyond 24 hours, with a contact.</summary>
    private static string? TokenProblem(string token, string key, string audience)
    {
        var segments = token.Split('.');
        if (segments.Length != 3 || FromBase64Url(key) is not { Length: 65 } point || point[0] != 0x04)
        {
            return "not a JWT, or k is not a P-256 point";
        }
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
        if (!verifier.VerifyData(Encoding.ASCII.GetBytes($"{segments[0]}.{segments[1]}"), FromBase64Url(segments[2])!, HashAlgorithmName.SHA256))
        {
            return "the ES256 signature does not verify with k";
        }
        var header = JsonDocument.Parse(FromBase64Url(segments[0])!).RootElement;
        var claims = JsonDocument.Parse(FromBase64Url(segments[1])!).RootElement;
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        var subject = claims.GetProperty("sub").GetString() ?? "";
        return header.GetProperty("alg").GetString() != "ES256" ? "alg is not ES256"
            : claims.GetProperty("aud").GetString() != audience ? $"aud {claims.GetProperty("aud").GetString()} is not {audience}"
            : expires <= DateTimeOffset.UtcNow || expires > DateTimeOffset.UtcNow.AddHours(24).AddMinutes(1) ? $"exp {expires:O} is not within 24 hours"
            : !subject.StartsWith("mailto:", StringComparison.Ordinal) && !subject.StartsWith("https:", StringComparison.Ordinal) ? "sub is no contact"
            : null;
    }

    private static string Subject(string token) =>
        JsonDocument.Parse(FromBase64Url(token.Split('.')[1])!).RootElement.GetProperty("sub").GetString()!;

    /// <summary>RFC 8291: one aes128gcm record, keyed by ECDH between the device's key and the sender's, and the device's auth secret.</summary>
    private static string? Decrypt(TestDevice device, byte[] body)
    {
        try
        {
            var salt = body[..16];
            int idLength = body[20];
            var senderPublic = body[21..(21 + idLength)];
            var record = body[(21 + idLength)..];
            using var sender = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..] },
            });
            var shared = device.Key.DeriveRawSecretAgreement(sender.PublicKey);
            var keyInfo = (byte[])[.. Encoding.ASCII.GetBytes("WebPush: info\0"), .. device.PublicKey, .. senderPublic];
            var ikm = HKDF.Expand(HashAlgorithmName.SHA256, HKDF.Extract(HashAlgorithmName.SHA256, shared, device.Auth), 32, keyInfo);
            var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
            var contentKey = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0"));
            var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, Encoding.ASCII.GetBytes("Content-Encoding: nonce\0"));
            var plain = new byte[record.Length - 16];
            using var aes = new AesGcm(contentKey, 16);
            aes.Decrypt(nonce, record[..^16], record[^16..], plain);
            var end = Array.FindLastIndex(plain, b => b != 0);
            return end >= 0 && plain[end] == 0x02 ? Encoding.UTF8.GetString(plain, 0, end) : null;
        }
        catch (Exception e) when (e is CryptographicException or IndexOutOfRangeException or ArgumentException)
        {
            return null;
        }
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
