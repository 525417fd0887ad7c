using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Notifications;
using Pairwise.Platform;

namespace Pairwise.Conversations;

/// <summary>Client-triggered notifications about a conversation: they live with conversations because only members may send them.</summary>
public static class NudgeEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var notifications = v1.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapPost("/", Nudge).WithSummary("Notify the other members of a conversation")
            .WithDescription("Client-triggered notifications (seed 000), for a conversation of yours only, with text the server writes: "
                + "type message (\"… is waiting for your reply\") or match (\"… wants to talk about your match\").")
            .WithExample("""{"type":"message","conversationId":"cnv_019a5b3c7d2e0000a1b2c3d4e5f60718"}""")
            .LimitPerUser(UserLimit.Send);
        return v1;
    }

    public static async Task<Results<Accepted<NudgeResponse>, ValidationProblem, ProblemHttpResult>> Nudge(
        NudgeRequest request, ClaimsPrincipal principal, ConversationService conversations, Notifier notifier, CancellationToken cancellationToken)
    {
        if (request.Type is not (NotificationTypes.Message or NotificationTypes.Match))
        {
            return Problems.Invalid("type", "Clients may send message or match notifications only.");
        }
        var userId = principal.UserId();
        if (await conversations.FindAsync(userId, request.ConversationId, cancellationToken) is not { Record.ClosedAt: null } conversation)
        {
            return Problems.NotFound($"You have no open conversation '{request.ConversationId}'.");
        }
        var me = conversation.Record.Member(userId)!.DisplayName ?? "Your match";
        var body = request.Type == NotificationTypes.Message ? $"{me} is waiting for your reply." : $"{me} wants to talk about your match.";
        var data = new Dictionary<string, string> { ["conversationId"] = conversation.Record.Id, ["fromUserId"] = userId };
        var recipients = conversation.Record.Members.Where(m => m.UserId != userId).Select(m => m.UserId).Distinct().ToList();
        foreach (var recipient in recipients)
        {
            await notifier.NotifyAsync(recipient, request.Type, body, data, cancellationToken);
        }
        return TypedResults.Accepted((string?)null, new NudgeResponse(recipients.Count));
    }
}

public sealed record NudgeRequest([System.ComponentModel.DataAnnotations.Required] string Type, [System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.MaxLength(64)] string ConversationId);

public sealed record NudgeResponse(int Notified);
