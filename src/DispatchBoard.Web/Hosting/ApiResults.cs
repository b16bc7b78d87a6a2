using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using static DispatchBoard.Web.Languages.AppText;

namespace DispatchBoard.Web.Hosting;

/// <summary>Turns service outcomes and unreadable bodies into problem details that name what is wrong.</summary>
public static class ApiResults
{
    /// <summary>The largest JSON body any endpoint reads: every request the app takes as JSON is a few fields of text.</summary>
    public const int MaxJsonBytes = 64 * 1024;
    public static IResult From<T>(ServiceResult<T> result, Func<T, IResult> ok) => result.Kind switch
    {
        ResultKind.Ok => ok(result.Value!),
        ResultKind.Invalid => Invalid(result.Errors),
        ResultKind.NotFound => Problem(StatusCodes.Status404NotFound, L["Not found"], result.Message),
        ResultKind.Forbidden => Problem(StatusCodes.Status403Forbidden, L["Not allowed"], result.Message),
        ResultKind.Conflict => Problem(StatusCodes.Status409Conflict, L["Not possible now"], result.Message),
        ResultKind.TooMany => TooMany(result.Message!, result.RetryAfter),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Kind, null),
    };

    /// <summary>A 429 problem whose detail says what to do, with Retry-After.</summary>
    public static IResult TooMany(string message, TimeSpan? retryAfter) =>
        new RetryLater(retryAfter, Problem(StatusCodes.Status429TooManyRequests, L["Too many requests"], message));

    public static ValidationProblem Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors,
            detail: string.Join(" ", errors.SelectMany(e => e.Value)),
            title: L["Some fields are not valid"]);

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>
    /// Reads a JSON body. Wrong content type, malformed JSON and wrongly typed fields come back as a 400 naming the
    /// field, instead of the framework's bare 415 or 400.
    /// </summary>
    public static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpContext http, int maxBytes = MaxJsonBytes) where T : class
    {
        var request = http.Request;
        if (!request.HasJsonContentType())
        {
            return (null, Invalid("body", L["Send the body as JSON with 'Content-Type: application/json' (got '{0}').", request.ContentType ?? "none"]));
        }
        if (UnknownCharset(request) is { } charset)
        {
            return (null, Invalid("body", L["The body's character set '{0}' is not one this server reads; send UTF-8 JSON.", charset]));
        }
        // Read (at most the limit) before parsing: nothing oversized is deserialized, whatever Content-Length claimed.
        if (request.ContentLength > maxBytes || await BufferAsync(request, maxBytes, http.RequestAborted) is not { } body)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, L["Too large"],
                L["The body is larger than {0} KB; no request here needs that much.", maxBytes / 1024]));
        }
        request.Body = body;
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = await request.ReadFromJsonAsync<T>(options, http.RequestAborted);
            return value is null ? (null, Invalid("body", L["The body is empty; send a JSON object."])) : (value, null);
        }
        catch (JsonException ex) when (ex.InnerException is JsonException || ex.Path is null or "$")
        {
            return (null, Invalid("body", ex.LineNumber is { } line
                ? L["The body is not valid JSON (line {0}, position {1}).", line + 1, ex.BytePositionInLine + 1]
                : L["The body is not valid JSON."]));
        }
        catch (JsonException ex)
        {
            var field = FieldName(ex.Path!);
            return (null, Invalid(field, L["'{0}' has a value of the wrong type.", field]));
        }
    }

    /// <summary>The whole body in memory when it is at most <paramref name="maxBytes"/> long; null when it is longer.</summary>
    private static async Task<MemoryStream?> BufferAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return buffer;
    }

    /// <summary>A charset the framework would fail on with an exception (a 500) instead of a refusal.</summary>
    private static string? UnknownCharset(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.Charset is not { Length: > 0 } charset)
        {
            return null;
        }
        try
        {
            _ = System.Text.Encoding.GetEncoding(charset.ToString().Trim('"'));
            return null;
        }
        catch (ArgumentException)
        {
            return charset.ToString();
        }
    }

    /// <summary>A 429 that says when to come back (the Retry-After header, in whole seconds).</summary>
    private sealed class RetryLater(TimeSpan? after, IResult problem) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (after is { } wait)
            {
                httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return problem.ExecuteAsync(httpContext);
        }
    }

    private static string FieldName(string path)
    {
        var name = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return name.Length == 0 ? "body" : char.ToLowerInvariant(name[0]) + name[1..];
    }
}
