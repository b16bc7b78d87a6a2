using MudBlazor;

namespace DispatchBoard.Web.Components.Shared;

public static class SnackbarReports
{
    /// <summary>Shows a service outcome: the success text, or the refusal in the service's own words.</summary>
    public static bool Report<T>(this ISnackbar snackbar, ServiceResult<T> result, Func<T, string> success)
    {
        if (result.IsOk)
        {
            snackbar.Add(success(result.Value!), Severity.Success);
            return true;
        }
        snackbar.Add(result.Describe(), result.Kind == ResultKind.Forbidden ? Severity.Error : Severity.Warning);
        return false;
    }

    public static bool Report<T>(this ISnackbar snackbar, ServiceResult<T> result, string success) =>
        snackbar.Report(result, _ => success);
}
