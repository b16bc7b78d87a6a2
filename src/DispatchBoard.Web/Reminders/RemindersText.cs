using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Reminders;

/// <summary>The texts of reminders and their e-mails.</summary>
public sealed class RemindersText
{
    public static readonly Texts L = new(typeof(RemindersText));
}
