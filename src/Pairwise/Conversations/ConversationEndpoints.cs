using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Markets;
using Pairwise.Platform;

namespace Pairwise.Conversations;

public static class ConversationEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var conversations = v1.MapGroup("/conversations").WithTags("Conversations");
        conversations.MapGet("/", List).WithSummary("My conversations")
            .WithDescription("By last activity, newest first, with the last message, my unread count and everyone's read marker. role= keeps those where I am on that side (e.g. buyer or seller).");
        conversations.MapGet("/{id}", Get).WithSummary("One of my conversations");
        conversations.MapGet("/{id}/messages", ListMessages).WithSummary("Messages, newest first")
            .WithDescription("Page down with cursor. after= returns only messages newer than that id (catching up after a reconnect); "
                + "around= returns the page around a message (half newer, the rest older).");
        conversations.MapPost("/{id}/messages", Send).WithSummary("Send a message")
            .WithDescription("Stored before it is acknowledged and pushed. clientMessageId makes the send idempotent: a retry with the same id returns the message already stored (header Idempotent-Replayed: true).")
            .WithExample("""{"text":"Hello! When could we talk?","clientMessageId":"4b7c1f0e-2d7a-4a53-9a3e-6f1b2c3d4e5f"}""")
            .LimitPerUser(UserLimit.Send);
        conversations.MapPost("/{id}/read", MarkRead).WithSummary("Mark read up to a message")
            .WithDescription("Moves my read marker forward (never back) to upToMessageId, or to the latest message when it is left out; the other members get a read event.")
            .WithExample("""{"upToMessageId":"msg_019a5b3c7d2e0000a1b2c3d4e5f60718"}""");
        conversations.MapPost("/{id}/typing", Typing).WithSummary("Say I am typing")
            .WithDescription("Not stored; the other members get a typing event. The hub method Typing(conversationId) does the same over the socket.")
            .LimitPerUser(UserLimit.Send);
        return v1;
    }

    public static async Task<Results<Ok<ListResponse<ConversationResponse>>, ValidationProblem>> List(
        ClaimsPrincipal principal, ConversationService conversations, MarketCatalog markets, string? role, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100)
        {
            return Problems.Invalid("limit", "Must be 1–100.");
        }
        if (role is not null && !markets.All.Any(m => m.FindSide(role) is not null))
        {
            return Problems.Invalid("role", $"'{role}' is not a side of any market.");
        }
        var userId = principal.UserId();
        var (items, next) = await conversations.ListAsync(userId, role, limit ?? 20, cursor, cancellationToken);
        return TypedResults.Ok(new ListResponse<ConversationResponse>([.. items.Select(v => ConversationResponse.From(userId, v))], next));
    }

    public static async Task<Results<Ok<ConversationResponse>, ProblemHttpResult>> Get(
        string id, ClaimsPrincipal principal, ConversationService conversations, CancellationToken cancellationToken)
    {
        var userId = principal.UserId();
        return await conversations.FindAsync(userId, id, cancellationToken) is { } conversation
            ? TypedResults.Ok(ConversationResponse.From(userId, await conversations.ViewAsync(userId, conversation, cancellationToken)))
            : NotFound(id);
    }

    public static async Task<Results<Ok<ListResponse<MessageResponse>>, ValidationProblem, ProblemHttpResult>> ListMessages(
        string id, ClaimsPrincipal principal, ConversationService conversations, int? limit, string? cursor, string? after, string? around, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 200)
        {
            return Problems.Invalid("limit", "Must be 1–200.");
        }
        if (new[] { cursor, around }.Count(p => p is not null) > 1 || (around is not null && after is not null))
        {
            return Problems.Invalid("around", "around= stands alone; use cursor= (and after=) to page.");
        }
        if (after is not null && !Ids.IsWellFormed(after, Ids.Message))
        {
            return Problems.Invalid("after", "Must be a message id.");
        }
        if (around is not null && !Ids.IsWellFormed(around, Ids.Message))
        {
            return Problems.Invalid("around", "Must be a message id.");
        }
        (string Before, string? After)? position = null;
        if (cursor is not null && (position = MessageCursor.Decode(cursor)) is null)
        {
            return Problems.Invalid("cursor", "Not a cursor this list returned.");
        }
        if (await conversations.FindAsync(principal.UserId(), id, cancellationToken) is not { } conversation)
        {
            return NotFound(id);
        }
        var page = around is not null
            ? await conversations.ListAroundAsync(conversation.Record.Id, around, limit ?? 50, cancellationToken)
            : await conversations.ListMessagesAsync(conversation.Record.Id, limit ?? 50, position?.Before, position?.After ?? after, cancellationToken);
        if (page is null)
        {
            return Problems.NotFound($"There is no message '{around}' in this conversation.");
        }
        return TypedResults.Ok(new ListResponse<MessageResponse>([.. page.Items.Select(MessageResponse.From)], page.NextCursor));
    }

    public static async Task<Results<Created<MessageResponse>, ValidationProblem, ProblemHttpResult>> Send(
        string id, SendMessageRequest request, ClaimsPrincipal principal, ConversationService conversations, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await conversations.SendAsync(principal.UserId(), id, request.Text, request.ClientMessageId, cancellationToken);
        switch (outcome.Status)
        {
            case SendStatus.NotFound:
                return NotFound(id);
            case SendStatus.Invalid:
                return Problems.Invalid(outcome.Field!, outcome.Detail!);
            case SendStatus.Closed:
                return TypedResults.Problem(ConversationService.ClosedDetail, statusCode: StatusCodes.Status403Forbidden, title: "Conversation closed");
            case SendStatus.Replayed:
                context.Response.Headers["Idempotent-Replayed"] = "true";
                break;
        }
        var message = MessageResponse.From(outcome.Message!);
        return TypedResults.Created($"/v1/conversations/{id}/messages?around={message.Id}", message);
    }

    public static async Task<Results<Ok<ReadMarker>, ValidationProblem, ProblemHttpResult>> MarkRead(
        string id, ReadRequest? request, ClaimsPrincipal principal, ConversationService conversations, CancellationToken cancellationToken)
    {
        var userId = principal.UserId();
        if (await conversations.FindAsync(userId, id, cancellationToken) is not { } conversation)
        {
            return NotFound(id);
        }
        if (request?.UpToMessageId is { } upTo && !await conversations.MessageExistsAsync(conversation.Record.Id, upTo, cancellationToken))
        {
            return Problems.Invalid("upToMessageId", "There is no such message in this conversation.");
        }
        return TypedResults.Ok(await conversations.MarkReadAsync(userId, conversation, request?.UpToMessageId, cancellationToken));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Typing(
        string id, ClaimsPrincipal principal, ConversationService conversations, CancellationToken cancellationToken) =>
        await conversations.TypingAsync(principal.UserId(), id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"You have no conversation '{id}'.");
}

