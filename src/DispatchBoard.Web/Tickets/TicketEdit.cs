using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Staff;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// One change to one ticket, inside <see cref="TicketChanges.UpdateAsync"/>: the ticket is loaded and its version already
/// bumped; the edit changes it, records events and alerts, or refuses. Saving, retrying a lost race and publishing are
/// the service's job, so every feature that changes tickets gets them the same way.
/// </summary>
public sealed class TicketEdit(DispatchDbContext db, Ticket ticket, DateTimeOffset now, ResponseClock clock)
{
    public DispatchDbContext Db { get; } = db;
    public Ticket Ticket { get; } = ticket;
    public DateTimeOffset Now { get; } = now;

    /// <summary>The school's time rules as they stand for this change (targets, levels, opening hours).</summary>
    public ResponseClock Clock { get; } = clock;

    /// <summary>The status before this change.</summary>
    public TicketStatus From { get; } = ticket.Status;

    internal ServiceResult<TicketDto>? Refusal { get; private set; }
    internal List<NewNotification> Alerts { get; } = [];
    internal List<BoardEvent> AlsoPublish { get; } = [];
    internal List<Photo> WrittenPhotos { get; } = [];

    public void Refuse(ServiceResult<TicketDto> refusal) => Refusal = refusal;

    public void Refuse(MoveDecision decision) => Refusal = RefusalOf(decision);

    public static ServiceResult<TicketDto> RefusalOf(MoveDecision decision) => decision.Kind == ResultKind.Forbidden
        ? ServiceResult<TicketDto>.Forbidden(decision.Message!)
        : ServiceResult<TicketDto>.Conflict(decision.Message!);

    public void Alert(NewNotification alert) => Alerts.Add(alert);

    public void Publish(BoardEvent boardEvent) => AlsoPublish.Add(boardEvent);

    public void AddPhotos(IEnumerable<Photo> photos)
    {
        foreach (var photo in photos)
        {
            photo.Ticket = Ticket;
            Db.Photos.Add(photo);
            WrittenPhotos.Add(photo);
        }
    }

    public TicketEvent Record(TicketEventKind kind, Actor? actor, StaffMember? staff, string? note, string? actorName = null)
    {
        var name = actorName ?? actor?.Name ?? "Reporter";
        var entry = new TicketEvent
        {
            At = Now,
            Kind = kind,
            FromStatus = kind == TicketEventKind.Reported ? null : From,
            ToStatus = Ticket.Status,
            ActorName = name.Length > TicketEvent.ActorNameMaxLength ? name[..TicketEvent.ActorNameMaxLength] : name,
            ActorUserId = actor?.UserId,
            ActorStaffId = staff?.Id,
            Note = note,
            Version = Ticket.Version,
        };
        Ticket.Events.Add(entry);
        return entry;
    }
}
