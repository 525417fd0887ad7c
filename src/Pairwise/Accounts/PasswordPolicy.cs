using System.Globalization;
using System.Text;

namespace Pairwise.Accounts;

/// <summary>
/// Which new passwords we refuse, and why (OWASP ASVS 5, chapter 6): fewer than 8 visible
/// characters; one of the 100,000 most common passwords, also after undoing the usual disguises
/// (letters swapped for look-alike digits and symbols, digits and symbols added at either end); or
/// built from words the attacker knows for this account — the product's name, the e-mail address,
/// the display name. Checked on the NFKC form, so look-alike Unicode is no disguise either.
/// </summary>
public sealed class PasswordPolicy(CommonPasswords common)
{
    private static readonly string[] ProductWords = ["pairwise"];
    private const int MinimumVisible = 8;
    private const int MinimumOwnLetters = 4;

    /// <summary>Null when the password may be used; otherwise why not, for the person choosing it.</summary>
    public string? Refuse(string password, string email, string? displayName)
    {
        var normal = password.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var visible = Visible(normal);
        if (visible.Length < MinimumVisible)
        {
            return $"Use at least {MinimumVisible} visible characters; spaces and invisible characters do not count.";
        }
        var disguises = Undisguised(visible).ToList();
        if (disguises.Any(common.Contains))
        {
            return "This password is one of the most common ones, or a small change to one; choose another.";
        }
        var context = ProductWords.Concat(Words(email)).Concat(Words(displayName ?? "")).Where(w => w.Length >= 3).Distinct().ToList();
        foreach (var candidate in disguises)
        {
            var rest = context.Aggregate(candidate, (text, word) => text.Replace(word, "", StringComparison.Ordinal));
            var letters = new string([.. rest.Where(char.IsLetter)]);
            if (rest.Length < candidate.Length && (letters.Length < MinimumOwnLetters || common.Contains(letters)))
            {
                return "This password is built from this site's name, your e-mail address or your name; choose another.";
            }
        }
        return null;
    }

    /// <summary>Without spaces, controls and invisible format characters (zero-width spaces, joiners, marks).</summary>
    private static string Visible(string text) =>
        new([.. text.Where(c => !char.IsWhiteSpace(c) && CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.Control or UnicodeCategory.Format))]);

    /// <summary>The password as typed, then without digits and symbols at its ends, each also with look-alikes read as letters.</summary>
    private static IEnumerable<string> Undisguised(string password)
    {
        var trimmed = password.Trim("0123456789!@#$%^&*()_+-=.,?~`'\"[]{}<>/\\|:;".ToCharArray());
        foreach (var text in new[] { password, trimmed }.Where(t => t.Length > 0).Distinct())
        {
            yield return text;
            yield return Unleet(text, 'i');
            yield return Unleet(text, 'l');
        }
    }

    private static string Unleet(string text, char one) => string.Create(text.Length, (text, one), static (span, state) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = state.text[i] switch
            {
                '0' => 'o',
                '1' or '!' or '|' => state.one,
                '3' => 'e',
                '4' or '@' => 'a',
                '5' or '$' => 's',
                '7' or '+' => 't',
                '8' => 'b',
                var c => c,
            };
        }
    });

    private static IEnumerable<string> Words(string text) =>
        text.Normalize(NormalizationForm.FormKC).ToLowerInvariant()
            .Split(['@', '.', '_', '-', '+', ' ', '\'', ','], StringSplitOptions.RemoveEmptyEntries)
            .Select(word => new string([.. word.Where(char.IsLetter)]))
            .Where(word => word is not ("com" or "org" or "net" or "mail" or "gmail" or "example"));
}
