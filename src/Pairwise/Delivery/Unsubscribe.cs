using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pairwise.Platform;

namespace Pairwise.Delivery;

/// <summary>
/// Stops one kind of mail for one person: a feature that sends a kind of mail (a notification type,
/// the digest) implements it for its topics. Delivery carries the links and the endpoint; it calls up
/// only through this hook (ADR 14).
/// </summary>
public interface IUnsubscribeHandler
{
    /// <summary>True when this handler owns <paramref name="topic"/> ("notification:message", "digest").</summary>
    bool Handles(string topic);

    /// <summary>Turns that mail off for the user; what the confirmation page says it stopped.</summary>
    Task<string> UnsubscribeAsync(string userId, string topic, CancellationToken cancellationToken);
}

/// <summary>
/// One-click unsubscribe links (RFC 8058): a token naming the user and the topic, protected with the
/// deployment's data-protection keys (so it cannot be forged or turned to another person), under
/// <c>Pairwise:PublicUrl</c>. Without a public address no link is offered.
/// </summary>
public sealed class UnsubscribeLinks(IDataProtectionProvider protection, IOptions<PairwiseOptions> options)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Pairwise.Unsubscribe.v1");

    /// <summary>The headers that let mail clients offer "unsubscribe" and do it with one POST; empty without a public address.</summary>
    public IReadOnlyDictionary<string, string> Headers(string userId, string topic) =>
        Link(userId, topic) is { } link
            ? new Dictionary<string, string> { ["List-Unsubscribe"] = $"<{link}>", ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click" }
            : new Dictionary<string, string>();

    public Uri? Link(string userId, string topic) =>
        options.Value.PublicUrl is { } root
            ? new Uri(root, $"/v1/unsubscribe?token={Uri.EscapeDataString(_protector.Protect($"{userId}\n{topic}"))}")
            : null;

    /// <summary>A link into the web app (<c>#/chat/…</c>), or null without a public address.</summary>
    public Uri? App(string route) => Absolute("/#" + route);

    /// <summary>A path of this deployment as an absolute address (an image in a mail), or null without a public address.</summary>
    public Uri? Absolute(string path) => options.Value.PublicUrl is { } root ? new Uri(root, path) : null;

    public (string UserId, string Topic)? Read(string token)
    {
        try
        {
            return _protector.Unprotect(token).Split('\n') is [var user, var topic] ? (user, topic) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

public static class UnsubscribeEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var unsubscribe = v1.MapGroup("/unsubscribe").WithTags("Notifications").AllowAnonymous().DisableAntiforgery();
        unsubscribe.MapGet("/", Confirm).WithSummary("The page an unsubscribe link opens")
            .WithDescription("Asks before stopping anything (a link scanner's GET must not unsubscribe anyone); its button posts the same token.");
        unsubscribe.MapPost("/", Unsubscribe).WithSummary("Unsubscribe with one click (RFC 8058)")
            .WithDescription("The token from a mail's List-Unsubscribe header or link; no sign-in. Stops that kind of mail for its owner.");
        return v1;
    }

    public static Results<ContentHttpResult, ValidationProblem> Confirm(string? token, UnsubscribeLinks links) =>
        token is not null && links.Read(token) is not null
            ? TypedResults.Content(Page("Unsubscribe?",
                $"""<form method="post" action="/v1/unsubscribe?token={Uri.EscapeDataString(token)}"><p>Stop this kind of e-mail from Pairwise?</p><button type="submit">Unsubscribe</button></form>"""),
                "text/html; charset=utf-8")
            : Problems.Invalid("token", "This unsubscribe link is not valid.");

    public static async Task<Results<ContentHttpResult, ValidationProblem>> Unsubscribe(
        string? token, UnsubscribeLinks links, IEnumerable<IUnsubscribeHandler> handlers, CancellationToken cancellationToken)
    {
        if (token is null || links.Read(token) is not var (userId, topic))
        {
            return Problems.Invalid("token", "This unsubscribe link is not valid.");
        }
        if (handlers.FirstOrDefault(h => h.Handles(topic)) is not { } handler)
        {
            return Problems.Invalid("token", "This unsubscribe link is for mail that is no longer sent.");
        }
        var stopped = await handler.UnsubscribeAsync(userId, topic, cancellationToken);
        return TypedResults.Content(Page("Unsubscribed", $"<p>Done: {System.Net.WebUtility.HtmlEncode(stopped)}</p>"), "text/html; charset=utf-8");
    }

    private static string Page(string title, string body) =>
        new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>")
            .Append(title).Append("</title></head><body style=\"font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem\"><h1>")
            .Append(title).Append("</h1>").Append(body).Append("</body></html>").ToString();
}
