using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;

namespace Pairwise.Notifications;

public static class NotificationEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var notifications = v1.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapGet("/", List).WithSummary("My notification tray")
            .WithDescription("Newest first, unread and read ones (actioned ones leave the tray), kept 30 days, with the unread count.");
        notifications.MapPost("/{id}/read", MarkRead).WithSummary("Mark a notification read");
        notifications.MapPost("/{id}/actioned", MarkActioned).WithSummary("Mark a notification actioned").WithDescription("It leaves the tray.");
        notifications.MapPost("/read-all", ReadAll).WithSummary("Mark every notification read");
        return v1;
    }

    public static async Task<Results<Ok<NotificationList>, ValidationProblem>> List(
        ClaimsPrincipal principal, NotificationTray tray, int? limit, string? cursor, CancellationToken cancellationToken) =>
        limit is < 1 or > 100
            ? Problems.Invalid("limit", "Must be 1–100.")
            : TypedResults.Ok(await tray.ListAsync(principal.UserId(), limit ?? 10, cursor, cancellationToken));

    public static Task<Results<Ok<NotificationResponse>, ProblemHttpResult>> MarkRead(
        string id, ClaimsPrincipal principal, NotificationTray tray, CancellationToken cancellationToken) =>
        MoveAsync(id, NotificationStates.Read, principal, tray, cancellationToken);

    public static Task<Results<Ok<NotificationResponse>, ProblemHttpResult>> MarkActioned(
        string id, ClaimsPrincipal principal, NotificationTray tray, CancellationToken cancellationToken) =>
        MoveAsync(id, NotificationStates.Actioned, principal, tray, cancellationToken);

    public static async Task<NoContent> ReadAll(ClaimsPrincipal principal, NotificationTray tray, CancellationToken cancellationToken)
    {
        await tray.ReadAllAsync(principal.UserId(), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<NotificationResponse>, ProblemHttpResult>> MoveAsync(
        string id, string state, ClaimsPrincipal principal, NotificationTray tray, CancellationToken cancellationToken) =>
        await tray.MoveAsync(principal.UserId(), id, state, cancellationToken) is { } moved
            ? TypedResults.Ok(NotificationResponse.From(moved))
            : Problems.NotFound($"You have no notification '{id}'.");
}

public sealed record NotificationResponse(string Id, string Type, string Body, string State, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Data)
{
    public static NotificationResponse From(NotificationRecord n) => new(n.Id, n.Type, n.Body, n.State, n.CreatedAt, n.Data);
}

public sealed record NotificationList(IReadOnlyList<NotificationResponse> Items, int UnreadCount, string? NextCursor);
