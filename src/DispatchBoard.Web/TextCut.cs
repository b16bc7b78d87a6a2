namespace DispatchBoard.Web;

/// <summary>Shortening text for a summary or a column without cutting a character in half.</summary>
public static class TextCut
{
    /// <summary>
    /// The first <paramref name="max"/> UTF-16 units of <paramref name="text"/>, one fewer when the cut would split a
    /// surrogate pair (an emoji): half a character is not text, and PostgreSQL refuses to store it.
    /// </summary>
    public static string Head(string text, int max) =>
        text.Length <= max ? text : text[..(max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
}
