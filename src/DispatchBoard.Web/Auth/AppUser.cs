using Microsoft.AspNetCore.Identity;

namespace DispatchBoard.Web.Auth;

public sealed class AppUser : IdentityUser
{
    public const int DisplayNameMaxLength = 100;

    public string DisplayName { get; set; } = "";

    /// <summary>False once an administrator deactivates the account: it signs in nowhere and open sessions end.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>The secret in the person's calendar feed address (/calendar/{token}.ics); regenerating it revokes the old one.</summary>
    public string? CalendarToken { get; set; }

    public const int CultureMaxLength = 16;

    /// <summary>
    /// The language the person chose (a culture name such as <c>zh-Hans</c>), or null when they have not: their pages,
    /// alerts, e-mails and calendar entries are in it. See Languages/.
    /// </summary>
    public string? Culture { get; set; }
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Dispatcher = "Dispatcher";
    public const string Staff = "Staff";
    public const string Principal = "Principal";

    /// <summary>A paired office screen (see Displays/). Not a person: never in <see cref="All"/>, never given to a user.</summary>
    public const string Display = "Display";

    /// <summary>The people's roles (what the people pages offer and list).</summary>
    public static readonly string[] All = [Admin, Dispatcher, Staff, Principal];
}

public static class Policies
{
    /// <summary>The dispatch screen and the staff API: dispatchers, staff and admins.</summary>
    public const string Board = nameof(Board);

    /// <summary>Assigning, cancelling and closing tickets: dispatchers and admins.</summary>
    public const string Dispatch = nameof(Dispatch);

    /// <summary>Staff members who take jobs (the phone page and the duty toggle).</summary>
    public const string StaffMember = nameof(StaffMember);

    public const string Admin = nameof(Admin);

    /// <summary>The principal's office: decisions on escalated jobs.</summary>
    public const string Principal = nameof(Principal);

    /// <summary>The office's figures: dispatchers, the principal and admins.</summary>
    public const string Reports = nameof(Reports);

    /// <summary>Anyone who may see a ticket's private details and photos: staff roles and the principal.</summary>
    public const string TicketReader = nameof(TicketReader);

    /// <summary>The office TV (/board/tv, read-only): the board's people and a paired office display.</summary>
    public const string Tv = nameof(Tv);

    /// <summary>
    /// A signed-in person, not a paired display: the default policy, so an endpoint or page that only says "signed in"
    /// (RequireAuthorization(), [Authorize]) is never open to a screen.
    /// </summary>
    public const string Person = nameof(Person);
}
