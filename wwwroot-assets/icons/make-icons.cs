#:package SkiaSharp@4.155.0
#:package SkiaSharp.NativeAssets.Linux.NoDependencies@4.155.0
#:property PublishAot=false
#:property ManagePackageVersionsCentrally=false

// Source of the app's PNG icons: draws logo.svg (its rect, circle and path elements; nothing else is used) with SkiaSharp.
// Run `dotnet run make-icons.cs` in this folder after changing the logo; commit the PNGs it writes.
//   icon-192.png, icon-512.png   the logo as it is (rounded corners on transparent)      manifest purpose "any"
//   icon-maskable-512.png        full-bleed background, the marks inside the central 80%   manifest purpose "maskable"
//   apple-touch-icon.png         180x180, opaque square (iOS rounds the corners itself)
//   badge-96.png                 white silhouette on transparent (Android's status bar uses only the alpha)
using System.Globalization;
using System.Xml.Linq;
using SkiaSharp;

var folder = Directory.GetCurrentDirectory();
var logo = Logo.Load(Path.Combine(folder, "logo.svg"));

Write("icon-192.png", 192, canvas => logo.Draw(canvas, 192f / logo.Size, 0, 0, Style.AsDrawn));
Write("icon-512.png", 512, canvas => logo.Draw(canvas, 512f / logo.Size, 0, 0, Style.AsDrawn));
Write("icon-maskable-512.png", 512, canvas =>
{
    canvas.Clear(logo.Background);
    // The marks' box goes inside the safe zone: the circle of radius 40% of the icon around its centre.
    var (scale, dx, dy) = logo.FitMarks(512, radius: 0.40f * 512 * 0.96f, side: 0.80f);
    logo.Draw(canvas, scale, dx, dy, Style.MarksOnly);
});
Write("apple-touch-icon.png", 180, canvas =>
{
    canvas.Clear(logo.Background);
    logo.Draw(canvas, 180f / logo.Size, 0, 0, Style.MarksOnly);
});
Write("badge-96.png", 96, canvas =>
{
    canvas.Clear(SKColors.Transparent);
    // Android draws badges at 24dp with a 2dp margin.
    var (scale, dx, dy) = logo.FitMarks(96, radius: 96, side: 20f / 24f);
    logo.Draw(canvas, scale, dx, dy, Style.Silhouette);
});

