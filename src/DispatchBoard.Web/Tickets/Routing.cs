using DispatchBoard.Web.Areas;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

public enum RouteReason
{
    /// <summary>The area's owner (its own or inherited) is on duty.</summary>
    Owner,
    /// <summary>The owner is off duty; the backup is on duty.</summary>
    Backup,
    /// <summary>Neither is on duty: everyone on duty is alerted.</summary>
    EveryoneOnDuty,
    /// <summary>Nobody is on duty at all: the dispatcher is alerted.</summary>
    NobodyOnDuty,
    /// <summary>A report that is neither urgent nor a hazard, out of hours with nobody on duty: nobody is woken; it waits for the opening.</summary>
    OutOfHours,
    /// <summary>An urgent report or a hazard out of hours: the person on call (the duty roster) has it.</summary>
    OnCall,
}

public readonly record struct AreaRoute(RouteReason Reason, int? StaffId);

/// <summary>
/// Where a new ticket goes first: the owner of its area; if the owner is off duty, the backup; if neither is on duty,
/// everyone on duty. The routed person gets a personal alert; anyone on duty can still claim.
/// </summary>
public static class Routing
{
    public static AreaRoute Decide(AreaInfo area, IReadOnlySet<int> onDuty)
    {
        if (area.EffectiveOwnerId is { } owner && onDuty.Contains(owner))
        {
            return new AreaRoute(RouteReason.Owner, owner);
        }
        if (area.EffectiveBackupId is { } backup && onDuty.Contains(backup))
        {
            return new AreaRoute(RouteReason.Backup, backup);
        }
        return new AreaRoute(onDuty.Count > 0 ? RouteReason.EveryoneOnDuty : RouteReason.NobodyOnDuty, null);
    }

    /// <summary>Where the ticket went, in the current language (the school's, for its history).</summary>
    /// <param name="staffName">Who it was sent to; for <see cref="RouteReason.OutOfHours"/>, when the office opens.</param>
    public static string Describe(AreaRoute route, string? staffName) => route.Reason switch
    {
        RouteReason.Owner => L["Routed to {0} (responsible for this area)", staffName],
        RouteReason.Backup => L["Routed to {0} (covering; the area's owner is off duty)", staffName],
        RouteReason.EveryoneOnDuty => L["Nobody responsible for this area is on duty: everyone on duty was alerted"],
        RouteReason.OutOfHours => L["Received out of hours: it waits for the office to open ({0})", staffName],
        RouteReason.OnCall => L["Out of hours: sent to {0}, on call", staffName],
        _ => L["Nobody is on duty: the dispatcher was alerted"],
    };
}
