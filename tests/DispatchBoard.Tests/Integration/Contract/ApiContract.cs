using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DispatchBoard.Tests.Integration.Contract;

/// <summary>
/// The app's OpenAPI document, read as a client generator reads it: which operation a request is, and whether an answer
/// is one the operation documents (its status, its media type, and a JSON body that fits the schema exactly: every field
/// the body has is in the schema, every field the schema requires or cannot be null is in the body, types and enum
/// values match).
/// </summary>
public sealed class ApiContract(JsonDocument document)
{
    private readonly JsonElement _root = document.RootElement;

    private readonly List<(string Template, Regex Pattern, int Literals)> _paths = document.RootElement.GetProperty("paths")
        .EnumerateObject()
        .Select(p => (p.Name, new Regex("^" + Regex.Replace(Regex.Escape(p.Name), @"\\\{[^}]+}", "[^/]+") + "$"),
            Regex.Replace(p.Name, @"\{[^}]+}", "").Length))
        .ToList();

    public JsonElement Root => _root;

    /// <summary>"POST /api/tickets/{id}/claim" for every operation of the document.</summary>
    public IEnumerable<string> Operations => _root.GetProperty("paths").EnumerateObject()
        .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"));

    public JsonElement Operation(string key)
    {
        var (method, template) = (key[..key.IndexOf(' ')], key[(key.IndexOf(' ') + 1)..]);
        return _root.GetProperty("paths").GetProperty(template).GetProperty(method.ToLowerInvariant());
    }

    /// <summary>The operation a request is (a literal path before a template: /api/tickets/bulk before /api/tickets/{id}).</summary>
    public string? Find(string method, string path)
    {
        var candidates = _paths.Where(p => p.Pattern.IsMatch(path)).OrderByDescending(p => p.Literals);
        foreach (var (template, _, _) in candidates)
        {
            if (_root.GetProperty("paths").GetProperty(template).TryGetProperty(method.ToLowerInvariant(), out _))
            {
                return $"{method.ToUpperInvariant()} {template}";
            }
        }
        return null;
    }