void Write(string name, int size, Action<SKCanvas> draw)
{
    using var surface = SKSurface.Create(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
    surface.Canvas.Clear(SKColors.Transparent);
    draw(surface.Canvas);
    using var image = surface.Snapshot();
    using var png = image.Encode(SKEncodedImageFormat.Png, 100);
    File.WriteAllBytes(Path.Combine(folder, name), png.ToArray());
    Console.WriteLine($"{name} {size}x{size}");
}

enum Style
{
    /// <summary>Everything as logo.svg draws it.</summary>
    AsDrawn,
    /// <summary>Without the background tile (the caller fills the whole square with its colour).</summary>
    MarksOnly,
    /// <summary>Without the tile; the marks opaque white, and whatever the logo draws in the tile's colour cut out.</summary>
    Silhouette,
}

sealed record Shape(XElement Element, SKRect Bounds, bool IsTile);

sealed class Logo(float size, SKColor background, List<Shape> shapes)
{
    public float Size => size;
    public SKColor Background => background;

    public static Logo Load(string path)
    {
        var svg = XDocument.Load(path).Root!;
        var viewBox = svg.Attribute("viewBox")!.Value.Split(' ').Select(Number).ToArray();
        var size = viewBox[2];
        var shapes = new List<Shape>();
        SKColor? background = null;
        foreach (var element in svg.Elements())
        {
            var bounds = BoundsOf(element);
            var isTile = element.Name.LocalName == "rect" && bounds.Width >= size && bounds.Height >= size;
            if (isTile)
            {
                background = SKColor.Parse(element.Attribute("fill")!.Value);
            }
            shapes.Add(new Shape(element, bounds, isTile));
        }
        return new Logo(size, background ?? throw new InvalidDataException("logo.svg has no full-size background rect."), shapes);
    }

    /// <summary>
    /// Scale and offset that centre the marks' box on the icon, its corners inside a circle of this radius and its longer
    /// side at most this fraction of the icon.
    /// </summary>
    public (float Scale, float Dx, float Dy) FitMarks(int iconSize, float radius, float side)
    {
        var box = shapes.Where(s => !s.IsTile).Select(s => s.Bounds).Aggregate(SKRect.Union);
        var halfDiagonal = MathF.Sqrt(box.Width * box.Width + box.Height * box.Height) / 2;
        var scale = MathF.Min(radius / halfDiagonal, iconSize * side / MathF.Max(box.Width, box.Height));
        return (scale, iconSize / 2f - box.MidX * scale, iconSize / 2f - box.MidY * scale);
    }

    public void Draw(SKCanvas canvas, float scale, float dx, float dy, Style style)
    {
        canvas.Save();
        canvas.Translate(dx, dy);
        canvas.Scale(scale);
        foreach (var shape in shapes.Where(s => style == Style.AsDrawn || !s.IsTile))
        {
            var e = shape.Element;
            var opacity = e.Attribute("opacity") is { } o ? Number(o.Value) : 1f;
            using var geometry = GeometryOf(e);
            if (e.Attribute("fill")?.Value is { } fill && fill != "none")
            {
                using var paint = PaintFor(SKColor.Parse(fill), opacity, style);
                paint.Style = SKPaintStyle.Fill;
                canvas.DrawPath(geometry, paint);
            }
            if (e.Attribute("stroke")?.Value is { } stroke && stroke != "none")
            {
                using var paint = PaintFor(SKColor.Parse(stroke), opacity, style);
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = Number(e.Attribute("stroke-width")?.Value ?? "1");
                paint.StrokeCap = e.Attribute("stroke-linecap")?.Value == "round" ? SKStrokeCap.Round : SKStrokeCap.Butt;
                paint.StrokeJoin = e.Attribute("stroke-linejoin")?.Value == "round" ? SKStrokeJoin.Round : SKStrokeJoin.Miter;
                canvas.DrawPath(geometry, paint);
            }
        }
        canvas.Restore();
    }

    private SKPaint PaintFor(SKColor color, float opacity, Style style)
    {
        var paint = new SKPaint { IsAntialias = true };
        if (style != Style.Silhouette)
        {
            paint.Color = color.WithAlpha((byte)Math.Round(color.Alpha * opacity));
        }
        else if (color == background)
        {
            paint.BlendMode = SKBlendMode.Clear;
        }
        else
        {
            paint.Color = SKColors.White;
        }
        return paint;
    }

    private static SKPath GeometryOf(XElement e)
    {
        using var builder = new SKPathBuilder();
        switch (e.Name.LocalName)
        {
            case "rect":
                var rx = Attr(e, "rx");
                builder.AddRoundRect(SKRect.Create(Attr(e, "x"), Attr(e, "y"), Attr(e, "width"), Attr(e, "height")), rx, rx);
                return builder.Detach();
            case "circle":
                builder.AddCircle(Attr(e, "cx"), Attr(e, "cy"), Attr(e, "r"));
                return builder.Detach();
            case "path":
                return SKPath.ParseSvgPathData(e.Attribute("d")!.Value);
            default:
                throw new InvalidDataException($"logo.svg: <{e.Name.LocalName}> is not drawn by make-icons.cs; add it there.");
        }
    }

    private static SKRect BoundsOf(XElement e)
    {
        using var geometry = GeometryOf(e);
        var bounds = geometry.Bounds;
        if (e.Attribute("stroke")?.Value is { } stroke && stroke != "none")
        {
            var half = Number(e.Attribute("stroke-width")?.Value ?? "1") / 2;
            bounds.Inflate(half, half);
        }
        return bounds;
    }

    private static float Attr(XElement e, string name) => e.Attribute(name) is { } a ? Number(a.Value) : 0f;

    private static float Number(string text) => float.Parse(text, CultureInfo.InvariantCulture);
}
