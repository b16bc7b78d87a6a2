namespace DispatchBoard.Web.Components.Shared;

/// <summary>A form's per-field messages from a <see cref="ServiceResult{T}"/>, for MudBlazor's Error / ErrorText.</summary>
public static class FieldErrors
{
    public static readonly IReadOnlyDictionary<string, string[]> None = new Dictionary<string, string[]>();

    public static bool Has(this IReadOnlyDictionary<string, string[]> errors, string field) => errors.ContainsKey(field);

    public static string? Message(this IReadOnlyDictionary<string, string[]> errors, string field) =>
        errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;
}
