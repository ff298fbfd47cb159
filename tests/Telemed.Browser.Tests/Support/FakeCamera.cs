using System.Text;
using QRCoder;

namespace Telemed.Browser.Tests.Support;

/// <summary>
/// What a camera held over a QR code films, as a Y4M video for Chromium's <c>--use-file-for-fake-video-capture</c>:
/// one 640×480 frame (black modules on white, quiet zone included), which Chromium plays in a loop.
/// </summary>
public static class FakeCamera
{
    private const int Width = 640;
    private const int Height = 480;

    /// <param name="errorCorrection">As the code was printed: a prescription's code carrying its JWS is printed at L.</param>
    public static string FilmingQrCode(string text, string folder, QRCodeGenerator.ECCLevel errorCorrection = QRCodeGenerator.ECCLevel.M)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, errorCorrection);
        var modules = data.ModuleMatrix;
        var size = modules.Count;
        var scale = Height * 9 / 10 / size;
        var left = (Width - size * scale) / 2;
        var top = (Height - size * scale) / 2;
        var luma = new byte[Width * Height];
        Array.Fill(luma, (byte)235);
        for (var y = 0; y < size * scale; y++)
        {
            for (var x = 0; x < size * scale; x++)
            {
                if (modules[y / scale][x / scale])
                {
                    luma[(top + y) * Width + left + x] = 16;
                }
            }
        }
        var chroma = new byte[Width / 2 * (Height / 2)];
        Array.Fill(chroma, (byte)128);
        var path = Path.Combine(folder, "qr-camera.y4m");
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{Width} H{Height} F10:1 Ip A1:1 C420jpeg\nFRAME\n"));
        file.Write(luma);
        file.Write(chroma);
        file.Write(chroma);
        return path;
    }
}
