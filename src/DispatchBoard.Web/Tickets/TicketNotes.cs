using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Photos;
using Microsoft.EntityFrameworkCore;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// Internal notes: any active staff member or the dispatcher writes a note on a ticket, with photos if they like,
/// without changing its status. A note is a <see cref="TicketEventKind.Note"/> step (staff only: never on the tracking
/// page or in a reporter's e-mail); its photos are <see cref="PhotoKind.Note"/>, linked to that step, and served to staff
/// only. The lead of the job hears of a note someone else wrote, once per note.
/// </summary>
public sealed class TicketNotes(TicketChanges changes, AreaDirectory areas, PhotoStore photoStore)
{
    public async Task<ServiceResult<TicketDto>> AddAsync(int ticketId, string? text, Actor actor, IReadOnlyList<PhotoUpload>? photos = null,
        CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var note = errors.Text("note", L["Note"], text, Ticket.NoteMaxLength, required: true);
        var checkedPhotos = photoStore.Check(photos, errors);
        if (checkedPhotos.Count > photoStore.Options.MaxPerReport)
        {
            errors.Add("photos", L["At most {0} photos go with a note (got {1}); leave some out.", photoStore.Options.MaxPerReport, checkedPhotos.Count]);
        }
        if (errors.Any)
        {
            return ServiceResult<TicketDto>.Invalid(errors);
        }

        return await changes.UpdateAsync(t => t.Id == ticketId, L["There is no ticket #{0}.", ticketId], async (edit, token) =>
        {
            var ticket = edit.Ticket;
            var staff = await edit.Db.Staff.FirstOrDefaultAsync(s => s.UserId == actor.UserId && s.IsActive, token);
            if (staff is null && !actor.CanDispatch)
            {
                edit.Refuse(ServiceResult<TicketDto>.Forbidden(L["Only the staff and the dispatcher can add notes to a ticket."]));
                return;
            }
            var entry = edit.Record(TicketEventKind.Note, actor, staff, note);
            // Checked before the write lock, as a fix's photos are; the disk quota still holds.
            var photoErrors = new ValidationErrors();
            var written = await photoStore.WriteAsync(checkedPhotos, PhotoKind.Note, null, edit.Now, photoErrors, token);
            edit.AddPhotos(written.Photos);
            foreach (var photo in written.Photos)
            {
                photo.TicketEvent = entry;
            }
            if (written.NotKept is { } notKept)
            {
                photoErrors.Add("photos", L["The photos were not kept: {0} Add the note without them.", notKept]);
            }
            if (photoErrors.Any)
            {
                edit.Refuse(ServiceResult<TicketDto>.Invalid(photoErrors));
                return;
            }

            if (await Recipients.StaffAsync(edit.Db, ticket.ClaimedById, token) is { } lead && lead.UserId != actor.UserId)
            {
                var area = (await areas.GetAsync(token)).ById.GetValueOrDefault(ticket.AreaId)?.Name ?? $"area #{ticket.AreaId}";
                var body = note!.Length > 140 ? TextCut.Head(note, 139) + "…" : note;
                var photos = written.Photos.Count;
                edit.Alert(new NewNotification(lead.UserId, NotificationKind.Note, ReaderText.Write(() => photos switch
                    {
                        0 => L["{0} left a note on your job: {1}", actor.Name, area],
                        1 => L["{0} left a note on your job: {1} (with a photo)", actor.Name, area],
                        _ => L["{0} left a note on your job: {1} (with {2} photos)", actor.Name, area, photos],
                    }),
                    body, ticket.Id, "/my", $"note:{ticket.Id}:{ticket.Version}:{lead.UserId}"));
            }
        }, ct);
    }
}
