using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Auth;

/// <summary>The texts of signing in and of one's account.</summary>
public sealed class AuthText
{
    public static readonly Texts L = new(typeof(AuthText));
}
