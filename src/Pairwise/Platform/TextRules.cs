using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;

namespace Pairwise.Platform;

/// <summary>
/// What a name may contain, and how untrusted text goes into plain-text places (mail bodies and
/// subjects). Control characters would break lines in a mail; bidirectional overrides would make a
/// name read backwards ("‮gnp.exe" shows as "exe.png").
/// </summary>
public static class TextRules
{
    /// <summary>True when <paramref name="value"/> has no control characters, no bidi controls and no lone surrogates.</summary>
    public static bool IsCleanName(string value)
    {
        foreach (var rune in value.EnumerateRunes())
        {
            if (IsUnsafe(rune))
            {
                return false;
            }
        }
        return !HasLoneSurrogate(value);
    }

    /// <summary>One line of plain text: controls and line breaks become spaces, bidi controls go.</summary>
    public static string Line(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            if (IsBidiControl(rune))
            {
                continue;
            }
            text.Append(Rune.GetUnicodeCategory(rune) == UnicodeCategory.Control ? " " : rune.ToString());
        }
        return text.ToString();
    }

    private static bool IsUnsafe(Rune rune) => Rune.GetUnicodeCategory(rune) == UnicodeCategory.Control || IsBidiControl(rune);

    // LRM, RLM, ALM, the embeddings and overrides (LRE…RLO) and the isolates (LRI…PDI).
    private static bool IsBidiControl(Rune rune) => rune.Value is 0x200E or 0x200F or 0x061C or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>A display name, shop name or title: no control characters, line breaks or bidi controls.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class CleanNameAttribute : ValidationAttribute
{
    public CleanNameAttribute()
        : base("Must not contain control characters, line breaks or text-direction controls.")
    {
    }

    public override bool IsValid(object? value) => value is not string text || TextRules.IsCleanName(text);
}
