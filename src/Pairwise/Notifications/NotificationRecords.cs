using System.Text.Json;
using System.Text.Json.Serialization;
using Pairwise.Storage;

namespace Pairwise.Notifications;

/// <summary>Every key the notifications feature writes (see docs/keys.md).</summary>
public static class NotificationKeys
{
    /// <summary>A user's notification; ids are time-ordered, so the partition reads newest first descending.</summary>
    public static ItemKey Notification(string userId, string notificationId) => new($"NOTIF#{userId}", notificationId);

    public static string Tray(string userId) => $"NOTIF#{userId}";
}

public static class NotificationTypes
{
    public const string Message = "message";
    public const string Match = "match";
    public const string Interested = "interested";
    public const string Marketing = "marketing";
    public const string Account = "account";
    public const string Review = "review";
    public const string Job = "job";

    /// <summary>A priced offer, a counter-offer or an answer to one (marketplace).</summary>
    public const string Offer = "offer";
    public const string Recommendations = "recommendations";

    /// <summary>A new post of a watched profile or account.</summary>
    public const string Post = "post";
}

public static class NotificationStates
{
    public const string Unread = "unread";
    public const string Read = "read";
    public const string Actioned = "actioned";
}

/// <summary>What a device receives: enough to show the notification and open the right screen.</summary>
public sealed record PushBody(string NotificationId, string Type, string Title, string Body, string Url);

public sealed record NotificationRecord(
    string Id, string Type, string Body, string State, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Data);

[JsonSerializable(typeof(NotificationRecord))]
[JsonSerializable(typeof(PushBody))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class NotificationJson : JsonSerializerContext;
