using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DispatchBoard.Web.Hosting;

/// <summary>Turns service outcomes and unreadable bodies into problem details that name what is wrong.</summary>
public static class ApiResults
{
    public static IResult From<T>(ServiceResult<T> result, Func<T, IResult> ok) => result.Kind switch
    {
        ResultKind.Ok => ok(result.Value!),
        ResultKind.Invalid => Invalid(result.Errors),
        ResultKind.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", result.Message),
        ResultKind.Forbidden => Problem(StatusCodes.Status403Forbidden, "Not allowed", result.Message),
        ResultKind.Conflict => Problem(StatusCodes.Status409Conflict, "Not possible now", result.Message),
        ResultKind.TooMany => new RetryLater(result.RetryAfter, Problem(StatusCodes.Status429TooManyRequests, "Too many requests", result.Message)),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.Kind, null),
    };

    public static ValidationProblem Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors,
            detail: string.Join(" ", errors.SelectMany(e => e.Value)),
            title: "Some fields are not valid");

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>
    /// Reads a JSON body. Wrong content type, malformed JSON and wrongly typed fields come back as a 400 naming the
    /// field, instead of the framework's bare 415 or 400.
    /// </summary>
    public static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpContext http) where T : class
    {
        var request = http.Request;
        if (!request.HasJsonContentType())
        {
            return (null, Invalid("body", $"Send the body as JSON with 'Content-Type: application/json' (got '{request.ContentType ?? "none"}')."));
        }
        if (UnknownCharset(request) is { } charset)
        {
            return (null, Invalid("body", $"The body's character set '{charset}' is not one this server reads; send UTF-8 JSON."));
        }
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = await request.ReadFromJsonAsync<T>(options, http.RequestAborted);
            return value is null ? (null, Invalid("body", "The body is empty; send a JSON object.")) : (value, null);
        }
        catch (JsonException ex) when (ex.InnerException is JsonException || ex.Path is null or "$")
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            return (null, Invalid("body", $"The body is not valid JSON{where}."));
        }
        catch (JsonException ex)
        {
            var field = FieldName(ex.Path!);
            return (null, Invalid(field, $"'{field}' has a value of the wrong type."));
        }
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
