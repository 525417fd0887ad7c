using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Accounts;
using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Profiles;

namespace Pairwise.Notifications;

/// <summary>
/// Operator notices (seed 000's "marketing" and "account" notifications, and "recommendations
/// ready"): one notice to an audience — one user, a market's side, a market, or everyone with a
/// profile — through every channel each person allows. Marketing reaches only those who opted in.
/// </summary>
public sealed class Notices(Notifier notifier, ProfileStore profiles, UserStore users, MarketCatalog markets)
{
    public static readonly string[] Types = [NotificationTypes.Marketing, NotificationTypes.Account, NotificationTypes.Recommendations];

    /// <summary>How many people it was sent to; null when the audience names no such market, side or user.</summary>
    public async Task<int?> SendAsync(NoticeAudience audience, string type, string title, string body, CancellationToken cancellationToken)
    {
        var recipients = new HashSet<string>(StringComparer.Ordinal);
        if (audience.UserId is { } userId)
        {
            if (!await users.ExistsAsync(userId, cancellationToken))
            {
                return null;
            }
            recipients.Add(userId);
        }
        else
        {
            var chosen = audience.Market is null ? markets.All : markets.Find(audience.Market) is { } named ? [named] : [];
            if (chosen.Count == 0 || (audience.Side is { } wanted && chosen.All(m => m.FindSide(wanted) is null)))
            {
                return null;
            }
            foreach (var market in chosen)
            {
                foreach (var side in market.Sides.Where(s => audience.Side is null || s.Id == audience.Side))
                {
                    await foreach (var profile in profiles.ListSideAsync(market.Id, side.Id, 500, cancellationToken))
                    {
                        recipients.Add(profile.UserId);
                    }
                }
            }
        }
        var data = new Dictionary<string, string> { ["title"] = title };
        foreach (var recipient in recipients)
        {
            await notifier.NotifyAsync(recipient, type, $"{title}: {body}", data, cancellationToken);
        }
        return recipients.Count;
    }
}

public sealed record NoticeAudience([MaxLength(64)] string? Market, [MaxLength(64)] string? Side, [MaxLength(64)] string? UserId);

public sealed record NoticeRequest(
    NoticeAudience? Audience,
    [Required] string Type,
    [Required, StringLength(120, MinimumLength = 1), CleanName] string Title,
    [Required, StringLength(1000, MinimumLength = 1)] string Body);

public sealed record NoticeResponse(int Recipients);

public static class NoticeEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/operator/notices", Send).WithTags("Operator").RequireAuthorization(Policies.Operator)
            .WithSummary("Send a notice to an audience")
            .WithExample("""{"audience":{"market":"gigs","side":"worker"},"type":"account","title":"New rates","body":"Minimum hourly rates rise on 1 January."}""")
            .WithDescription("audience: userId, or market (and side), or nothing for everyone with a profile. type: marketing (only people who opted in), "
                + "account or recommendations. Each recipient gets it in the tray, by e-mail and by push as their preferences say.");
        return v1;
    }

    public static async Task<Results<Ok<NoticeResponse>, ValidationProblem, ProblemHttpResult>> Send(NoticeRequest request, Notices notices, CancellationToken cancellationToken)
    {
        if (!Notices.Types.Contains(request.Type))
        {
            return Problems.Invalid("type", $"Must be one of {string.Join(", ", Notices.Types)}.");
        }
        var sent = await notices.SendAsync(request.Audience ?? new NoticeAudience(null, null, null), request.Type, request.Title, request.Body, cancellationToken);
        return sent is { } count ? TypedResults.Ok(new NoticeResponse(count)) : Problems.NotFound("The audience names no such user, market or side.");
    }
}
