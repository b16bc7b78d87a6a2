using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// The dispatcher's correction of an open report. Each field is optional: null leaves it as it is; an empty location
/// detail clears it. Priority and category are enum names, as on intake.
/// </summary>
public sealed record CorrectTicket(
    string? Priority = null,
    string? Category = null,
    string? AreaCode = null,
    string? Description = null,
    string? LocationDetail = null);

/// <summary>
/// Triage: a dispatcher (or an admin) corrects an open ticket's priority, category, area, description and location
/// detail, with the same rules and limits as a new report. The correction is one change of the ticket
/// (<see cref="TicketChanges.UpdateAsync"/>): one <see cref="TicketEventKind.Edited"/> step listing every field old → new,
/// the response target counted again when priority or category change, the routing recomputed when the area of a
/// waiting ticket changes (its new first person alerted as for a new report), and the lead of a job told of it.
/// </summary>
public sealed class TicketTriage(TicketChanges changes, AreaDirectory areas, TicketRouter router)
{
    public static string NothingToChange => L["Nothing to change: give a new priority, category, area, description or location detail."];

    public async Task<ServiceResult<TicketDto>> CorrectAsync(int ticketId, CorrectTicket input, Actor actor, CancellationToken ct = default)
    {
        if (!actor.CanDispatch)
        {
            return ServiceResult<TicketDto>.Forbidden(L["Only a dispatcher can correct a ticket's details."]);
        }
        var errors = new ValidationErrors();
        TicketPriority? priority = null;
        if (input.Priority is not null)
        {
            if (EnumNames.TryParse<TicketPriority>(input.Priority, out var parsed))
            {
                priority = parsed;
            }
            else
            {
                errors.Add("priority", string.IsNullOrWhiteSpace(input.Priority)
                    ? L["Choose a priority: one of {0}.", EnumNames.List<TicketPriority>()]
                    : L["'{0}' is not a priority; use one of {1}.", ReportFields.Shorten(input.Priority), EnumNames.List<TicketPriority>()]);
            }
        }
        var category = input.Category is null ? null : ReportFields.Category(input.Category, errors);
        var area = input.AreaCode is null ? null : await ReportFields.AreaAsync(areas, input.AreaCode, errors, ct);
        var description = input.Description is null ? null
            : errors.Text("description", L["Description"], input.Description, Ticket.DescriptionMaxLength, required: true);
        var location = input.LocationDetail is null ? null
            : errors.Text("locationDetail", L["Location detail"], input.LocationDetail, Ticket.LocationDetailMaxLength, required: false);
        if (errors.Any)
        {
            return ServiceResult<TicketDto>.Invalid(errors);
        }
        if (input is { Priority: null, Category: null, AreaCode: null, Description: null, LocationDetail: null })
        {
            return Nothing();
        }

        return await changes.UpdateAsync(t => t.Id == ticketId, L["There is no ticket #{0}.", ticketId], async (edit, token) =>
        {
            var ticket = edit.Ticket;
            if (!edit.From.IsOpen())
            {
                edit.Refuse(ServiceResult<TicketDto>.Conflict(
                    L["Ticket #{0} is {1}: only open tickets can be corrected.", ticket.Id, edit.From.Label().ToLowerInvariant()]));
                return;
            }
            var directory = await areas.GetAsync(token);
            // Each changed field in words, written in the school's language for the history and in the lead's for their alert;
            // the values are read now (the ticket changes below).
            var fields = new List<Func<string>>();
            var wasUrgent = TicketRouter.IsUrgent(ticket);
            var clockChanged = false;
            if (priority is { } p && p != ticket.Priority)
            {
                var was = ticket.Priority;
                fields.Add(() => L["Priority: {0} → {1}", was.Label(), p.Label()]);
                ticket.Priority = p;
                clockChanged = true;
            }
            if (category is { } c && c != ticket.Category)
            {
                var was = ticket.Category;
                fields.Add(() => L["Category: {0} → {1}", was.Label(), c.Label()]);
                ticket.Category = c;
                clockChanged = true;
            }
            var areaMoved = area is not null && area.Id != ticket.AreaId;
            if (areaMoved)
            {
                var (oldId, oldName, newName) = (ticket.AreaId, directory.ById.GetValueOrDefault(ticket.AreaId)?.Name, area!.Name);
                fields.Add(() => L["Area: {0} → {1}", oldName ?? L["area #{0}", oldId], newName]);
                ticket.AreaId = area.Id;
            }
            if (description is not null && description != ticket.Description)
            {
                var (was, now) = (Quote(ticket.Description), Quote(description));
                fields.Add(() => L["Description: “{0}” → “{1}”", was, now]);
                ticket.Description = description;
            }
            if (input.LocationDetail is not null && location != ticket.LocationDetail)
            {
                var (was, now) = (ticket.LocationDetail is null ? null : Quote(ticket.LocationDetail), location is null ? null : Quote(location));
                fields.Add(() => L["Location: {0} → {1}", was is null ? L["(none)"] : L["“{0}”", was], now is null ? L["cleared"] : L["“{0}”", now]]);
                ticket.LocationDetail = location;
            }
            if (fields.Count == 0)
            {
                edit.Refuse(Nothing(L["The ticket already says that: nothing to change."]));
                return;
            }

            if (clockChanged)
            {
                if (ticket.PlannedFor is not null && !TicketPlans.MayWait(ticket.Priority, ticket.Category))
                {
                    // An urgent job or a hazard does not wait for a break.
                    ticket.PlannedFor = null;
                    fields.Add(() => L["Plan: cleared (urgent jobs and hazards do not wait for a break)"]);
                }
                ticket.ResponseDueAt = edit.Clock.DueAt(ticket.Priority, ticket.Category, ticket.QueuedAt, ticket.PlannedFor);
            }

            var actorStaff = await edit.Db.Staff.FirstOrDefaultAsync(s => s.UserId == actor.UserId, token);
            // A waiting ticket goes to whoever the new area (or a newly urgent report out of hours) calls for.
            if (edit.From == TicketStatus.New && (areaMoved || (!wasUrgent && TicketRouter.IsUrgent(ticket) && ticket.WaitingForOpening)))
            {
                var before = await Recipients.StaffAsync(edit.Db, ticket.RoutedToId, token);
                var firstNew = edit.Alerts.Count;
                var routed = await router.RouteAsync(edit, token);
                // Keyed by this version: a person routed the same ticket before still hears of it now, and only once.
                for (var i = edit.Alerts.Count - 1; i >= firstNew; i--)
                {
                    var alert = edit.Alerts[i];
                    if (alert.UserId == actor.UserId || alert.UserId == before?.UserId)
                    {
                        edit.Alerts.RemoveAt(i);
                        continue;
                    }
                    edit.Alerts[i] = alert with { Key = $"reroute:{ticket.Id}:{ticket.Version}:{alert.UserId}" };
                }
                fields.Add(() => L["Routing: {0}", routed.Note]);
            }
            string Note() => string.Join(L["; "], fields.Select(f => f()));
            edit.Record(TicketEventKind.Edited, actor, actorStaff, Note);

            // The lead keeps the job and hears what changed about it.
            if (edit.From != TicketStatus.New && await Recipients.StaffAsync(edit.Db, ticket.ClaimedById, token) is { } lead
                && lead.UserId != actor.UserId)
            {
                var areaName = directory.ById.GetValueOrDefault(ticket.AreaId)?.Name ?? $"area #{ticket.AreaId}";
                edit.Alert(new NewNotification(lead.UserId, NotificationKind.Corrected, ReaderText.Write(() => L["{0} corrected your job: {1}", actor.Name, areaName]),
                    ReaderText.Write(Note), ticket.Id, "/my", $"corrected:{ticket.Id}:{ticket.Version}:{lead.UserId}", Urgent: TicketRouter.IsUrgent(ticket)));
            }
        }, ct);
    }

    private static ServiceResult<TicketDto> Nothing(string? message = null)
    {
        var errors = new ValidationErrors();
        errors.Add("body", message ?? NothingToChange);
        return ServiceResult<TicketDto>.Invalid(errors);
    }

    /// <summary>A text in the timeline's note: the note has the same limit as the texts, so each is cut short.</summary>
    private static string Quote(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length > 120 ? TextCut.Head(line, 119) + "…" : line;
    }
}
