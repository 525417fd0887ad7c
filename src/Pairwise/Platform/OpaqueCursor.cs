using System.Buffers.Text;
using System.Text;

namespace Pairwise.Platform;

/// <summary>
/// The one cursor codec for cursors we make ourselves (a feed position, a browse position): the
/// text is wrapped so that clients treat it as opaque, and anything that does not decode is null.
/// </summary>
public static class OpaqueCursor
{
    public static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public static string? Decode(string cursor)
    {
        if (cursor.Length > 1024)
        {
            return null;
        }
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
