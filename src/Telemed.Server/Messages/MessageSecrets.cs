using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Telemed.Server.Messages;

/// <summary>
/// Secrets in messages are derived, not stored: a sign-in code or a reset link is an HMAC of the message key over the
/// id of the code or reset, so the dispatcher composes it when it hands the message over and the database never holds
/// it in readable form. Checks compare against a keyed hash, so a copy of the database alone cannot try all codes.
/// The key is 32 random bytes in a file made on first start (owner-only), shared by every node like the signing key.
/// </summary>
public sealed class MessageSecrets
{
    private readonly byte[] key;

    public MessageSecrets(IOptions<MessageOptions> options)
    {
        var path = Path.GetFullPath(options.Value.SecretPath);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temporary, RandomNumberGenerator.GetBytes(32));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another node made it first; use theirs.
                File.Delete(temporary);
            }
        }
        key = File.ReadAllBytes(path);
        if (key.Length < 32)
        {
            throw new InvalidOperationException($"The message key at {path} is shorter than 32 bytes.");
        }
    }

    /// <summary>The six-digit sign-in code of a code id.</summary>
    public string SignInCode(Guid codeId)
    {
        var mac = Mac("sign-in-code", codeId.ToString("N"));
        var number = BitConverter.ToUInt64(mac, 0) % 1_000_000;
        return number.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>What is stored to check a code: a keyed hash of the number and the code.</summary>
    public string CodeHash(string mobile, string code) => Convert.ToHexStringLower(Mac("code-hash", $"{mobile}:{code}"));

    /// <summary>The token of a password reset: its id and a MAC, so a guessed or altered token never matches.</summary>
    public string ResetToken(Guid resetId) => $"{resetId:N}.{Tag("reset", resetId)}";

    public Guid? ResetId(string? token) => Verified("reset", token);

    /// <summary>The reference a provider returns with a receipt: the message id and a MAC, so a receipt can name only a message we sent.</summary>
    public string ReceiptReference(Guid messageId) => $"{messageId:N}.{Tag("receipt", messageId)}";

    public Guid? ReceiptMessageId(string? reference) => Verified("receipt", reference);

    private Guid? Verified(string purpose, string? token)
    {
        var parts = token?.Split('.');
        if (parts is not [var id, var tag] || !Guid.TryParseExact(id, "N", out var parsed))
        {
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(tag), Encoding.ASCII.GetBytes(Tag(purpose, parsed))) ? parsed : null;
    }

    private string Tag(string purpose, Guid id) => Base64UrlEncode(Mac(purpose, id.ToString("N"))[..16]);

    private byte[] Mac(string purpose, string value) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{purpose}\n{value}"));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
