using static DispatchBoard.Web.Areas.AreasText;

namespace DispatchBoard.Web.Areas;

/// <summary>The words people see for the area enums, in the reader's language (the API and the CSV use the enum names).</summary>
public static class AreaText
{
    public static string Label(this AreaLevel level) => level switch
    {
        AreaLevel.Campus => L["Campus"],
        AreaLevel.Building => L["Building"],
        AreaLevel.Floor => L["Floor"],
        AreaLevel.Room => L["Room"],
        AreaLevel.Outdoor => L["Outdoor"],
        _ => level.ToString(),
    };

    public static string Label(this AreaKind kind) => kind switch
    {
        AreaKind.General => L["General"],
        AreaKind.Classroom => L["Classroom"],
        AreaKind.Office => L["Office"],
        AreaKind.ConferenceRoom => L["Conference room"],
        AreaKind.Restroom => L["Restroom"],
        AreaKind.Stairwell => L["Stairwell"],
        AreaKind.Playground => L["Playground"],
        AreaKind.Canteen => L["Canteen"],
        AreaKind.Dormitory => L["Dormitory"],
        AreaKind.Other => L["Other"],
        _ => kind.ToString(),
    };
}
