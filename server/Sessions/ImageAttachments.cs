using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Sessions;

/// <summary>
/// What an image attached to a message may be: PNG, JPEG, GIF or WebP (what the providers' vision
/// APIs all take), at most <see cref="MaxBytes"/>. The panel checks the same before it sends.
/// </summary>
public static class ImageAttachments
{
    public const int MaxBytes = 5 * 1024 * 1024;

    public static IReadOnlySet<string> MimeTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { "image/png", "image/jpeg", "image/gif", "image/webp" };

    /// <summary>Throws invalid params naming the image and what to do when it cannot be sent.</summary>
    public static void Check(Attachment image)
    {
        if (image.MimeType is not { } type || !MimeTypes.Contains(type))
            throw RpcException.InvalidParams($"attachments: {image.Path} is {image.MimeType ?? "of no stated type"}; attach a PNG, JPEG, GIF or WebP image");
        if (string.IsNullOrEmpty(image.Data))
            throw RpcException.InvalidParams($"attachments: {image.Path} has no data (base64 bytes)");
        // Base64 is 4 characters per 3 bytes: check the size before decoding anything.
        var bytes = image.Data.Length / 4L * 3 - (image.Data.EndsWith("==", StringComparison.Ordinal) ? 2 : image.Data.EndsWith('=') ? 1 : 0);
        if (bytes > MaxBytes)
            throw RpcException.InvalidParams($"attachments: {image.Path} is {bytes / (1024.0 * 1024):0.0} MB; images are limited to {MaxBytes / (1024 * 1024)} MB");
        if (!Convert.TryFromBase64String(image.Data, new byte[Math.Max(bytes, 0)], out _))
            throw RpcException.InvalidParams($"attachments: {image.Path} is not base64 data");
    }
}
