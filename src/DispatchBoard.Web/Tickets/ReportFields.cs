using DispatchBoard.Web.Areas;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// The area and category of a report, read the same way wherever they are typed: a new report, a "me too", the
/// dispatcher's correction. Each problem is named under its field with the same words.
/// </summary>
public static class ReportFields
{
    /// <summary>The area that takes reports under <paramref name="code"/>, or null with the reason under "areaCode".</summary>
    public static async Task<AreaInfo?> AreaAsync(AreaDirectory areas, string? code, ValidationErrors errors, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            errors.Add("areaCode", L["Choose the area where the problem is."]);
            return null;
        }
        var area = await areas.FindByCodeAsync(code, ct);
        if (area is null)
        {
            errors.Add("areaCode", L["There is no area with the code '{0}'.", Shorten(code)]);
            return null;
        }
        if (area.IsRetired)
        {
            errors.Add("areaCode", L["{0} no longer takes reports; choose the area it was replaced by.", area.Name]);
            return null;
        }
        return area;
    }

    /// <summary>The category named by <paramref name="text"/>, or null with the reason under "category".</summary>
    public static TicketCategory? Category(string? text, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add("category", L["Choose what kind of problem it is."]);
            return null;
        }
        if (!EnumNames.TryParse<TicketCategory>(text, out var category))
        {
            errors.Add("category", L["'{0}' is not a category; use one of {1}.", Shorten(text), EnumNames.List<TicketCategory>()]);
            return null;
        }
        return category;
    }

    /// <summary>What someone typed, cut short for a message (it may be a page of text).</summary>
    public static string Shorten(string value) => value.Length > 40 ? TextCut.Head(value, 40) + "…" : value;
}
