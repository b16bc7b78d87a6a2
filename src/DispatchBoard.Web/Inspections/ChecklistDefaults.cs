using System.Globalization;
using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Languages;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Inspections.InspectionsText;

namespace DispatchBoard.Web.Inspections;

/// <summary>The safety checklist a school starts with; the administrator edits it afterwards on /admin/checklists.</summary>
public static class ChecklistDefaults
{
    /// <summary>The checklist in the current language (the school's, when it is seeded: see <see cref="SeedAsync"/>).</summary>
    public static IReadOnlyDictionary<AreaKind, string[]> Items() => new Dictionary<AreaKind, string[]>
    {
        [AreaKind.Classroom] = [L["Lighting"], L["Sockets and wiring"], L["Windows and sashes"], L["Doors and locks"], L["Desks and stools"], L["Fire exit sign and route"]],
        [AreaKind.Office] = [L["Lighting"], L["Sockets and wiring"], L["Windows and sashes"], L["Doors and locks"]],
        [AreaKind.ConferenceRoom] = [L["Lighting"], L["Sockets and wiring"], L["Windows and sashes"], L["Chairs and tables"], L["Projector and screen"]],
        [AreaKind.Restroom] = [L["Lighting"], L["Taps and pipes (no leaks)"], L["Floor dry and not slippery"], L["Doors and locks"]],
        [AreaKind.Stairwell] = [L["Lighting"], L["Railings and stairs"], L["Fire extinguisher present and in date"], L["Exit route clear"]],
        [AreaKind.Playground] = [L["Playground equipment"], L["Ground surface"], L["Fences and gates"]],
        [AreaKind.Canteen] = [L["Lighting"], L["Water dispensers"], L["Sockets and wiring"], L["Fire extinguisher present and in date"], L["Tables and benches"]],
        [AreaKind.Dormitory] = [L["Lighting"], L["Sockets and wiring"], L["Windows and sashes"], L["Beds and lockers"], L["Fire exit route"]],
        [AreaKind.General] = [L["Lighting"], L["Fire extinguishers and exits"], L["Doors and locks"]],
        [AreaKind.Other] = [L["Lighting"], L["Fire extinguishers and exits"], L["Doors and locks"]],
    };

    /// <summary>
    /// A new school's checklist, once, in <paramref name="language"/> (the school's: its lines are the school's own
    /// words from then on, edited on /admin/checklists).
    /// </summary>
    public static async Task SeedAsync(DispatchDbContext db, CultureInfo language, CancellationToken ct)
    {
        if (await db.ChecklistItems.AnyAsync(ct))
        {
            return;
        }
        IReadOnlyDictionary<AreaKind, string[]> items;
        using (AppLanguages.Use(language))
        {
            items = Items();
        }
        foreach (var (kind, lines) in items)
        {
            db.ChecklistItems.AddRange(lines.Select((text, i) => new ChecklistItemTemplate { Kind = kind, Text = text, SortOrder = i }));
        }
        await db.SaveChangesAsync(ct);
    }
}
