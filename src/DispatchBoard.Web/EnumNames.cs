namespace DispatchBoard.Web;

/// <summary>Enum values as the API and the forms take them: by name, case-insensitive.</summary>
public static class EnumNames
{
    /// <summary>Parses an API value: the enum name, case-insensitive; numbers and lists are not accepted.</summary>
    public static bool TryParse<TEnum>(string? value, out TEnum result) where TEnum : struct, Enum
    {
        result = default;
        var name = value?.Trim();
        // Names only: Enum.TryParse would also take "1" or "Lighting,Furniture".
        return !string.IsNullOrEmpty(name) && name.All(char.IsAsciiLetter)
            && Enum.TryParse(name, ignoreCase: true, out result);
    }

    /// <summary>"Lighting, DoorsWindows, …": the names a refusal lists.</summary>
    public static string List<TEnum>() where TEnum : struct, Enum => string.Join(", ", Enum.GetNames<TEnum>());
}
