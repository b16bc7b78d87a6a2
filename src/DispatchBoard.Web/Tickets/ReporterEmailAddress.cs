using MimeKit;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// Whether what a reporter typed as their contact (or in the e-mail field) is an e-mail address the office may write to.
/// A phone number, a room or a name is not: those are only shown to staff.
/// </summary>
public static class ReporterEmailAddress
{
    public static string? From(string? contact)
    {
        var text = contact?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > Ticket.ReporterContactMaxLength || text.Any(char.IsWhiteSpace)
            || text.Count(c => c == '@') != 1)
        {
            return null;
        }
        if (!MailboxAddress.TryParse(text, out var mailbox) || mailbox.Address != text)
        {
            return null;
        }
        var domain = text[(text.IndexOf('@') + 1)..];
        return text.IndexOf('@') > 0 && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.') ? text : null;
    }
}
