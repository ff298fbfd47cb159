using System.Security.Cryptography;
using System.Text;

namespace Telemed.Server.Infrastructure;

/// <summary>The one place identifiers come from.</summary>
public static class Ids
{
    /// <summary>A new identifier: time-ordered (v7) so indexes stay compact.</summary>
    public static Guid New() => Guid.CreateVersion7();

    /// <summary>An identifier in 22 URL-safe characters (base64url of its 16 bytes), short enough for an SMS variable.</summary>
    public static string Compact(Guid id) => Convert.ToBase64String(id.ToByteArray(bigEndian: true)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static Guid? FromCompact(string? text)
    {
        if (text is not { Length: 22 } || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }
        var bytes = Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/') + "==");
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>
    /// The same identifier for the same name, every time (RFC 9562 version 8 over SHA-256 of space and name): what a retry
    /// of one request needs to find its first attempt.
    /// </summary>
    public static Guid NameBased(Guid space, string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetMaxByteCount(name.Length)];
        space.TryWriteBytes(input, bigEndian: true, out _);
        var length = 16 + Encoding.UTF8.GetBytes(name, input[16..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input[..length], hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
