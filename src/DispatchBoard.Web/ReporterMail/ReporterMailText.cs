using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Web.ReporterMail;

/// <summary>
/// What a reporter reads: plain text, the place and kind of problem and the step, with the notes the tracking page shows
/// too (what was done, the principal's reason). Never a staff member's name or contact, never an internal note.
/// Every link is to the recipient's own tracking code: a merged report's or a "me too"'s page follows the surviving
/// ticket, and the survivor's own code (with its confirm and reopen) stays with the person who made that report.
/// </summary>
public static class ReporterMailText
{
    public static (string Subject, string Body) Compose(ReporterStep step, TicketEvent entry, Ticket ticket, Ticket? mergedInto,
        string? recipientName, string recipientCode, AreaDirectory.Snapshot areas, string publicBaseUrl, SchoolClock clock)
    {
        var site = publicBaseUrl.TrimEnd('/');
        var what = $"{ticket.Category.Label()} in {AreaPath(areas, ticket.AreaId)}";
        var track = $"{site}/track/{recipientCode}";
        var ownReport = recipientCode == ticket.TrackingCode;
        var note = string.IsNullOrWhiteSpace(entry.Note) ? null : entry.Note.Trim();
        string subject;
        string news;
        switch (step)
        {
            case ReporterStep.Claimed:
                subject = $"A caretaker has taken your report: {what}";
                news = "A caretaker has taken the job and will come to fix it.";
                break;
            case ReporterStep.OnSite:
                subject = $"A caretaker is on site: {what}";
                news = "A caretaker is on site now, working on it.";
                break;
            case ReporterStep.Resolved:
                subject = $"Fixed: {what}. Is it?";
                news = ownReport
                    ? $"""
                        The caretaker has marked it fixed.{(note is null ? "" : $"\nWhat was done: {note}")}

                        Is it fixed? Confirm it here (and rate the repair): {track}
                        Still broken? Send it back from the same page: {track}
                        """
                    : $"""
                        The caretaker has marked it fixed.{(note is null ? "" : $"\nWhat was done: {note}")}

                        The person who first reported it is asked to confirm the fix. Still broken? Report it again.
                        """;
                break;
            case ReporterStep.Decision:
                (subject, news) = entry.Kind switch
                {
                    TicketEventKind.Approved => ($"The principal's office approved the work: {what}",
                        "The principal's office approved the work; it goes ahead."),
                    TicketEventKind.Rejected => ($"The principal's office did not approve the work: {what}",
                        "The principal's office did not approve the work, so the report is closed."),
                    _ => ($"The principal's office will decide later: {what}",
                        "The principal's office will decide on the work later; we will write again when it does."),
                };
                if (note is not null)
                {
                    news += $"\nThe office's words: {note}";
                }
                break;
            case ReporterStep.Merged:
                var survivor = mergedInto!;
                subject = $"Your report was joined with another: {what}";
                news = $"""
                    Someone reported the same problem too, so your report was joined with theirs:
                    {survivor.Category.Label()} in {AreaPath(areas, survivor.AreaId)}.
                    The caretakers now work on that one; your tracking page follows it from now on: {track}
                    """;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step, null);
        }
        var greeting = string.IsNullOrWhiteSpace(recipientName) ? "Hello," : $"Hello {OneLine(recipientName)},";
        var body = $"""
            {greeting}

            Your report: {what}
            Reported {clock.ToLocal(ticket.ReportedAt):dddd d MMMM, HH:mm}

            {news}

            Follow your report: {track}
            """;
        return (Trim(OneLine(subject), ReporterMessage.SubjectMaxLength), Trim(body, ReporterMessage.BodyMaxLength - 1000));
    }

    /// <summary>The footer added when the message is sent: why they get it, and the stop link.</summary>
    public static string Footer(string stopLink) => $"""


        --
        You get this e-mail because you gave this address when you reported the problem.
        Stop e-mails for this report: {stopLink}
        """;

    private static string AreaPath(AreaDirectory.Snapshot areas, int areaId) => areas.ById.GetValueOrDefault(areaId)?.Path ?? $"area #{areaId}";

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\u0085', '\u2028', '\u2029'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Trim(string text, int max) => text.Length <= max ? text : TextCut.Head(text, max - 1) + "…";
}
