using Telemed.Domain;
using Telemed.Domain.Queue;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Queue;

/// <summary>A file a patient attached at check-in. Stored beside the session; the check-in event keeps only its reference.</summary>
public sealed record CheckInAttachment(Guid Id, Guid SessionId, Guid PatientId, string FileName, string ContentType, byte[] Data, DateTimeOffset UploadedAt);

/// <summary>An uploaded file that passed the checks: a safe name, the type its bytes show, a photo without its metadata.</summary>
public sealed record CheckedFile(string FileName, string ContentType, byte[] Data);

/// <summary>Files patients and staff upload (check-in attachments, files shared in a call): one set of checks for all.</summary>
public static class AttachmentUpload
{
    public const long MaxRequestBytes = AttachmentRules.MaxFiles * AttachmentRules.MaxBytes + 64 * 1024;

    /// <summary>Reads and type-checks uploaded files; every problem is reported against the "attachments" field.</summary>
    public static async Task<List<CheckInAttachment>> Read(
        IFormFileCollection files, Guid sessionId, Guid patientId, DateTimeOffset now, FieldErrors errors, CancellationToken cancellationToken)
    {
        var attachments = new List<CheckInAttachment>();
        if (files.Count > AttachmentRules.MaxFiles)
        {
            errors.Add("attachments", $"At most {AttachmentRules.MaxFiles} attachments; {files.Count} were sent.");
            return attachments;
        }
        foreach (var file in files)
        {
            if (await Check(file, "attachments", errors, cancellationToken) is { } checkedFile)
            {
                attachments.Add(new CheckInAttachment(Ids.New(), sessionId, patientId, checkedFile.FileName, checkedFile.ContentType, checkedFile.Data, now));
            }
        }
        return attachments;
    }

    /// <summary>
    /// One uploaded file as it may be kept: its type read from its first bytes, a photo stripped of its metadata. Null when it
    /// may not be kept, with the reason reported against <paramref name="field"/>.
    /// </summary>
    public static async Task<CheckedFile?> Check(IFormFile file, string field, FieldErrors errors, CancellationToken cancellationToken)
    {
        var name = AttachmentRules.FileName(file.FileName);
        if (file.Length > AttachmentRules.MaxBytes)
        {
            errors.Add(field, AttachmentRules.ContentType(name, file.Length, []).Error.Message);
            return null;
        }
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        var data = buffer.ToArray();
        var type = AttachmentRules.ContentType(name, data.Length, data.AsSpan(0, Math.Min(AttachmentRules.HeaderBytes, data.Length)));
        if (!type.IsSuccess)
        {
            errors.Add(field, type.Error.Message);
            return null;
        }
        if (type.Value.StartsWith("image/", StringComparison.Ordinal))
        {
            // Decoding takes milliseconds of CPU: on the thread pool, not the socket thread other connections share.
            var stripped = await Task.Run(() => AttachmentImages.WithoutMetadata(data, type.Value), cancellationToken);
            if (stripped is null)
            {
                errors.Add(field, $"{name} does not open as an image; attach the photo itself (JPEG, PNG or WebP).");
                return null;
            }
            data = stripped;
        }
        return new CheckedFile(name, type.Value, data);
    }

    public static AttachmentRef Ref(this CheckInAttachment attachment) =>
        new(attachment.Id, attachment.FileName, attachment.ContentType, attachment.Data.Length);
}
