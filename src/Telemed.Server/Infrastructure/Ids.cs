using System.Security.Cryptography;
using System.Text;

namespace Telemed.Server.Infrastructure;

/// <summary>The one place identifiers come from.</summary>
public static class Ids
{
    /// <summary>A new identifier: time-ordered (v7) so indexes stay compact.</summary>
    public static Guid New() => Guid.CreateVersion7();

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
