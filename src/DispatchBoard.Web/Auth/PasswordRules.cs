using Microsoft.AspNetCore.Identity;

namespace DispatchBoard.Web.Auth;

/// <summary>Identity's password rules as sentences that name the field, one per rule the password fails.</summary>
public static class PasswordRules
{
    /// <summary>What a new account's or a new password's field says before anything is typed.</summary>
    public const string Hint = "At least 8 characters, with a capital and a small letter, a digit and a symbol.";

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
        nameof(IdentityErrorDescriber.PasswordTooShort) => $"{label} must be at least {rules.RequiredLength} characters long.",
        nameof(IdentityErrorDescriber.PasswordRequiresUpper) => $"{label} needs a capital letter (A–Z).",
        nameof(IdentityErrorDescriber.PasswordRequiresLower) => $"{label} needs a small letter (a–z).",
        nameof(IdentityErrorDescriber.PasswordRequiresDigit) => $"{label} needs a digit (0–9).",
        nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric) => $"{label} needs a symbol such as ! # - or *.",
        nameof(IdentityErrorDescriber.PasswordRequiresUniqueChars) => $"{label} needs at least {rules.RequiredUniqueChars} different characters.",
        _ => $"{label}: {error.Description}",
    };
}
