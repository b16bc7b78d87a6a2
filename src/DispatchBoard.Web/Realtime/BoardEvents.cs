using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Web.Realtime;

/// <summary>Something that changed on the board, published after the change is committed.</summary>
public abstract record BoardEvent;

/// <summary>A ticket's full state at <see cref="TicketDto.Version"/>; listeners keep the newest version they saw.</summary>
public sealed record TicketChanged(TicketDto Ticket) : BoardEvent;

public sealed record StaffChanged(StaffDto Staff) : BoardEvent;
