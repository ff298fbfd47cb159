namespace Telemed.Domain.Queue;

/// <summary>
/// What a patient may attach at check-in: up to three images or PDFs, each at most 5 MB. The type is read
/// from the file's first bytes, not trusted from its name or the browser's claim.
/// </summary>
public static class AttachmentRules
{
    public const int MaxFiles = 3;
    public const long MaxBytes = 5 * 1024 * 1024;
    public const int HeaderBytes = 12;

    public static Result<string, Invalid> ContentType(string fileName, long size, ReadOnlySpan<byte> header)
    {
        if (size == 0)
        {
            return new Invalid($"{fileName} is empty.");
        }
        if (size > MaxBytes)
        {
            return new Invalid($"{fileName} is {size / 1024 / 1024.0:0.#} MB; attachments may be at most {MaxBytes / 1024 / 1024} MB.");
        }
        return Sniff(header) ?? (Result<string, Invalid>)new Invalid($"{fileName} is not a JPEG, PNG, WebP image or a PDF.");
    }

    private static string? Sniff(ReadOnlySpan<byte> header) => header switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => "application/pdf",
        [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => "image/webp",
        _ => null,
    };

    /// <summary>A safe display name: no path, no control characters, bounded length.</summary>
    public static string FileName(string? raw)
    {
        var name = Path.GetFileName(raw ?? "").Trim();
        name = new string(name.Where(c => !char.IsControl(c)).ToArray());
        if (name.Length == 0)
        {
            return "attachment";
        }
        return name.Length <= 120 ? name : name[..120];
    }
}
