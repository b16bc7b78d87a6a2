namespace DispatchBoard.Web.Auth;

/// <summary>Where the sign-in page may send a person afterwards: a path of this site, never another site.</summary>
public static class ReturnUrls
{
    /// <summary>
    /// The return address when it is a local path, else the person's home. A browser drops tabs and newlines and reads
    /// "\" as "/", so "/%09/evil.example" or "/\evil.example" would leave the site: the address is decoded until it stops
    /// changing and must then still start with one "/" and hold no control character or space anywhere.
    /// </summary>
    public static string LocalOrHome(string? returnUrl, IEnumerable<string> roles)
    {
        var home = HomeFor(roles);
        if (string.IsNullOrEmpty(returnUrl) || !IsLocalPath(returnUrl))
        {
            return home;
        }
        var decoded = returnUrl;
        for (var i = 0; i < 5; i++)
        {
            var next = Uri.UnescapeDataString(decoded);
            if (next == decoded)
            {
                break;
            }
            decoded = next;
            if (!IsLocalPath(decoded))
            {
                return home;
            }
        }
        if (decoded != Uri.UnescapeDataString(decoded) || decoded.StartsWith("/login", StringComparison.OrdinalIgnoreCase))
        {
            return home;
        }
        return returnUrl;
    }

    /// <summary>The page a role starts on: the phone page for staff, the board for the office, the principal's desk.</summary>
    public static string HomeFor(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet(StringComparer.Ordinal);
        return set.Contains(Roles.Dispatcher) || set.Contains(Roles.Admin) ? "/board"
            : set.Contains(Roles.Staff) ? "/my"
            : set.Contains(Roles.Principal) ? "/principal"
            : "/";
    }

    private static bool IsLocalPath(string url) =>
        url.Length > 0 && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));
}
