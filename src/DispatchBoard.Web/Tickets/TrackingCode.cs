using System.Security.Cryptography;

namespace DispatchBoard.Web.Tickets;

/// <summary>
/// The code a reporter uses to follow a ticket: 10 characters of Crockford base32 (no I, L, O, U), 50 random bits,
/// so codes cannot be guessed or enumerated, and are easy to read out over the phone.
/// </summary>
public static class TrackingCode
{
    public const int Length = 10;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>Reads a code the way people type it: any case, with spaces or dashes; O→0, I/L→1.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40)
        {
            return null;
        }
        Span<char> code = stackalloc char[Length];
        var n = 0;
        foreach (var raw in input)
        {
            if (raw is ' ' or '-')
            {
                continue;
            }
            var c = char.ToUpperInvariant(raw) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (n == Length || !Alphabet.Contains(c))
            {
                return null;
            }
            code[n++] = c;
        }
        return n == Length ? new string(code) : null;
    }

    /// <summary>Groups the code for reading aloud: 7KQ2M-9XPRT.</summary>
    public static string Display(string code) => code.Length == Length ? $"{code[..5]}-{code[5..]}" : code;
}
