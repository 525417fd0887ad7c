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
}

/// <summary>
/// The real-time hub at <c>/v1/realtime</c>. Every event goes to the users it concerns (their
/// every connection, on any node once a backplane is configured), never to a room a client
/// chose to join, so nobody can listen to a conversation they are not a member of. Messages are
/// sent over HTTP (stored, then acknowledged, then pushed); the hub carries what is not stored.
/// </summary>
/// <summary>
/// Decides whether a typing signal may go out and sends it. Conversations, a floor above, implement
/// it; the hub only carries the call (a lower floor calls up only through a hook it declares).
/// </summary>
public interface ITypingRelay
{
    Task<bool> TypingAsync(string userId, string conversationId, CancellationToken cancellationToken);
}

[Authorize]
public sealed class RealtimeHub(ITypingRelay conversations) : Hub
{
    /// <summary>Tells the other members that the caller is typing in a conversation (not stored).</summary>
    public async Task Typing(string conversationId)
    {
        var userId = Context.User!.UserId();
        if (!await conversations.TypingAsync(userId, conversationId, Context.ConnectionAborted))
        {
            throw new HubException($"You have no open conversation '{conversationId}'.");
        }
    }
}

/// <summary>SignalR addresses users by the token's subject, the same id as everywhere else.</summary>
public sealed class SubjectUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.User.FindFirstValue(Microsoft.IdentityModel.JsonWebTokens.JwtRegisteredClaimNames.Sub);
}

/// <summary>Pushes events to users' connections. Delivery is best effort: what matters is stored first.</summary>
public sealed partial class RealtimePublisher(IHubContext<RealtimeHub> hub, ILogger<RealtimePublisher> logger)
{
    public async Task SendAsync(IReadOnlyList<string> userIds, string eventName, object payload, CancellationToken cancellationToken = default)
    {
        if (userIds.Count == 0)
        {
            return;
        }
        try
        {
            await hub.Clients.Users(userIds).SendAsync(eventName, payload, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A client that missed a push reads the list endpoints; the event is never the only copy.
            LogPushFailed(logger, e, eventName);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing a {Event} event failed")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, string @event);
}

public static class RealtimeExtensions
{
    public static WebApplicationBuilder AddRealtime(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR(options =>
        {
            options.MaximumReceiveMessageSize = 32 * 1024;
            options.EnableDetailedErrors = false;
        });
        builder.Services.AddSingleton<IUserIdProvider, SubjectUserIdProvider>();
        builder.Services.AddSingleton<RealtimePublisher>();
        return builder;
    }

    public static IEndpointRouteBuilder MapRealtime(this IEndpointRouteBuilder app)
    {
        app.MapHub<RealtimeHub>("/v1/realtime");
        return app;
    }
}
