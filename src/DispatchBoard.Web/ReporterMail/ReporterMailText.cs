using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Tickets;
using static DispatchBoard.Web.ReporterMail.ReporterMailsText;

namespace DispatchBoard.Web.ReporterMail;

/// <summary>
/// What a reporter reads: plain text, the place and kind of problem and the step, with the notes the tracking page shows
/// too (what was done, the principal's reason). Never a staff member's name or contact, never an internal note.
/// Every link is to the recipient's own tracking code: a merged report's or a "me too"'s page follows the surviving
/// ticket, and the survivor's own code (with its confirm and reopen) stays with the person who made that report.
/// </summary>
public static class ReporterMailText
{
    /// <summary>The message for one reporter, in the current culture (set it to theirs: <see cref="ReporterRecipient.Culture"/>).</summary>
    public static (string Subject, string Body) Compose(ReporterStep step, TicketEvent entry, Ticket ticket, Ticket? mergedInto,
        string? recipientName, string recipientCode, AreaDirectory.Snapshot areas, string publicBaseUrl, SchoolClock clock)
    {
        var site = publicBaseUrl.TrimEnd('/');
        var what = L["{0} in {1}", ticket.Category.Label(), AreaPath(areas, ticket.AreaId)];
        var track = $"{site}/track/{recipientCode}";
        var ownReport = recipientCode == ticket.TrackingCode;
        var note = string.IsNullOrWhiteSpace(entry.Note) ? null : entry.Note.Trim();
        var whatWasDone = note is null ? "" : "\n" + L["What was done: {0}", note];
        string subject;
        string news;
        switch (step)
        {
            case ReporterStep.Claimed:
                subject = L["A caretaker has taken your report: {0}", what];
                news = L["A caretaker has taken the job and will come to fix it."];
                break;
            case ReporterStep.OnSite:
                subject = L["A caretaker is on site: {0}", what];
                news = L["A caretaker is on site now, working on it."];
                break;
            case ReporterStep.Resolved:
                subject = L["Fixed: {0}. Is it?", what];
                news = L["The caretaker has marked it fixed."] + whatWasDone + "\n\n" + (ownReport
                    ? L["Is it fixed? Confirm it here (and rate the repair): {0}", track] + "\n" + L["Still broken? Send it back from the same page: {0}", track]
                    : L["The person who first reported it is asked to confirm the fix. Still broken? Report it again."]);
                break;
            case ReporterStep.Decision:
                (subject, news) = entry.Kind switch
                {
                    TicketEventKind.Approved => (L["The principal's office approved the work: {0}", what],
                        L["The principal's office approved the work; it goes ahead."]),
                    TicketEventKind.Rejected => (L["The principal's office did not approve the work: {0}", what],
                        L["The principal's office did not approve the work, so the report is closed."]),
                    _ => (L["The principal's office will decide later: {0}", what],
                        L["The principal's office will decide on the work later; we will write again when it does."]),
                };
                if (note is not null)
                {
                    news += "\n" + L["The office's words: {0}", note];
                }
                break;
            case ReporterStep.Merged:
                var survivor = mergedInto!;
                subject = L["Your report was joined with another: {0}", what];
                news = string.Join("\n",
                    L["Someone reported the same problem too, so your report was joined with theirs:"],
                    L["{0} in {1}.", survivor.Category.Label(), AreaPath(areas, survivor.AreaId)],
                    L["The caretakers now work on that one; your tracking page follows it from now on: {0}", track]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step, null);
        }
        var greeting = string.IsNullOrWhiteSpace(recipientName) ? L["Hello,"] : L["Hello {0},", OneLine(recipientName)];
        var body = string.Join("\n",
            greeting,
            "",
            L["Your report: {0}", what],
            L["Reported {0}", Dates.DayAndTime(clock.ToLocal(ticket.ReportedAt))],
            "",
            news,
            "",
            L["Follow your report: {0}", track]);
        return (Trim(OneLine(subject), ReporterMessage.SubjectMaxLength), Trim(body, ReporterMessage.BodyMaxLength - 1000));
    }

    /// <summary>The footer added when the message is sent, in the current culture: why they get it, and the stop link.</summary>
    public static string Footer(string stopLink) =>
        "\n\n--\n" + L["You get this e-mail because you gave this address when you reported the problem."] + "\n" + L["Stop e-mails for this report: {0}", stopLink];

    private static string AreaPath(AreaDirectory.Snapshot areas, int areaId) => areas.ById.GetValueOrDefault(areaId)?.Path ?? $"#{areaId}";

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\u0085', '\u2028', '\u2029'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Trim(string text, int max) => text.Length <= max ? text : TextCut.Head(text, max - 1) + "…";
}
