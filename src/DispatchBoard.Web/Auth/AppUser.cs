using Microsoft.AspNetCore.Identity;

namespace DispatchBoard.Web.Auth;

public sealed class AppUser : IdentityUser
{
    public const int DisplayNameMaxLength = 100;

    public string DisplayName { get; set; } = "";
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Dispatcher = "Dispatcher";
    public const string Staff = "Staff";
    public const string Principal = "Principal";

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
}
