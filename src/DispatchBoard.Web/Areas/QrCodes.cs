using QRCoder;

namespace DispatchBoard.Web.Areas;

public static class QrCodes
{
    /// <summary>An SVG QR code (medium error correction: survives a scuffed poster on a classroom door).</summary>
    public static string Svg(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(new System.Drawing.Size(512, 512), "#000000", "#ffffff", drawQuietZones: true);
    }
}
