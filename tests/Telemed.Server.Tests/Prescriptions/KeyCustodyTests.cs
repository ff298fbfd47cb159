using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Identity;
using Telemed.Server.Prescriptions;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Prescriptions;

/// <summary>
/// Signing keys held by a device (a KMS or an HSM) that signs but never gives its private key out: the server signs
/// access tokens and prescriptions with them through the key-store ports, and what it signs verifies.
/// </summary>
public class KeyCustodyTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    [Fact]
    public async Task Tokens_and_prescriptions_are_signed_by_keys_that_never_leave_their_device_and_verify()
    {
        var prescriptionKeys = new DeviceKeyStore();
        var tokenKey = new DeviceKey();
        var host = server.Start(services: services =>
        {
            services.AddSingleton<IPrescriptionKeyStore>(prescriptionKeys);
            services.AddSingleton<IAccessTokenKeyStore>(new DeviceAccessTokenKeys(tokenKey));
        });

        var (room, prescriptionId) = await Clinical.Prescribed(host);

        tokenKey.Signatures.ShouldBeGreaterThan(0, "the access tokens of the sign-ins were signed by the device");
        var deviceKey = prescriptionKeys.Keys.ShouldHaveSingleItem();
        deviceKey.Key.Signatures.ShouldBe(1, "the prescription was countersigned by the device");
        var jwks = await host.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        jwks.GetProperty("keys").EnumerateArray().Where(k => !k.TryGetProperty("hpr", out _)).Select(k => k.GetProperty("kid").GetString()).ShouldBe([deviceKey.KeyId]);
        var verified = await host.CreateClient().GetFromJsonAsync<JsonElement>($"/api/verify/{prescriptionId}");
        verified.GetProperty("verdict").GetString().ShouldBe("valid");
        await (await host.As(room.Patient.AccessToken).GetAsync($"/api/prescriptions/{prescriptionId}")).ShouldHave(System.Net.HttpStatusCode.OK);
        Should.Throw<CryptographicException>(() => deviceKey.Key.ExportParameters(includePrivateParameters: true));
    }

    /// <summary>A P-256 key inside a device: it signs and shows its public half; its private half cannot be exported.</summary>
    private sealed class DeviceKey : ECDsa
    {
        private readonly ECDsa inside = Create(ECCurve.NamedCurves.nistP256);
        private int signatures;

        public DeviceKey() => KeySizeValue = 256;

        public int Signatures => signatures;

        public override byte[] SignHash(byte[] hash)
        {
            Interlocked.Increment(ref signatures);
            return inside.SignHash(hash);
        }

        public override bool VerifyHash(byte[] hash, byte[] signature) => inside.VerifyHash(hash, signature);

        public override ECParameters ExportParameters(bool includePrivateParameters) => includePrivateParameters
            ? throw new CryptographicException("The private key never leaves the device.")
            : inside.ExportParameters(false);

        public override ECParameters ExportExplicitParameters(bool includePrivateParameters) => ExportParameters(includePrivateParameters);

        public override void ImportParameters(ECParameters parameters) => throw new CryptographicException("Keys are made inside the device.");

        public override void GenerateKey(ECCurve curve) => throw new CryptographicException("Keys are made inside the device.");

        protected override byte[] HashData(byte[] data, int offset, int count, HashAlgorithmName hashAlgorithm) =>
            hashAlgorithm == HashAlgorithmName.SHA256 ? SHA256.HashData(data.AsSpan(offset, count)) : throw new CryptographicException("P-256 with SHA-256 only.");
    }

    private sealed class DeviceKeyStore : IPrescriptionKeyStore
    {
        public List<(string KeyId, DeviceKey Key)> Keys { get; } = [];

        public IReadOnlyList<string> KeyIds() => [.. Keys.Select(k => k.KeyId)];

        public ECDsa Load(string keyId) => Keys.Single(k => k.KeyId == keyId).Key;

        public void Create()
        {
            var key = new DeviceKey();
            Keys.Add((Jwk.Thumbprint(key), key));
        }
    }

    private sealed class DeviceAccessTokenKeys(DeviceKey key) : IAccessTokenKeyStore
    {
        public ECDsa SigningKey() => key;

        public IReadOnlyList<ECDsa> AcceptedKeys() => [];
    }
}
