using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Web.Realtime;

/// <summary>Something that changed on the board, published after the change is committed.</summary>
public abstract record BoardEvent;

/// <summary>A ticket's full state at <see cref="TicketDto.Version"/>; listeners keep the newest version they saw.</summary>
public sealed record TicketChanged(TicketDto Ticket) : BoardEvent;

public sealed record StaffChanged(StaffDto Staff) : BoardEvent;

/// <summary>A new alert for one person (their bell and phone react).</summary>
public sealed record NotificationAdded(string UserId, NotificationDto Notification) : BoardEvent;

/// <summary>Some of a person's alerts were marked read (their other screens update the count).</summary>
public sealed record NotificationsRead(string UserId) : BoardEvent;

/// <summary>An escalation was raised or decided (the principal's inbox reacts).</summary>
public sealed record EscalationChanged(int EscalationId, int TicketId) : BoardEvent;

/// <summary>Safety rounds of a week were created or progressed (the board's rounds panel and the phones react).</summary>
public sealed record RoundsChanged(DateOnly WeekOf) : BoardEvent;

/// <summary>A meeting was created, edited or cancelled.</summary>
public sealed record MeetingsChanged(int? MeetingId) : BoardEvent;

/// <summary>A semester plan changed (planning page, the board's month panel, staff's own items).</summary>
public sealed record PlansChanged(int SemesterId) : BoardEvent;

/// <summary>A suggestion was submitted or answered.</summary>
public sealed record SuggestionsChanged(int SuggestionId) : BoardEvent;

/// <summary>
/// Events may have been missed (the cross-instance transport was down and is back): every live screen reloads its
/// snapshot. Nothing depends on a message never being lost.
/// </summary>
/// <param name="Round">Across instances: names one outage's resync, which its sender repeats until it hears it back (each
/// instance delivers a round once).</param>
public sealed record Resync(string? Round = null) : BoardEvent;

/// <summary>The duty roster's slots or swaps were edited (the roster page and each person's duty card reload).</summary>
public sealed record RosterChanged : BoardEvent;

/// <summary>An office display was created, given a new code, paired or revoked (the admin page reacts).</summary>
public sealed record DisplaysChanged(int DisplayId) : BoardEvent;
