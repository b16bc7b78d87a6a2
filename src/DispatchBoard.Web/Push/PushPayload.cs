using System.Text;
using System.Text.Json;
using DispatchBoard.Web.Notifications;
using Microsoft.AspNetCore.WebUtilities;

namespace DispatchBoard.Web.Push;

/// <summary>
/// The JSON a device's service worker receives (the contract shared with wwwroot's service worker): what to show,
/// where a tap goes, and whether to offer "Claim".
/// </summary>
public sealed record PushPayload(string Title, string? Body, string Url, string Tag, long AlertId, int? TicketId, string Kind, bool Claim)
{
    /// <summary>Push services accept about 4 KB of ciphertext; the body is shortened to keep the whole payload under this.</summary>
    public const int MaxBytes = 3000;

    public const string TestKind = "Test";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The payload of one alert; <paramref name="recipientIsStaff"/> decides whether an urgent routed report offers "Claim".</summary>
    public static PushPayload For(Notification n, bool recipientIsStaff)
    {
        var url = n.Link is { Length: > 0 } link ? link : "/";
        if (n.TicketId is { } ticketId)
        {
            url = QueryHelpers.AddQueryString(url, "ticket", ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return new PushPayload(n.Title, n.Body, url, TagFor(n), n.Id, n.TicketId, n.Kind.ToString(),
            Claim: n.Kind == NotificationKind.Routed && n.Urgent && recipientIsStaff && n.TicketId is not null);
    }

    public static PushPayload Test() =>
        new("DispatchBoard test alert", "Alerts will reach this device.", "/notifications", "alert-test", 0, null, TestKind, false);

    /// <summary>One notification per ticket on the device (a newer alert about it replaces the older), one per other alert.</summary>
    public static string TagFor(Notification n) => n.TicketId is { } id ? $"ticket-{id}" : $"alert-{n.Id}";

    public string ToJson()
    {
        var json = JsonSerializer.Serialize(this, Json);
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes <= MaxBytes || Body is null)
        {
            return json;
        }
        // Shorten the body by what is over (in characters, at least one per excess byte), and mark it cut.
        var keep = Math.Max(0, Body.Length - (bytes - MaxBytes) - 1);
        return (this with { Body = Body[..keep] + "…" }).ToJson();
    }
}
