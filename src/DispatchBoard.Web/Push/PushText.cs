using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Push;

/// <summary>The texts of alerts on phones and computers (Web Push) and their settings.</summary>
public sealed class PushText
{
    public static readonly Texts L = new(typeof(PushText));
}
