using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Pairwise.Platform;

namespace Pairwise.Realtime;

/// <summary>The names of the events the hub sends; clients subscribe with <c>connection.on(name, …)</c>.</summary>
public static class RealtimeEvents
{
    public const string Message = "message";
    public const string Match = "match";
    public const string Notification = "notification";
    public const string Read = "read";
    public const string Typing = "typing";

    /// <summary>A conversation closed (a member blocked the other, or the match ended): nobody can send in it any more.</summary>
    public const string Closed = "closed";
}

/// <summary>
/// Decides whether a typing signal may go out and sends it. Conversations, a floor above, implement
/// it; the hub only carries the call (a lower floor calls up only through a hook it declares).
/// </summary>
public interface ITypingRelay
{
    Task<bool> TypingAsync(string userId, string conversationId, CancellationToken cancellationToken);
}

/// <summary>
/// The real-time hub at <c>/v1/realtime</c>. Every event goes to the users it concerns (their
/// every connection, on any node once a backplane is configured), never to a room a client
/// chose to join, so nobody can listen to a conversation they are not a member of. Messages are
/// sent over HTTP (stored, then acknowledged, then pushed); the hub carries what is not stored.
/// </summary>
[Authorize]
public sealed class RealtimeHub(ITypingRelay conversations, UserRateLimits limits, HubSessions sessions) : Hub
{
    /// <summary>
    /// The group of a user's connections. Events go to it rather than to <c>Clients.Users</c>: without
    /// a backplane that one looks at every connection the node holds for each event (at 10,000
    /// sockets and 200 messages/s, most of the node's CPU), a group only at the user's own.
    /// </summary>
    public static string UserGroup(string userId) => "user:" + userId;

    public override async Task OnConnectedAsync()
    {
        if (Context.UserIdentifier is { } userId)
        {
            // Left again when the connection closes (the lifetime manager drops its groups). First: a
            // connection refused here is never handed to OnDisconnectedAsync, so nothing is kept for it yet.
            await Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(userId), Context.ConnectionAborted);
        }
        sessions.Add(Context);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context);
        return Task.CompletedTask;
    }

    /// <summary>Tells the other members that the caller is typing in a conversation (not stored). Spends the same budget as sending over HTTP.</summary>
    public async Task Typing(string? conversationId)
    {
        if (string.IsNullOrWhiteSpace(conversationId) || conversationId.Length > InputGuards.MaxRouteValueLength)
        {
            throw new HubException("Typing needs the id of one of your conversations.");
        }
        var userId = Context.User!.UserId();
        if (limits.TryAcquire(UserLimit.Send, userId) is not null)
        {
            throw new HubException(UserRateLimits.Describe(UserLimit.Send));
        }
        if (!await conversations.TypingAsync(userId, conversationId, Context.ConnectionAborted))
        {
            throw new HubException($"You have no open conversation '{conversationId}'.");
        }
    }
}

/// <summary>
/// What escapes a hub method: our errors (<see cref="HubException"/>) go to the caller as they are;
/// anything else is our bug, logged once, and the caller learns only that it failed.
/// </summary>
public sealed partial class HubErrors(ILogger<HubErrors> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (Exception e) when (e is not HubException and not OperationCanceledException)
        {
            LogFailed(logger, e, invocationContext.HubMethodName);
            throw new HubException("Something went wrong on our side. It has been logged.");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub method {Method} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method);
}

/// <summary>SignalR addresses users by the token's subject, the same id as everywhere else.</summary>
public sealed class SubjectUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.User.FindFirstValue(Microsoft.IdentityModel.JsonWebTokens.JwtRegisteredClaimNames.Sub);
}
