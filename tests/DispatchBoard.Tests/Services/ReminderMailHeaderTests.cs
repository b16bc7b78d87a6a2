using DispatchBoard.Web.Reminders;
using MimeKit;

namespace DispatchBoard.Tests.Services;

/// <summary>A meeting's name or a person's name is typed by someone: it must never add a header to a reminder e-mail.</summary>
public sealed class ReminderMailHeaderTests
{
    [Theory]
    [InlineData("Staff meeting\r\nBcc: victim@evil.example")]
    [InlineData("Staff meeting\nBcc: victim@evil.example")]
    [InlineData("Staff meeting\rBcc: victim@evil.example")]
    [InlineData("Staff meeting\u2028Bcc: victim@evil.example")]
    public async Task ALineBreakInTheSubjectOrName_StartsNoHeader_AndReadsAsASpace(string typed)
    {
        using var message = ReminderMailer.Compose(new ReminderMail("li.na@school.example", typed, $"Reminder: {typed}", "Body", null),
            "DispatchBoard <dispatch@school.example>");
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream);
        stream.Position = 0;

        var parsed = await MimeMessage.LoadAsync(stream);

        Assert.Empty(parsed.Bcc);
        Assert.DoesNotContain(parsed.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Reminder: Staff meeting Bcc: victim@evil.example", parsed.Subject);
        Assert.Equal("li.na@school.example", Assert.Single(parsed.To.Mailboxes).Address);
    }
}
