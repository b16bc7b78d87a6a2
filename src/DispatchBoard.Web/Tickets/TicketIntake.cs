using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// What arrives from the people who report problems: new reports (form, QR code, phone call, API, safety round) and the
/// reporter's answer once it is fixed (confirm with a rating, or reopen). Anonymous arrivals, from the form and the API
/// alike, pass one limit per client address here; staff and the office are not limited.
/// </summary>
public sealed class TicketIntake(
    IDbContextFactory<DispatchDbContext> dbFactory,
    AreaDirectory areas,
    TicketRouter router,
    TicketChanges changes,
    TicketQueries queries,
    DispatchNotifier notifier,
    NotificationService notifications,
    PhotoStore photoStore,
    IntakeRateLimiter limiter,
    ResponseClocks responseClocks,
    IOptions<SchoolOptions> school,
    SchoolClock clock,
    WriteTurns writeTurns,
    SchoolLanguage schoolLanguage,
    DispatchMetrics metrics)
{
    // A merged report's page shows the surviving ticket; only that ticket's own reporter confirms or reopens it.
    private static string JoinedElsewhere => L["Your report was joined with another report of the same problem; its first reporter confirms the fix."];
    private static string NoSuchReport => L["No report has this tracking code. Check the code on your confirmation (10 letters and digits)."];

    /// <summary>The area a QR poster or a link names, if it takes reports (it is not retired).</summary>
    public async Task<AreaInfo?> ReportableAreaAsync(string? code, CancellationToken ct = default) =>
        await areas.FindByCodeAsync(code, ct) is { IsRetired: false } area ? area : null;

    /// <summary>The places one can report a problem in, matching every typed word in their path or code ("204", "B floor 2").</summary>
    public async Task<IReadOnlyList<AreaInfo>> ReportableAreasAsync(string? search, CancellationToken ct = default)
    {
        var candidates = (await areas.GetAsync(ct)).InTreeOrder.Where(a => !a.IsRetired && a.Level != AreaLevel.Campus);
        var words = search?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return candidates.Where(a => words.All(w =>
            a.Path.Contains(w, StringComparison.CurrentCultureIgnoreCase) || a.Code.Contains(w, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    /// <param name="reportedBy">The signed-in person who reports (staff, the office taking a call); null for an anonymous reporter.</param>
    /// <param name="clientAddress">An anonymous reporter's address, for the per-address limit.</param>
    public async Task<ServiceResult<ReportedTicket>> ReportAsync(ReportTicket report, TicketChannel channel, Actor? reportedBy,
        string? clientAddress = null, CancellationToken ct = default)
    {
        // Followed from the request (its parent) through the commit to the publish: the trace of one report.
        using var activity = DispatchTracing.Source.StartActivity("ticket report");
        activity?.SetTag("dispatchboard.channel", channel.ToString());
        // An anonymous reporter spends a permit only once the report is valid, and before any photo is decoded or written;
        // their photos count against their network's day quota (staff photos do not).
        var anonymous = reportedBy is null;
        var prepared = await PrepareAsync(report, ct, anonymous ? ClientNetwork.KeyOf(clientAddress) : null,
            admit: anonymous ? () => limiter.TryAdmit(clientAddress) : null);
        if (!prepared.IsOk)
        {
            activity?.SetTag("dispatchboard.refused", prepared.Kind.ToString());
            return prepared.Cast<ReportedTicket>();
        }
        using var checkedReport = prepared.Value!;
        StagedTicket staged;
        // The write turn is held for the transaction only, not while the change is published: reports queue for it.
        using (var commit = DispatchTracing.Source.StartActivity("ticket report commit"))
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        using (await writeTurns.TakeAsync(db, ct))
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            staged = await StageAsync(db, checkedReport, channel, reportedBy, fixedOnTheSpot: null, ct);
            await transaction.CommitAsync(CancellationToken.None);
            commit?.SetTag("dispatchboard.ticket", staged.Ticket.Id);
        }
        activity?.SetTag("dispatchboard.ticket", staged.Ticket.Id);
        staged.Publish();
        var ticket = staged.Ticket;
        var officeHours = (await responseClocks.NowAsync(ct)).OutOfHoursNotice(ticket.Priority, ticket.Category, ticket.ReportedAt, clock.UtcNow, school.Value.OfficePhone);
        return ServiceResult<ReportedTicket>.Ok(new ReportedTicket(ticket.Id, ticket.TrackingCode, ticket.Status, checkedReport.PhotosNotKept, officeHours));
    }

    /// <summary>The reporter confirms the fix: the ticket closes with their 1–5 rating and comment.</summary>
    public async Task<ServiceResult<TicketDto>> ConfirmAsync(string? trackingCode, int? rating, string? comment, string? clientAddress = null,
        CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        if (rating is not (>= 1 and <= 5))
        {
            errors.Add("rating", L["Choose from 1 to 5 stars."]);
        }
        comment = errors.Text("comment", L["Comment"], comment, Ticket.RatingCommentMaxLength, required: false);
        var code = TrackingCode.Normalize(trackingCode);
        if (errors.Any)
        {
            return ServiceResult<TicketDto>.Invalid(errors);
        }
        if (Refused(clientAddress) is { } refused)
        {
            return refused;
        }
        return CountingMisses(clientAddress, await changes.UpdateAsync(t => t.TrackingCode == code, NoSuchReport, (edit, _) =>
        {
            if (edit.Ticket.MergedIntoId is not null)
            {
                edit.Refuse(ServiceResult<TicketDto>.Conflict(JoinedElsewhere));
                return Task.CompletedTask;
            }
            if (edit.From != TicketStatus.Resolved)
            {
                edit.Refuse(ServiceResult<TicketDto>.Conflict(NotResolvedYet(edit.From)));
                return Task.CompletedTask;
            }
            edit.Ticket.Status = TicketStatus.Closed;
            edit.Ticket.ClosedAt = edit.Now;
            edit.Ticket.Rating = rating;
            edit.Ticket.RatingComment = comment;
            edit.Record(TicketEventKind.Confirmed, null, null, () => comment is null ? L["Rated {0}/5", rating] : L["Rated {0}/5: {1}", rating, comment]);
            return Task.CompletedTask;
        }, ct));
    }

    /// <summary>The reporter says it is not fixed: the ticket goes back to the queue and is routed again.</summary>
    public async Task<ServiceResult<TicketDto>> ReopenAsync(string? trackingCode, string? comment, string? clientAddress = null,
        CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        comment = errors.Text("comment", L["What is still wrong"], comment, Ticket.NoteMaxLength, required: true);
        var code = TrackingCode.Normalize(trackingCode);
        if (errors.Any)
        {
            return ServiceResult<TicketDto>.Invalid(errors);
        }
        if (Refused(clientAddress) is { } refused)
        {
            return refused;
        }
        return CountingMisses(clientAddress, await changes.UpdateAsync(t => t.TrackingCode == code, NoSuchReport, async (edit, token) =>
        {
            if (edit.Ticket.MergedIntoId is not null)
            {
                edit.Refuse(ServiceResult<TicketDto>.Conflict(JoinedElsewhere));
                return;
            }
            if (edit.From != TicketStatus.Resolved)
            {
                edit.Refuse(ServiceResult<TicketDto>.Conflict(NotResolvedYet(edit.From)));
                return;
            }
            await changes.ReopenInPlaceAsync(edit, null, null, comment, token);
        }, ct));
    }

    private ServiceResult<TicketDto> CountingMisses(string? clientAddress, ServiceResult<TicketDto> result)
    {
        if (result.Kind == ResultKind.NotFound)
        {
            limiter.RecordTrackingMiss(clientAddress);
        }
        return result;
    }

    /// <summary>The reporter's answer to a fix: a wrong code counts towards the tracking limit, a write towards the intake limit.</summary>
    private ServiceResult<TicketDto>? Refused(string? clientAddress)
    {
        if (limiter.TrackingRefusal(clientAddress) is { } guessing)
        {
            return ServiceResult<TicketDto>.TooMany(guessing, limiter.TrackingWindow);
        }
        return limiter.TryAdmit(clientAddress) is { } refusal ? ServiceResult<TicketDto>.TooMany(refusal, limiter.Window) : null;
    }

    /// <summary>
    /// Checks a report and writes its photo files, before any transaction: what <see cref="StageAsync"/> then puts into
    /// one. Dispose the result once the transaction is over (it removes the files unless the ticket was published).
    /// A photo the reporter can fix (not a picture, too large, damaged) makes the report invalid; photos over a quota
    /// are left out and the report goes ahead, saying why (<see cref="PreparedReport.PhotosNotKept"/>).
    /// </summary>
    /// <param name="clientNetwork">An anonymous reporter's network key, for the per-network photo quota; null for staff.</param>
    /// <param name="admit">Asked once the report is valid and before any photo is decoded or written: a refusal it returns is the result.</param>
    public async Task<ServiceResult<PreparedReport>> PrepareAsync(ReportTicket report, CancellationToken ct = default, string? clientNetwork = null,
        Func<string?>? admit = null)
    {
        var errors = new ValidationErrors();
        var area = await ReportFields.AreaAsync(areas, report.AreaCode, errors, ct);
        var category = ReportFields.Category(report.Category, errors) ?? default;

        var description = errors.Text("description", L["Description"], report.Description, Ticket.DescriptionMaxLength, required: true);
        var location = errors.Text("locationDetail", L["Location detail"], report.LocationDetail, Ticket.LocationDetailMaxLength, required: false);
        var name = errors.Text("reporterName", L["Name"], report.ReporterName, Ticket.ReporterNameMaxLength, required: false);
        var contact = errors.Text("reporterContact", L["Contact"], report.ReporterContact, Ticket.ReporterContactMaxLength, required: false);
        var photos = photoStore.Check(report.Photos, errors);
        if (errors.Any)
        {
            return ServiceResult<PreparedReport>.Invalid(errors);
        }
        if (admit?.Invoke() is { } refusal)
        {
            return ServiceResult<PreparedReport>.TooMany(refusal, limiter.Window);
        }
        var priority = report.Urgent ? TicketPriority.Urgent : report.Priority ?? TicketPriority.Normal;
        var written = await photoStore.WriteAsync(photos, PhotoKind.Report, clientNetwork, clock.UtcNow, errors, ct);
        if (errors.Any)
        {
            return ServiceResult<PreparedReport>.Invalid(errors);
        }
        return ServiceResult<PreparedReport>.Ok(new PreparedReport(area!, category, priority, description!, location, name, contact,
            written.Photos, photoStore, written.NotKept));
    }

    /// <summary>
    /// The language the reporter's e-mails are written in: the request's (their page's) when they reported themselves,
    /// none (the school's) when the office took the report down from a phone call.
    /// </summary>
    public static string? ReporterLanguage(TicketChannel channel) =>
        channel == TicketChannel.Phone ? null : AppLanguages.Find(System.Globalization.CultureInfo.CurrentUICulture.Name)?.Name;

    /// <summary>
    /// Inserts the ticket, its history and its alerts into <paramref name="db"/>'s open transaction (the intake's own, or
    /// that of a use case committing its own change with it: a hazard and its checklist line); the caller commits, then
    /// publishes. With <paramref name="fixedOnTheSpot"/> the ticket is born resolved, by <paramref name="reportedBy"/>.
    /// </summary>
    public async Task<StagedTicket> StageAsync(DispatchDbContext db, PreparedReport draft, TicketChannel channel, Actor? reportedBy,
        FixedOnTheSpot? fixedOnTheSpot, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var ticket = new Ticket
        {
            TrackingCode = await UnusedTrackingCodeAsync(db, ct),
            AreaId = draft.Area.Id,
            Category = draft.Category,
            Priority = draft.Priority,
            Description = draft.Description,
            LocationDetail = draft.Location,
            ReporterName = draft.ReporterName,
            ReporterContact = draft.ReporterContact,
            // Only an e-mail address is ever written to; a phone number stays a contact for staff to read.
            ReporterEmail = ReporterEmailAddress.From(draft.ReporterContact),
            ReporterCulture = ReporterLanguage(channel),
            Channel = channel,
            Status = TicketStatus.New,
            ReportedAt = now,
            Version = 1,
        };
        var edit = new TicketEdit(db, ticket, now, await responseClocks.NowAsync(ct), schoolLanguage.Culture);
        edit.AddPhotos(draft.Photos);
        db.Tickets.Add(ticket);
        // Null for an anonymous reporter who gave no name: the history then says "Reporter" in the school's language.
        var reporter = reportedBy?.Name ?? draft.ReporterName;
        string? claimedBy = null;
        string? routedTo = null;
        if (fixedOnTheSpot is null)
        {
            // Saved before routing so the alerts can point at the ticket; the transaction keeps it all-or-nothing.
            await db.SaveChangesAsync(ct);
            var route = await router.QueueAsync(edit, ct);
            // Routed to a person (owner, backup, on call), the route names them; otherwise its words are about the office.
            routedTo = ticket.RoutedToId is null ? null : route.StaffName;
            // Staff reporting from a safety round need no alert about their own report.
            edit.Alerts.RemoveAll(a => a.UserId == reportedBy?.UserId);
            edit.Record(TicketEventKind.Reported, reportedBy, null,
                () => channel == TicketChannel.Phone ? L["Taken by phone. {0}", route.Note] : route.Note, actorName: reporter);
        }
        else
        {
            // Found and fixed there and then: nobody needs to be sent, so it is born resolved, by whoever fixed it.
            var staff = reportedBy is null ? null
                : await db.Staff.FirstOrDefaultAsync(s => s.UserId == reportedBy.UserId && s.IsActive, ct);
            TicketRouter.Requeue(edit);
            edit.Record(TicketEventKind.Reported, reportedBy, staff, () => L["Found on a safety round"], actorName: reporter);
            ticket.Version = 2;
            ticket.Status = TicketStatus.Resolved;
            ticket.ClaimedById = staff?.Id;
            claimedBy = staff?.DisplayName;
            ticket.ClaimedAt = ticket.OnSiteAt = ticket.ResolvedAt = now;
            // The reporter's own words, in the school's language around them (it is on the ticket for everyone).
            ticket.ResolutionNote = edit.InSchoolLanguage(() => L["Fixed on the spot during the safety round: {0}", fixedOnTheSpot.Note]);
            edit.Record(TicketEventKind.Resolved, reportedBy, staff, ticket.ResolutionNote);
        }
        var alerts = await notifications.StageAsync(db, edit.Alerts, ct);
        await db.SaveChangesAsync(ct);
        return new StagedTicket(await queries.NewTicketDtoAsync(ticket, claimedBy, routedTo, draft.Photos.Count, ct), draft, alerts, notifier, notifications, metrics);
    }

    /// <summary>
    /// Runs the intake's whole write path a few times in transactions it rolls back, before the app says it is ready:
    /// the first reports after a start otherwise pay for compiling the path's EF queries and update pipeline and
    /// jitting it (measured: ~150 ms for the first report, ~12 ms for the next few, against ~3 ms warm), and a live
    /// board's first minute after a restart is when that shows. Nothing is stored, published or alerted; with no place
    /// to report in (a new install) there is nothing to warm. Returns the last rolled-back ticket as the board would have
    /// been told of it, for warming the paths that tell (<see cref="Realtime.HubWarmUp"/>).
    /// </summary>
    public async Task<TicketDto?> WarmUpAsync(ILogger logger, CancellationToken ct)
    {
        TicketDto? sample = null;
        try
        {
            var area = (await areas.GetAsync(ct)).InTreeOrder.FirstOrDefault(a => !a.IsRetired && a.Level != AreaLevel.Campus);
            if (area is null)
            {
                return null;
            }
            for (var round = 0; round < 3; round++)
            {
                var prepared = await PrepareAsync(new ReportTicket(area.Code, nameof(TicketCategory.Lighting), "Start-up warm-up (rolled back)",
                    Urgent: false, ReporterName: null, ReporterContact: null, LocationDetail: null), ct);
                if (!prepared.IsOk)
                {
                    return sample;
                }
                using var draft = prepared.Value!;
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                using var turn = await writeTurns.TakeAsync(db, ct);
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                sample = (await StageAsync(db, draft, TicketChannel.Web, reportedBy: null, fixedOnTheSpot: null, ct)).Ticket;
                await transaction.RollbackAsync(ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Only a head start: a start-up never fails for it.
            logger.IntakeWarmUpFailed(ex);
        }
        return sample;
    }

    /// <summary>
    /// A code no ticket and no "me too" has. 50 random bits make a clash a once-in-a-lifetime event; checking inside the
    /// writing transaction (SQLite's are immediate: one writer at a time) keeps it from ever failing a report.
    /// </summary>
    internal static async Task<string> UnusedTrackingCodeAsync(DispatchDbContext db, CancellationToken ct)
    {
        var code = TrackingCode.New();
        while (await CodeTaken.For(db)(db, code, ct))
        {
            code = TrackingCode.New();
        }
        return code;
    }

    /// <summary>
    /// Whether a ticket or a "me too" has the code: one statement, its query compiled once (two LINQ queries translated
    /// again on every report were a twentieth of the intake's CPU).
    /// </summary>
    private static readonly CompiledPerModel<Func<DispatchDbContext, string, CancellationToken, Task<bool>>> CodeTaken = new(() => EF.CompileAsyncQuery(
        (DispatchDbContext db, string code, CancellationToken ct) => db.Tickets.Where(t => t.TrackingCode == code).Select(t => 1)
            .Concat(db.TicketReports.Where(r => r.TrackingCode == code).Select(r => 1)).Any()));

    private static string NotResolvedYet(TicketStatus status) => status switch
    {
        TicketStatus.Closed => L["This report is already closed."],
        TicketStatus.Cancelled => L["This report was cancelled by the office."],
        _ => L["This report is not marked fixed yet; you can confirm or reopen it once it is."],
    };
}
