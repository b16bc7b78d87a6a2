using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Tickets;

/// <summary>The texts of reporting, tracking and handling tickets.</summary>
public sealed class TicketsText
{
    public static readonly Texts L = new(typeof(TicketsText));
}
