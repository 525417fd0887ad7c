using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Notifications;

public static class NotificationEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var notifications = v1.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapGet("/", List).WithSummary("My notification tray")
            .WithDescription("Newest first, unread and read ones (actioned ones leave the tray), kept 30 days, with the unread count.");
        notifications.MapPost("/{id}/read", (string id, ClaimsPrincipal principal, IItemStore store, CancellationToken cancellationToken) =>
            MoveAsync(id, NotificationStates.Read, principal, store, cancellationToken)).WithSummary("Mark a notification read");
        notifications.MapPost("/{id}/actioned", (string id, ClaimsPrincipal principal, IItemStore store, CancellationToken cancellationToken) =>
            MoveAsync(id, NotificationStates.Actioned, principal, store, cancellationToken)).WithSummary("Mark a notification actioned")
            .WithDescription("It leaves the tray.");
        notifications.MapPost("/read-all", ReadAll).WithSummary("Mark every notification read");
        return v1;
    }

    public static async Task<Results<Ok<NotificationList>, ValidationProblem>> List(
        ClaimsPrincipal principal, IItemStore store, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 100)
        {
            return Problems.Invalid("limit", "Must be 1–100.");
        }
        var userId = principal.UserId();
        var wanted = limit ?? 10;
        var items = new List<NotificationResponse>();
        string? next = cursor;
        do
        {
            var page = await store.QueryAsync(new Query { Pk = NotificationKeys.Tray(userId), Descending = true, Limit = wanted - items.Count, Cursor = next }, cancellationToken);
            items.AddRange(page.Items.Select(Read).Where(n => n.State != NotificationStates.Actioned).Select(NotificationResponse.From));
            next = page.Cursor;
        }
        while (next is not null && items.Count < wanted);
        return TypedResults.Ok(new NotificationList(items, await UnreadAsync(store, userId, cancellationToken), next));
    }

    private static async Task<Results<Ok<NotificationResponse>, ProblemHttpResult>> MoveAsync(
        string id, string state, ClaimsPrincipal principal, IItemStore store, CancellationToken cancellationToken)
    {
        var key = NotificationKeys.Notification(principal.UserId(), id);
        return await Optimistic.RetryAsync("The notification", async ct =>
        {
            if (!Ids.IsWellFormed(id, Ids.Notification) || await store.GetAsync(key, cancellationToken) is not { } item)
            {
                return Attempt.Done<Results<Ok<NotificationResponse>, ProblemHttpResult>>(Problems.NotFound($"You have no notification '{id}'."));
            }
            var record = Read(item);
            // States only move forward: actioned stays actioned.
            if (record.State == NotificationStates.Actioned || record.State == state)
            {
                return Attempt.Done<Results<Ok<NotificationResponse>, ProblemHttpResult>>(TypedResults.Ok(NotificationResponse.From(record)));
            }
            var moved = record with { State = state };
            if (await store.PutAsync(item with { Data = ItemJson.Serialize(moved, NotificationJson.Default.NotificationRecord), Version = item.Version + 1 }, Condition.VersionIs(item.Version), cancellationToken))
            {
                return Attempt.Done<Results<Ok<NotificationResponse>, ProblemHttpResult>>(TypedResults.Ok(NotificationResponse.From(moved)));
            }
            return Attempt.Conflict<Results<Ok<NotificationResponse>, ProblemHttpResult>>();
        }, cancellationToken);
    }

    public static async Task<NoContent> ReadAll(ClaimsPrincipal principal, IItemStore store, CancellationToken cancellationToken)
    {
        await foreach (var item in Tray(store, principal.UserId(), cancellationToken))
        {
            var record = Read(item);
            if (record.State == NotificationStates.Unread)
            {
                // A concurrent change wins; this one is then moot.
                await store.PutAsync(item with { Data = ItemJson.Serialize(record with { State = NotificationStates.Read }, NotificationJson.Default.NotificationRecord), Version = item.Version + 1 },
                    Condition.VersionIs(item.Version), cancellationToken);
            }
        }
        return TypedResults.NoContent();
    }

    /// <summary>Counted from the tray itself (30 days of notifications), so it can never drift.</summary>
    private static async Task<int> UnreadAsync(IItemStore store, string userId, CancellationToken cancellationToken)
    {
        var unread = 0;
        await foreach (var item in Tray(store, userId, cancellationToken))
        {
            unread += Read(item).State == NotificationStates.Unread ? 1 : 0;
        }
        return unread;
    }

    private static IAsyncEnumerable<Item> Tray(IItemStore store, string userId, CancellationToken cancellationToken) =>
        store.QueryAllAsync(new Query { Pk = NotificationKeys.Tray(userId), Limit = 1000 }, cancellationToken);

    private static NotificationRecord Read(Item item) => ItemJson.Deserialize(item, NotificationJson.Default.NotificationRecord);
}

public sealed record NotificationResponse(string Id, string Type, string Body, string State, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Data)
{
    public static NotificationResponse From(NotificationRecord n) => new(n.Id, n.Type, n.Body, n.State, n.CreatedAt, n.Data);
}

public sealed record NotificationList(IReadOnlyList<NotificationResponse> Items, int UnreadCount, string? NextCursor);
