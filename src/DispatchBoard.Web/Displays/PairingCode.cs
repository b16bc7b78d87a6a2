using System.Security.Cryptography;
using System.Text;

namespace DispatchBoard.Web.Displays;

/// <summary>
/// The one-time code a screen is paired with: 8 characters typed with a TV remote, from an alphabet without look-alikes
/// (none of 0 O D Q, 1 I L, 2 Z, 5 S, 8 B, G, U V), shown as ACEF-3479. 20^8 ≈ 2.6·10^10 codes, valid 10 minutes, with the
/// attempts rate-limited: not guessable in its lifetime. Only its hash is stored.
/// </summary>
public static class PairingCode
{
    public const int Length = 8;
    public const string Alphabet = "ACEFHJKMNPRTWXY34679";
    public static readonly TimeSpan ValidFor = TimeSpan.FromMinutes(10);

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>Reads a code the way people type it: any case, with spaces or dashes. Null when it cannot be a code.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32)
        {
            return null;
        }
        var code = new StringBuilder(Length);
        foreach (var raw in input)
        {
            if (raw is ' ' or '-')
            {
                continue;
            }
            var c = char.ToUpperInvariant(raw);
            if (code.Length == Length || !Alphabet.Contains(c))
            {
                return null;
            }
            code.Append(c);
        }
        return code.Length == Length ? code.ToString() : null;
    }

    public static string Hash(string normalized) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(normalized)));

    /// <summary>Groups the code for reading off a phone: ACEF-3479.</summary>
    public static string Display(string code) => code.Length == Length ? $"{code[..4]}-{code[4..]}" : code;
}
