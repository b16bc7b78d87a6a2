using System.Globalization;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Languages;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Staff;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// One change to one ticket, inside <see cref="TicketChanges.UpdateAsync"/>: the ticket is loaded and its version already
/// bumped; the edit changes it, records events and alerts, or refuses. Saving, retrying a lost race and publishing are
/// the service's job, so every feature that changes tickets gets them the same way. What it writes into the ticket's
/// history is in the school's language (<paramref name="schoolCulture"/>), whatever the language of whoever changed it.
/// </summary>
public sealed class TicketEdit(DispatchDbContext db, Ticket ticket, DateTimeOffset now, ResponseClock clock, CultureInfo schoolCulture)
{
    public DispatchDbContext Db { get; } = db;
    public Ticket Ticket { get; } = ticket;
    public DateTimeOffset Now { get; } = now;

    /// <summary>The school's time rules as they stand for this change (targets, levels, opening hours).</summary>
    public ResponseClock Clock { get; } = clock;

    /// <summary>The school's language (<see cref="SchoolLanguage"/>): the history's notes are written in it.</summary>
    public CultureInfo SchoolCulture { get; } = schoolCulture;

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

    /// <summary>Writes <paramref name="write"/> in the school's language: its <c>L["…"]</c>, labels and formats read the school's culture.</summary>
    public string InSchoolLanguage(Func<string> write) => SchoolLanguage.Write(SchoolCulture, write);

    /// <summary>
    /// A step of the ticket's history whose note the app writes (<c>() => L["Merged into #{0} ({1})", …]</c>): written
    /// at once, in the school's language. A person's own words inside it stay as typed.
    /// </summary>
    public TicketEvent Record(TicketEventKind kind, Actor? actor, StaffMember? staff, Func<string?> note, string? actorName = null) =>
        Record(kind, actor, staff, InSchoolLanguage(() => note() ?? "") is { Length: > 0 } written ? written : null, actorName);

    /// <summary>A step of the ticket's history whose note is a person's own words (or none), stored as typed.</summary>
    public TicketEvent Record(TicketEventKind kind, Actor? actor, StaffMember? staff, string? note, string? actorName = null)
    {
        // Who did it when it was nobody signed in (an anonymous reporter) or the app itself: words, in the school's language.
        var name = actorName ?? (actor is null ? InSchoolLanguage(() => L["Reporter"])
            : actor.UserId == Actor.System.UserId ? InSchoolLanguage(() => L["DispatchBoard (automatic)"])
            : actor.Name);
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
