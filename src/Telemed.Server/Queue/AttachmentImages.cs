using SkiaSharp;

namespace Telemed.Server.Queue;

/// <summary>
/// Photos patients attach carry what their phone wrote into them: where they were (GPS), when, the device. Only the
/// pixels are kept: the image is decoded, turned upright as its EXIF orientation says, and encoded again in its own
/// format, which writes no metadata.
/// </summary>
public static class AttachmentImages
{
    private const int JpegQuality = 90;

    /// <summary>The image without its metadata, or null when it does not decode as an image.</summary>
    public static byte[]? WithoutMetadata(byte[] data, string contentType)
    {
        using var codec = SKCodec.Create(new SKMemoryStream(data));
        if (codec is null)
        {
            return null;
        }
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null)
        {
            return null;
        }
        using var upright = Upright(decoded, codec.EncodedOrigin);
        using var image = SKImage.FromBitmap(upright);
        var format = contentType switch
        {
            "image/png" => SKEncodedImageFormat.Png,
            "image/webp" => SKEncodedImageFormat.Webp,
            _ => SKEncodedImageFormat.Jpeg,
        };
        using var encoded = image.Encode(format, JpegQuality);
        return encoded?.ToArray();
    }

    /// <summary>Turns the picture as the orientation tag would have (the tag goes with the rest); mirrored origins are rare and kept as drawn.</summary>
    private static SKBitmap Upright(SKBitmap source, SKEncodedOrigin origin)
    {
        var (width, height, turn) = origin switch
        {
            SKEncodedOrigin.BottomRight => (source.Width, source.Height, 180),
            SKEncodedOrigin.RightTop => (source.Height, source.Width, 90),
            SKEncodedOrigin.LeftBottom => (source.Height, source.Width, 270),
            _ => (source.Width, source.Height, 0),
        };
        var result = new SKBitmap(width, height, source.ColorType, source.AlphaType);
        using var canvas = new SKCanvas(result);
        switch (turn)
        {
            case 90:
                canvas.Translate(width, 0);
                break;
            case 180:
                canvas.Translate(width, height);
                break;
            case 270:
                canvas.Translate(0, height);
                break;
        }
        canvas.RotateDegrees(turn);
        using var drawn = SKImage.FromBitmap(source);
        canvas.DrawImage(drawn, 0, 0, SKSamplingOptions.Default, null);
        return result;
    }
}
