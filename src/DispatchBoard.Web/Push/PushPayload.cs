using System.Text;
using System.Text.Json;
using DispatchBoard.Web.Notifications;
using Microsoft.AspNetCore.WebUtilities;
using System.Globalization;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Push.PushText;

namespace DispatchBoard.Web.Push;

/// <summary>
/// The JSON a device's service worker receives (the contract shared with wwwroot's service worker): what to show,
/// where a tap goes, and whether to offer "Claim" (with the words the worker shows around a claim, in the recipient's
/// language: the worker has no translations of its own).
/// </summary>
public sealed record PushPayload(string Title, string? Body, string Url, string Tag, long AlertId, int? TicketId, string Kind, bool Claim,
    PushWords? Words = null)
{
    /// <summary>Push services accept about 4 KB of ciphertext; the body is shortened to keep the whole payload under this.</summary>
    public const int MaxBytes = 3000;

    public const string TestKind = "Test";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The payload of one alert; <paramref name="recipientIsStaff"/> decides whether an urgent routed report offers "Claim".</summary>
    public static PushPayload For(Notification n, bool recipientIsStaff, CultureInfo culture)
    {
        var url = n.Link is { Length: > 0 } link ? link : "/";
        if (n.TicketId is { } ticketId)
        {
            url = QueryHelpers.AddQueryString(url, "ticket", ticketId.ToString(CultureInfo.InvariantCulture));
        }
        var claim = n.Kind == NotificationKind.Routed && n.Urgent && recipientIsStaff && n.TicketId is not null;
        return new PushPayload(n.Title, n.Body, url, TagFor(n), n.Id, n.TicketId, n.Kind.ToString(), claim, claim ? PushWords.In(culture) : null);
    }

    /// <summary>The alert a person sends themselves from /account to see that this device gets them, in their language.</summary>
    public static PushPayload Test(CultureInfo culture)
    {
        using var _ = AppLanguages.Use(culture);
        return new(L["DispatchBoard test alert"], L["Alerts will reach this device."], "/notifications", "alert-test", 0, null, TestKind, false);
    }

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

/// <summary>What the service worker says around a claim from the notification (wwwroot-assets/sw.js), in the recipient's language.</summary>
/// <param name="Claimed">"Claimed — go to {0}": the worker puts the place in.</param>
/// <param name="ServerAnswered">"The server answered {0}. …": the worker puts the HTTP status in.</param>
public sealed record PushWords(string Claim, string NoConnection, string SignIn, string SignInBody, string Claimed, string CouldNotClaim, string ServerAnswered)
{
    public static PushWords In(CultureInfo culture)
    {
        using var _ = AppLanguages.Use(culture);
        return new(L["Claim"], L["No connection: open the app to claim"], L["Sign in to claim"], L["Open DispatchBoard, sign in, then claim the job there."],
            L["Claimed — go to {0}"], L["Could not claim"], L["The server answered {0}. Open the app to claim."]);
    }
}
