using System.Text.Json;
using Telemed.Domain.Abdm;

namespace Telemed.Domain.Tests.Abdm;

/// <summary>
/// Fidelius against ABDM's reference implementation: the vectors in TestData/fidelius-reference-vectors.json were made
/// by the reference code (its source and commit are named in the file) and, for the other direction, checked by it.
/// </summary>
public class FideliusTests
{
    private static readonly JsonElement Vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Abdm", "TestData", "fidelius-reference-vectors.json"))).RootElement;

    private static string Text(string vector, params string[] path)
    {
        var node = Vectors.GetProperty(vector);
        foreach (var step in path)
        {
            node = node.GetProperty(step);
        }
        return node.GetString()!;
    }

    private static FideliusKeys Keys(string vector, string side) => FideliusKeys.From(Text(vector, side, "privateKey"), Text(vector, side, "nonce"));

    [Theory]
    [InlineData("published", "publicKey")]
    [InlineData("published", "x509PublicKey")]
    [InlineData("theirsEncrypts", "publicKey")]
    [InlineData("theirsEncrypts", "x509PublicKey")]
    public void What_the_reference_encrypted_we_decrypt_with_either_form_of_its_public_key(string vector, string form)
    {
        var requester = Keys(vector, "requester");

        requester.Decrypt(Text(vector, "encryptedData"), Text(vector, "sender", form), Text(vector, "sender", "nonce"))
            .ShouldBe(Text(vector, "plaintext"));
    }

    [Theory]
    [InlineData("published")]
    [InlineData("theirsEncrypts")]
    [InlineData("oursEncrypts")]
    public void Given_the_same_keys_and_nonces_we_encrypt_exactly_what_the_reference_decrypts(string vector)
    {
        var sender = Keys(vector, "sender");

        sender.Encrypt(Text(vector, "plaintext"), Text(vector, "requester", "x509PublicKey"), Text(vector, "requester", "nonce"))
            .ShouldBe(Text(vector, "encryptedData"));
    }

    [Theory]
    [InlineData("published", "requester")]
    [InlineData("published", "sender")]
    [InlineData("theirsEncrypts", "requester")]
    [InlineData("oursEncrypts", "sender")]
    public void Our_public_key_is_the_x509_encoding_the_reference_makes_and_reads(string vector, string side) =>
        Keys(vector, side).PublicKey.ShouldBe(Text(vector, side, "x509PublicKey"));

    [Fact]
    public void Fresh_key_material_round_trips_and_differs_each_time()
    {
        var hiu = FideliusKeys.Generate();
        var hip = FideliusKeys.Generate();
        var again = FideliusKeys.Generate();

        var sealedText = hip.Encrypt("{\"resourceType\":\"Bundle\"}", hiu.PublicKey, hiu.Nonce);

        hiu.Decrypt(sealedText, hip.PublicKey, hip.Nonce).ShouldBe("{\"resourceType\":\"Bundle\"}");
        again.PublicKey.ShouldNotBe(hip.PublicKey);
        again.Nonce.ShouldNotBe(hip.Nonce);
        Convert.FromBase64String(hip.Nonce).Length.ShouldBe(32);
    }

    [Fact]
    public void Documents_sealed_for_one_peer_each_get_a_nonce_of_their_own_and_decrypt_with_it()
    {
        var hiu = FideliusKeys.Generate();
        var sealer = FideliusKeys.Generate().For(hiu.PublicKey, hiu.Nonce);

        var first = sealer.Seal("{\"n\":1}");
        var second = sealer.Seal("{\"n\":1}");

        first.Nonce.ShouldNotBe(second.Nonce);
        first.EncryptedData.ShouldNotBe(second.EncryptedData);
        hiu.Decrypt(first.EncryptedData, sealer.PublicKey, first.Nonce).ShouldBe("{\"n\":1}");
        hiu.Decrypt(second.EncryptedData, sealer.PublicKey, second.Nonce).ShouldBe("{\"n\":1}");
        Should.Throw<FideliusException>(() => hiu.Decrypt(first.EncryptedData, sealer.PublicKey, second.Nonce));
    }

    [Fact]
    public void Altered_ciphertext_is_refused()
    {
        var sealedBytes = Convert.FromBase64String(Text("theirsEncrypts", "encryptedData"));
        sealedBytes[5] ^= 0x01;

        Should.Throw<FideliusException>(() => Keys("theirsEncrypts", "requester")
            .Decrypt(Convert.ToBase64String(sealedBytes), Text("theirsEncrypts", "sender", "x509PublicKey"), Text("theirsEncrypts", "sender", "nonce")));
    }

    [Fact]
    public void The_wrong_private_key_is_refused()
    {
        Should.Throw<FideliusException>(() => FideliusKeys.Generate()
            .Decrypt(Text("theirsEncrypts", "encryptedData"), Text("theirsEncrypts", "sender", "x509PublicKey"), Text("theirsEncrypts", "sender", "nonce")));
    }

    [Fact]
    public void The_wrong_sender_public_key_is_refused()
    {
        Should.Throw<FideliusException>(() => Keys("theirsEncrypts", "requester")
            .Decrypt(Text("theirsEncrypts", "encryptedData"), Text("published", "sender", "x509PublicKey"), Text("theirsEncrypts", "sender", "nonce")));
    }

    [Fact]
    public void The_wrong_nonce_is_refused()
    {
        Should.Throw<FideliusException>(() => Keys("theirsEncrypts", "requester")
            .Decrypt(Text("theirsEncrypts", "encryptedData"), Text("theirsEncrypts", "sender", "x509PublicKey"), Text("published", "sender", "nonce")));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void A_malformed_public_key_or_nonce_is_refused(string bad)
    {
        var requester = Keys("theirsEncrypts", "requester");
        var data = Text("theirsEncrypts", "encryptedData");

        Should.Throw<FideliusException>(() => requester.Decrypt(data, bad, Text("theirsEncrypts", "sender", "nonce")));
        Should.Throw<FideliusException>(() => requester.Decrypt(data, Text("theirsEncrypts", "sender", "x509PublicKey"), bad));
    }

    [Fact]
    public void A_point_off_the_curve_is_refused()
    {
        var point = Convert.FromBase64String(Text("theirsEncrypts", "sender", "publicKey"));
        point[^1] ^= 0x01;

        Should.Throw<FideliusException>(() => Keys("theirsEncrypts", "requester")
            .Decrypt(Text("theirsEncrypts", "encryptedData"), Convert.ToBase64String(point), Text("theirsEncrypts", "sender", "nonce")));
    }
}
