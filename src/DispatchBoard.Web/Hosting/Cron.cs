namespace DispatchBoard.Web.Hosting;

/// <summary>Cron expressions as the settings and the meeting series write them (5 fields, or 6 with seconds).</summary>
public static class Cron
{
    public static bool IsValid(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return false;
        }
        try
        {
            Cronos.CronExpression.Parse(expression, expression.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6
                ? Cronos.CronFormat.IncludeSeconds
                : Cronos.CronFormat.Standard);
            return true;
        }
        catch (Cronos.CronFormatException)
        {
            return false;
        }
    }
}
