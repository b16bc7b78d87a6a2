using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Meetings;

/// <summary>The texts of meetings, their reminders and calendar entries.</summary>
public sealed class MeetingsText
{
    public static readonly Texts L = new(typeof(MeetingsText));
}
