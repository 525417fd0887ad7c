using System.Globalization;
using System.Net;
using System.Text;
using Pairwise.Platform;

namespace Pairwise.Delivery;

/// <summary>One recommendation in a digest: what it is, where, and why it was picked.</summary>
/// <param name="Photo">The listing's first photo, absolute (mail clients fetch it), or null.</param>
public sealed record DigestEntry(string Title, string Market, double Score, string? Why, Uri? Photo = null);

/// <summary>
/// Every e-mail Pairwise sends, as a plain-text part and an HTML part (one simple, inline-styled
/// layout that mail clients render). Anything from users is HTML-encoded.
/// </summary>
public static class EmailTemplates
{
    public static EmailMessage Verification(string to, string code) => new(
        to,
        $"Your Pairwise code: {code}",
        $"Your code to verify this e-mail address is {code}.\r\nIt expires in 15 minutes. If you did not sign up, ignore this message.\r\n",
        Layout("Verify your e-mail address",
            $"<p>Your code to verify this e-mail address is</p><p style=\"font-size:28px;font-weight:bold;letter-spacing:4px\">{code}</p>"
            + "<p>It expires in 15 minutes. If you did not sign up, ignore this message.</p>"));

    public static EmailMessage PasswordReset(string to, string code) => new(
        to,
        $"Your Pairwise password reset code: {code}",
        $"Someone asked to reset the password of the Pairwise account with this address. The code is {code}; it expires in 15 minutes.\r\nIf it was not you, ignore this message: your password stays as it is.\r\n",
        Layout("Reset your password",
            $"<p>Someone asked to reset the password of the Pairwise account with this address. The code is</p><p style=\"font-size:28px;font-weight:bold;letter-spacing:4px\">{code}</p>"
            + "<p>It expires in 15 minutes. If it was not you, ignore this message: your password stays as it is.</p>"));

    public static EmailMessage ExportReady(string to, string path) => new(
        to,
        "Your Pairwise data export is ready",
        $"The copy of your data you asked for is ready for a week. Download it while signed in: GET {path}\r\n",
        Layout("Your data export is ready", $"<p>The copy of your data you asked for is ready for a week.</p><p>Download it while signed in: <code>GET {Encode(path)}</code></p>"));

    /// <summary>To the old address, after the account moved to a new one.</summary>
    public static EmailMessage EmailChanged(string to, string newAddress) => new(
        to,
        "Your Pairwise e-mail address was changed",
        $"The e-mail address of your Pairwise account is now {TextRules.Line(newAddress)}. If you did not change it, reply to this message at once.\r\n",
        Layout("Your e-mail address was changed",
            $"<p>The e-mail address of your Pairwise account is now <strong>{Encode(newAddress)}</strong>.</p><p>If you did not change it, reply to this message at once.</p>"));

    /// <param name="open">Where the app shows it (the conversation, the tray); <paramref name="unsubscribe"/> stops this type of e-mail. Both absent without a public address.</param>
    public static EmailMessage Notification(string to, string body, Uri? open = null, Uri? unsubscribe = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        // The body quotes other people's text (names, message previews): one line, whatever they typed.
        body = TextRules.Line(body);
        var text = new StringBuilder($"{body}\r\n\r\n");
        var html = new StringBuilder($"<p>{Encode(body)}</p>");
        if (open is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Open it in Pairwise: {open}\r\n\r\n");
            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{Encode(open.ToString())}\" style=\"display:inline-block;background:#5b3cc4;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none\">Open in Pairwise</a></p>");
        }
        Footer(text, html, "Change which notifications you receive by e-mail in your notification preferences.", unsubscribe, "Stop these e-mails");
        return new(to, body, text.ToString(), Layout(body, html.ToString()), headers);
    }

    private static void Footer(StringBuilder text, StringBuilder html, string why, Uri? unsubscribe, string stop)
    {
        text.Append(why).Append("\r\n");
        html.Append(CultureInfo.InvariantCulture, $"<p style=\"color:#666;font-size:12px\">{Encode(why)}");
        if (unsubscribe is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"{stop}: {unsubscribe}\r\n");
            html.Append(CultureInfo.InvariantCulture, $" <a href=\"{Encode(unsubscribe.ToString())}\" style=\"color:#666\">{Encode(stop)}</a>");
        }
        html.Append("</p>");
    }

    public static EmailMessage Digest(string to, string name, IReadOnlyList<DigestEntry> entries, Uri? open = null, Uri? unsubscribe = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        // Names, titles and reasons are other people's text: one line each, whatever they typed.
        name = TextRules.Line(name);
        var text = new StringBuilder($"Hello {name},\r\n\r\nYour top recommendations today:\r\n\r\n");
        var html = new StringBuilder($"<p>Hello {Encode(name)},</p><p>Your top recommendations today:</p><ol>");
        foreach (var entry in entries.Select(e => e with { Title = TextRules.Line(e.Title), Why = e.Why is null ? null : TextRules.Line(e.Why) }))
        {
            text.Append(CultureInfo.InvariantCulture, $"- {entry.Title} ({entry.Market})\r\n");
            html.Append("<li style=\"margin-bottom:12px\">");
            if (entry.Photo is { } photo)
            {
                html.Append(CultureInfo.InvariantCulture, $"<img src=\"{Encode(photo.ToString())}\" alt=\"\" width=\"96\" height=\"72\" style=\"float:left;margin:0 12px 4px 0;border-radius:6px;object-fit:cover\">");
            }
            html.Append(CultureInfo.InvariantCulture, $"<strong>{Encode(entry.Title)}</strong> <span style=\"color:#666\">{Encode(entry.Market)}</span>");
            if (entry.Why is { } why)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {why}\r\n");
                html.Append(CultureInfo.InvariantCulture, $"<br><span style=\"font-size:13px\">{Encode(why)}</span>");
            }
            html.Append("<br style=\"clear:both\"></li>");
        }
        html.Append("</ol>");
        if (open is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\r\nSee them in Pairwise: {open}\r\n");
            html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{Encode(open.ToString())}\" style=\"display:inline-block;background:#5b3cc4;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none\">See them in Pairwise</a></p>");
        }
        text.Append("\r\n");
        Footer(text, html, "You receive this once a day at the time you chose; turn it off in your digest settings.", unsubscribe, "Stop the daily digest");
        return new EmailMessage(to, $"Your {entries.Count} recommendations for today", text.ToString(), Layout("Today's recommendations", html.ToString()), headers);
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    private static string Layout(string title, string body) =>
        $"""
        <!doctype html>
        <html><head><meta charset="utf-8"><title>{Encode(title)}</title></head>
        <body style="margin:0;background:#f4f4f7;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1d1d1f">
        <div style="max-width:560px;margin:24px auto;background:#fff;border-radius:8px;padding:24px">
        <div style="font-weight:bold;color:#5b3cc4;margin-bottom:16px">Pairwise</div>
        {body}
        </div></body></html>
        """;
}
