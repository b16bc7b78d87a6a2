using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace DispatchBoard.Testing;

/// <summary>One case of tests/Shared/hostile-inputs.json (made by scripts/make-hostile-inputs.py; its "about" explains the kinds).</summary>
public sealed record HostileCase(string Category, string Name, string Kind, string? Value, string? Base64, string? Generator, int? Size,
    string? FileName)
{
    public string Id => $"{Category}/{Name}";

    public override string ToString() => Id;
}

/// <summary>The hostile-input corpus (issue 10), read from the data file copied beside the test assembly.</summary>
public static class HostileInputs
{
    private static readonly Lazy<IReadOnlyList<HostileCase>> All = new(Load);

    public static IReadOnlyList<HostileCase> Cases => All.Value;

    public static IEnumerable<HostileCase> OfKind(string kind) => Cases.Where(c => c.Kind == kind);

    /// <summary>The text cases whose value is stored and shown (script, URL, Unicode and CSV-formula payloads).</summary>
    public static IEnumerable<HostileCase> ShownPayloads => OfKind("text")
        .Where(c => c.Category is "script-payload" or "javascript-url" or "unicode" or "csv-formula" && !string.IsNullOrWhiteSpace(c.Value));

    private static IReadOnlyList<HostileCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "hostile-inputs.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => new HostileCase(
            c.GetProperty("category").GetString()!,
            c.GetProperty("name").GetString()!,
            c.GetProperty("kind").GetString()!,
            Optional(c, "value"),
            Optional(c, "base64"),
            Optional(c, "generator"),
            c.TryGetProperty("size", out var size) ? size.GetInt32() : null,
            Optional(c, "fileName"))).ToList();
    }

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A whole request body for a "body" case; <paramref name="field"/> replaces $FIELD.</summary>
    public static byte[] Body(HostileCase c, string field) => c.Generator switch
    {
        null => Encoding.UTF8.GetBytes(c.Value!.Replace("$FIELD", field, StringComparison.Ordinal)),
        "nested-arrays" => Encoding.UTF8.GetBytes(new string('[', c.Size!.Value) + new string(']', c.Size.Value)),
        "nested-objects" => Encoding.UTF8.GetBytes(Repeat("{\"a\":", c.Size!.Value) + "1" + new string('}', c.Size.Value)),
        "nested-arrays-in-field" => Encoding.UTF8.GetBytes($"{{\"{field}\":" + new string('[', c.Size!.Value) + new string(']', c.Size.Value) + "}"),
        "many-keys" => Encoding.UTF8.GetBytes("{" + string.Join(",", Enumerable.Range(0, c.Size!.Value).Select(i => $"\"k{i}\":{i}")) + $",\"{field}\":\"x\"}}"),
        "long-key" => Encoding.UTF8.GetBytes($"{{\"{new string('k', c.Size!.Value)}\":1,\"{field}\":\"x\"}}"),
        "huge-string" => Encoding.UTF8.GetBytes($"{{\"{field}\":\"{new string('A', c.Size!.Value)}\"}}"),
        _ => throw new ArgumentException($"Unknown body generator {c.Generator}"),
    };

    private static string Repeat(string s, int count) => new StringBuilder(s.Length * count).Insert(0, s, count).ToString();

    /// <summary>The upload bytes of an "image" case (several files for "four-pngs").</summary>
    public static IReadOnlyList<(string FileName, byte[] Content)> Image(HostileCase c) => c.Generator switch
    {
        "png" => [(c.FileName!, TestImages.Png(8, 6))],
        "jpeg-header" => [(c.FileName!, TestImages.JpegHeader(640, 480))],
        "gif-js-polyglot" => [(c.FileName!, Encoding.ASCII.GetBytes("GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;window.__pwned=1;//"))],
        "png-then-html" => [(c.FileName!, [.. TestImages.Png(4, 4), .. "<html><script>window.__pwned=1</script></html>"u8])],
        "jpeg-then-script" => [(c.FileName!, [.. TestImages.JpegHeader(16, 16), .. "<script>window.__pwned=1</script>"u8])],
        "truncated-png" => [(c.FileName!, TestImages.Png(8, 6)[..40])],
        "truncated-jpeg" => [(c.FileName!, TestImages.JpegHeader(640, 480)[..12])],
        "png-signature-only" => [(c.FileName!, TestImages.Png()[..8])],
        "bomb-png" => [(c.FileName!, TestImages.PngBomb(7_000, 7_000, oneBitGreyscale: true))],
        "png-claiming-huge" => [(c.FileName!, TestImages.PngHeaderClaiming(100_000, 100_000))],
        "png-claiming-zero" => [(c.FileName!, TestImages.PngHeaderClaiming(0, 0))],
        "png-claiming-negative" => [(c.FileName!, TestImages.PngHeaderClaiming(-1, int.MinValue))],
        "zero-byte" => [(c.FileName!, [])],
        "oversized" => [(c.FileName!, [.. TestImages.JpegHeader(640, 480), .. new byte[6 * 1024 * 1024]])],
        "svg-script" => [(c.FileName!, "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"window.__pwned=1\"><script>window.__pwned=1</script></svg>"u8.ToArray())],
        "html" => [(c.FileName!, "<!doctype html><script>window.__pwned=1</script>"u8.ToArray())],
        "mz-exe" => [(c.FileName!, [0x4D, 0x5A, 0x90, 0x00, .. new byte[256]])],
        "truncated-webp" => [(c.FileName!, "RIFF\x10\x00\x00\x00WEBPVP8 "u8.ToArray())],
        "jpeg-bad-length" => [(c.FileName!, [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])],
        "four-pngs" => [.. Enumerable.Range(1, 4).Select(i => ($"{i}-{c.FileName}", TestImages.Png(4, 4)))],
        _ => throw new ArgumentException($"Unknown image generator {c.Generator}"),
    };
}