/// <summary>The message rules (length per market, the client id's form) are the service's, for every transport.</summary>
public sealed record SendMessageRequest([Required] string Text, [Required] string ClientMessageId);

public sealed record ReadRequest([MaxLength(64)] string? UpToMessageId);

public sealed record MessageResponse(string Id, string ConversationId, string SenderId, string Text, DateTimeOffset SentAt, string ClientMessageId)
{
    public static MessageResponse From(MessageRecord m) => new(m.Id, m.ConversationId, m.SenderId, m.Text, m.SentAt, m.ClientMessageId);
}

public sealed record ConversationMemberResponse(string UserId, string ProfileId, string Side, string? DisplayName, string? ReadUpTo, DateTimeOffset? ReadAt);

public sealed record ConversationResponse(
    string Id, string Market, string MatchId, string? ListingId, string Role, IReadOnlyList<ConversationMemberResponse> Members,
    MessagePreview? LastMessage, DateTimeOffset LastActivityAt, int UnreadCount, string? ReadUpTo, bool Closed, DateTimeOffset CreatedAt)
{
    public static ConversationResponse From(string userId, ConversationView view)
    {
        var record = view.Record;
        var members = record.Members.Select(m =>
        {
            var marker = view.Markers.FirstOrDefault(r => r.UserId == m.UserId);
            return new ConversationMemberResponse(m.UserId, m.ProfileId, m.Side, m.DisplayName, marker?.UpToMessageId, marker?.ReadAt);
        }).ToList();
        return new ConversationResponse(record.Id, record.Market, record.MatchId, record.ListingId, view.Mine.Side, members, view.Mine.LastMessage,
            view.Mine.LastActivityAt, view.Mine.Unread, view.Mine.ReadUpTo, record.ClosedAt is not null || view.Mine.Closed, record.CreatedAt);
    }
}
