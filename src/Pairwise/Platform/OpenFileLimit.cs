using System.Globalization;

namespace Pairwise.Platform;

/// <summary>The process's open-file limit (each connection holds one), where the system tells it.</summary>
public static class OpenFileLimit
{
    /// <summary>The soft limit from <c>/proc/self/limits</c> on Linux; null elsewhere, or when unlimited.</summary>
    public static long? Soft()
    {
        const string Limits = "/proc/self/limits";
        if (!OperatingSystem.IsLinux() || !File.Exists(Limits))
        {
            return null;
        }
        foreach (var line in File.ReadLines(Limits))
        {
            // "Max open files            20000                20000                files"
            if (line.StartsWith("Max open files", StringComparison.Ordinal)
                && line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var soft, ..]
                && long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }
        return null;
    }
}