    /// <summary>What is wrong with this answer for the operation, or nothing.</summary>
    public List<string> Check(string operation, int status, string? mediaType, string body)
    {
        var problems = new List<string>();
        var responses = Operation(operation).GetProperty("responses");
        if (!responses.TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response)
            && !responses.TryGetProperty($"{status / 100}XX", out response)
            && !responses.TryGetProperty("default", out response))
        {
            problems.Add($"answered {status}, which the document does not list (it lists {string.Join(", ", responses.EnumerateObject().Select(r => r.Name))}); body: {Cut(body)}");
            return problems;
        }
        if (!response.TryGetProperty("content", out var content))
        {
            if (body.Length > 0)
            {
                problems.Add($"answered {status} with a body ({mediaType}) where the document says none: {Cut(body)}");
            }
            return problems;
        }
        var documented = content.EnumerateObject().Select(c => c.Name).ToList();
        if (mediaType is null || !documented.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"answered {status} as '{mediaType}', the document says {string.Join(" or ", documented)}");
            return problems;
        }
        if (!mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return problems;
        }
        var media = content.EnumerateObject().First(c => c.Name.Equals(mediaType, StringComparison.OrdinalIgnoreCase)).Value;
        if (!media.TryGetProperty("schema", out var schema))
        {
            problems.Add($"answered {status} with JSON the document gives no schema for");
            return problems;
        }
        using var json = JsonDocument.Parse(body);
        Validate(json.RootElement, schema, "$", problems);
        return problems;
    }

    private void Validate(JsonElement value, JsonElement schema, string at, List<string> problems)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            Validate(value, Resolve(reference.GetString()!), at, problems);
            return;
        }
        if (schema.TryGetProperty("allOf", out var all))
        {
            foreach (var part in all.EnumerateArray())
            {
                Validate(value, part, at, problems);
            }
        }
        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(keyword, out var options))
            {
                var fits = options.EnumerateArray().Any(option =>
                {
                    var attempt = new List<string>();
                    Validate(value, option, at, attempt);
                    return attempt.Count == 0;
                });
                if (!fits)
                {
                    problems.Add($"{at}: {Cut(value.GetRawText())} fits none of the {keyword} schemas");
                }
            }
        }
        var types = Types(schema);
        if (types.Count > 0 && !types.Any(t => Is(value, t)))
        {
            problems.Add($"{at}: {Cut(value.GetRawText())} is not {string.Join(" or ", types)}");
            return;
        }
        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, value)))
        {
            problems.Add($"{at}: {value.GetRawText()} is not one of the documented values {values.GetRawText()}");
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            ValidateObject(value, schema, at, problems);
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Validate(item, items, $"{at}[{index++}]", problems);
            }
        }
    }

    private void ValidateObject(JsonElement value, JsonElement schema, string at, List<string> problems)
    {
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        var additional = schema.TryGetProperty("additionalProperties", out var a) ? a : default;
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
        foreach (var field in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(field.Name, out var fieldSchema))
            {
                Validate(field.Value, fieldSchema, $"{at}.{field.Name}", problems);
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Validate(field.Value, additional, $"{at}.{field.Name}", problems);
            }
            else if (additional.ValueKind != JsonValueKind.True && !IsCompositionOnly(schema))
            {
                problems.Add($"{at}.{field.Name}: the answer has this field, the schema does not");
            }
        }
        if (properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var property in properties.EnumerateObject())
        {
            if (!value.TryGetProperty(property.Name, out _) && (required.Contains(property.Name) || !IsNullable(property.Value)))
            {
                problems.Add($"{at}.{property.Name}: the schema has this field, the answer does not");
            }
        }
    }

    /// <summary>Whether the schema lets the value be null: a "null" type, or a oneOf/anyOf with a null option.</summary>
    private bool IsNullable(JsonElement schema)
    {
        schema = Deref(schema);
        return Types(schema).Contains("null")
            || new[] { "oneOf", "anyOf" }.Any(k => schema.TryGetProperty(k, out var options) && options.EnumerateArray().Any(IsNullable));
    }

    private static bool IsCompositionOnly(JsonElement schema) =>
        !schema.TryGetProperty("properties", out _) && (schema.TryGetProperty("allOf", out _) || schema.TryGetProperty("anyOf", out _) || schema.TryGetProperty("oneOf", out _));

    private JsonElement Deref(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? Deref(Resolve(reference.GetString()!)) : schema;

    private JsonElement Resolve(string reference)
    {
        var node = _root;
        foreach (var part in reference.TrimStart('#', '/').Split('/'))
        {
            node = node.GetProperty(part.Replace("~1", "/").Replace("~0", "~"));
        }
        return node;
    }

    private static List<string> Types(JsonElement schema) => !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
        : [type.GetString()!];

    private static bool Is(JsonElement value, string type) => type switch
    {
        "null" => value.ValueKind == JsonValueKind.Null,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && d == decimal.Truncate(d),
        "number" => value.ValueKind == JsonValueKind.Number,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        _ => false,
    };

    private static string Cut(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>What every client of a contract test met: each answer checked against the document as it arrives.</summary>
public sealed class ContractLog(ApiContract contract)
{
    public ApiContract Contract => contract;

    /// <summary>Every call: its operation (or null when no operation of the document is that request) and its status.</summary>
    public ConcurrentQueue<(string Request, string? Operation, int Status)> Calls { get; } = new();

    public ConcurrentQueue<string> Problems { get; } = new();

    /// <summary>Operations the walk called, and the statuses they answered.</summary>
    public Dictionary<string, HashSet<int>> Seen() => Calls.Where(c => c.Operation is not null)
        .GroupBy(c => c.Operation!).ToDictionary(g => g.Key, g => g.Select(c => c.Status).ToHashSet());
}

/// <summary>Sits in a test client: every answer it gets is checked against the document (see <see cref="ContractLog"/>).</summary>
public sealed class ContractRecorder(ContractLog log) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await base.SendAsync(request, ct);
        var path = request.RequestUri!.AbsolutePath;
        var call = $"{request.Method} {request.RequestUri.PathAndQuery}";
        var operation = log.Contract.Find(request.Method.Method, path);
        log.Calls.Enqueue((call, operation, (int)response.StatusCode));
        if (operation is null)
        {
            log.Problems.Enqueue($"{call}: no operation of the document is this request");
            return response;
        }
        // Buffer the body so the test can still read it.
        await response.Content.LoadIntoBufferAsync(ct);
        var isText = response.Content.Headers.ContentType?.MediaType is { } type && (type.Contains("json") || type.StartsWith("text/"));
        var body = isText ? await response.Content.ReadAsStringAsync(ct) : (response.Content.Headers.ContentLength > 0 ? "(binary)" : "");
        foreach (var problem in log.Contract.Check(operation, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body))
        {
            log.Problems.Enqueue($"{call} ({operation}): {problem}");
        }
        return response;
    }
}
