using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Web.Inspections;

/// <summary>The safety checklist a school starts with; the administrator edits it afterwards on /admin/checklists.</summary>
public static class ChecklistDefaults
{
    public static readonly IReadOnlyDictionary<AreaKind, string[]> Items = new Dictionary<AreaKind, string[]>
    {
        [AreaKind.Classroom] = ["Lighting", "Sockets and wiring", "Windows and sashes", "Doors and locks", "Desks and stools", "Fire exit sign and route"],
        [AreaKind.Office] = ["Lighting", "Sockets and wiring", "Windows and sashes", "Doors and locks"],
        [AreaKind.ConferenceRoom] = ["Lighting", "Sockets and wiring", "Windows and sashes", "Chairs and tables", "Projector and screen"],
        [AreaKind.Restroom] = ["Lighting", "Taps and pipes (no leaks)", "Floor dry and not slippery", "Doors and locks"],
        [AreaKind.Stairwell] = ["Lighting", "Railings and stairs", "Fire extinguisher present and in date", "Exit route clear"],
        [AreaKind.Playground] = ["Playground equipment", "Ground surface", "Fences and gates"],
        [AreaKind.Canteen] = ["Lighting", "Water dispensers", "Sockets and wiring", "Fire extinguisher present and in date", "Tables and benches"],
        [AreaKind.Dormitory] = ["Lighting", "Sockets and wiring", "Windows and sashes", "Beds and lockers", "Fire exit route"],
        [AreaKind.General] = ["Lighting", "Fire extinguishers and exits", "Doors and locks"],
        [AreaKind.Other] = ["Lighting", "Fire extinguishers and exits", "Doors and locks"],
    };

    public static async Task SeedAsync(DispatchDbContext db, CancellationToken ct)
    {
        if (await db.ChecklistItems.AnyAsync(ct))
        {
            return;
        }
        foreach (var (kind, lines) in Items)
        {
            db.ChecklistItems.AddRange(lines.Select((text, i) => new ChecklistItemTemplate { Kind = kind, Text = text, SortOrder = i }));
        }
        await db.SaveChangesAsync(ct);
    }
}
