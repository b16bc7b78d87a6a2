using Microsoft.AspNetCore.Identity;
using static DispatchBoard.Web.Auth.AuthText;

namespace DispatchBoard.Web.Auth;

/// <summary>Identity's password rules as sentences that name the field, one per rule the password fails.</summary>
public static class PasswordRules
{
    /// <summary>What a new account's or a new password's field says before anything is typed.</summary>
    public static string Hint => L["At least 8 characters, with a capital and a small letter, a digit and a symbol."];

    public static async Task<List<string>> CheckAsync(UserManager<AppUser> users, AppUser user, string password, string label)
    {
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            problems.AddRange(result.Errors.Select(e => Describe(e, label, users.Options.Password)));
        }
        return problems;
    }

    public static string Describe(IdentityError error, string label, PasswordOptions rules) => error.Code switch
    {
        nameof(IdentityErrorDescriber.PasswordTooShort) => L["{0} must be at least {1} characters long.", label, rules.RequiredLength],
        nameof(IdentityErrorDescriber.PasswordRequiresUpper) => L["{0} needs a capital letter (A–Z).", label],
        nameof(IdentityErrorDescriber.PasswordRequiresLower) => L["{0} needs a small letter (a–z).", label],
        nameof(IdentityErrorDescriber.PasswordRequiresDigit) => L["{0} needs a digit (0–9).", label],
        nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric) => L["{0} needs a symbol such as ! # - or *.", label],
        nameof(IdentityErrorDescriber.PasswordRequiresUniqueChars) => L["{0} needs at least {1} different characters.", label, rules.RequiredUniqueChars],
        _ => $"{label}: {error.Description}",
    };
}
