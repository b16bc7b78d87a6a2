using static DispatchBoard.Web.Languages.AppText;

namespace DispatchBoard.Web;

public enum ResultKind
{
    Ok,
    Invalid,
    NotFound,
    Forbidden,
    Conflict,
    /// <summary>Too many anonymous requests from one client address: try again after <see cref="ServiceResult{T}.RetryAfter"/>.</summary>
    TooMany,
}

/// <summary>What a service call came to: a value, or the reason it was refused, in words a user can read.</summary>
public sealed record ServiceResult<T>
{
    private ServiceResult(ResultKind kind, T? value, string? message, IReadOnlyDictionary<string, string[]>? errors, TimeSpan? retryAfter = null)
    {
        Kind = kind;
        Value = value;
        Message = message;
        Errors = errors ?? new Dictionary<string, string[]>();
        RetryAfter = retryAfter;
    }

    public ResultKind Kind { get; }
    public T? Value { get; }
    public string? Message { get; }
    public IReadOnlyDictionary<string, string[]> Errors { get; }
    public TimeSpan? RetryAfter { get; }
    public bool IsOk => Kind == ResultKind.Ok;

    /// <summary>One sentence for a snackbar: the refusal message, or every field error.</summary>
    public string Describe() => Message ?? string.Join(" ", Errors.SelectMany(e => e.Value));

    public static ServiceResult<T> Ok(T value) => new(ResultKind.Ok, value, null, null);
    public static ServiceResult<T> Invalid(ValidationErrors errors) =>
        new(ResultKind.Invalid, default, null, errors.ToDictionary());
    public static ServiceResult<T> NotFound(string message) => new(ResultKind.NotFound, default, message, null);
    public static ServiceResult<T> Forbidden(string message) => new(ResultKind.Forbidden, default, message, null);
    public static ServiceResult<T> Conflict(string message) => new(ResultKind.Conflict, default, message, null);
    public static ServiceResult<T> TooMany(string message, TimeSpan retryAfter) => new(ResultKind.TooMany, default, message, null, retryAfter);

    public ServiceResult<TOther> Cast<TOther>() => IsOk
        ? throw new InvalidOperationException("Only a refusal can be cast.")
        : new(Kind, default, Message, Errors, RetryAfter);
}

/// <summary>Field errors keyed by the API's camelCase field names.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    /// <summary>Checks an optional or required text against the limit the database column has.</summary>
    public string? Text(string field, string label, string? value, int maxLength, bool required)
    {
        var trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (trimmed is null)
        {
            if (required)
            {
                Add(field, L["{0} is required.", label]);
            }
            return null;
        }
        if (trimmed.Length > maxLength)
        {
            Add(field, L["{0} is too long ({1:N0} characters; the limit is {2:N0}).", label, trimmed.Length, maxLength]);
        }
        if (trimmed.Contains('\0'))
        {
            // A null character is no part of any text a person types, and PostgreSQL cannot store one.
            Add(field, L["{0} contains a null character (\\0): remove it.", label]);
        }
        return trimmed;
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
