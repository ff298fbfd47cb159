using System.Text.Json.Nodes;
using Telemed.Domain.Abdm;

namespace Telemed.Server.Abdm;

/// <summary>ABDM's <c>keyMaterial</c>: one side's Fidelius public key and nonce, as a HIP's pages and an HIU's request both carry them.</summary>
internal static class KeyMaterial
{
    public static JsonObject Json(string publicKey, string nonce, DateTimeOffset expiry) => new()
    {
        ["cryptoAlg"] = FideliusKeys.CryptoAlgorithm,
        ["curve"] = FideliusKeys.Curve,
        ["dhPublicKey"] = new JsonObject
        {
            ["expiry"] = AbdmHeaders.Format(expiry),
            ["parameters"] = FideliusKeys.Parameters,
            ["keyValue"] = publicKey,
        },
        ["nonce"] = nonce,
    };
}
