using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Notifications;

/// <summary>Where one type of notification goes: the tray (and live events), e-mail, and pushes to the user's devices.</summary>
public sealed record Channels(bool InApp, bool Email, bool Push = false);

/// <summary>
/// A user's choice, per notification type, of the tray (and live events), e-mail and device
/// pushes. Types not chosen take the defaults: everything in the app; by e-mail only matches,
/// reviews and account notices, since a mail per message or per like would be noise; pushed:
/// messages, matches, reviews, jobs, offers, watched sources' posts and account notices. Marketing is opt-in: it reaches nobody
/// who did not choose it. <see cref="Previews"/>: whether a push may show a message's text.
/// </summary>
public sealed record NotificationPreferences(IReadOnlyDictionary<string, Channels> Types, bool Previews = false)
{
    public static readonly IReadOnlyDictionary<string, Channels> Defaults = new Dictionary<string, Channels>
    {
        [NotificationTypes.Message] = new(true, false, true),
        [NotificationTypes.Match] = new(true, true, true),
        [NotificationTypes.Interested] = new(true, false),
        [NotificationTypes.Marketing] = new(false, false),
        [NotificationTypes.Account] = new(true, true, true),
        [NotificationTypes.Review] = new(true, true, true),
        [NotificationTypes.Job] = new(true, false, true),
        [NotificationTypes.Offer] = new(true, false, true),
        [NotificationTypes.Recommendations] = new(true, false, false),
        [NotificationTypes.Post] = new(true, false, true),
    };

    public static ItemKey Key(string userId) => new($"USER#{userId}", "NOTIFICATION-PREFERENCES");

    public Channels For(string type) =>
        Types.TryGetValue(type, out var chosen) ? chosen : Defaults.TryGetValue(type, out var standard) ? standard : new(true, false);

    /// <summary>Every type with its effective channels.</summary>
    public IReadOnlyDictionary<string, Channels> Effective() => Defaults.Keys.ToDictionary(t => t, For);

    public static async Task<NotificationPreferences> GetAsync(IItemStore store, string userId, CancellationToken cancellationToken) =>
        await store.GetAsync(Key(userId), cancellationToken) is { } item
            ? ItemJson.Deserialize(item, PreferencesJson.Default.NotificationPreferences)
            : new NotificationPreferences(new Dictionary<string, Channels>());
}

[JsonSerializable(typeof(NotificationPreferences))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class PreferencesJson : JsonSerializerContext;

/// <summary>Reads and changes a user's notification preferences.</summary>
public sealed class NotificationPreferenceStore(IItemStore store)
{
    public Task<NotificationPreferences> GetAsync(string userId, CancellationToken cancellationToken) =>
        NotificationPreferences.GetAsync(store, userId, cancellationToken);

    /// <summary>Sets the channels of the given types; the others keep what they had.</summary>
    public Task<NotificationPreferences> ChangeAsync(string userId, IReadOnlyDictionary<string, Channels> types, bool? previews, CancellationToken cancellationToken)
    {
        var key = NotificationPreferences.Key(userId);
        return Optimistic.RetryAsync("The preferences", async ct =>
        {
            var item = await store.GetAsync(key, ct);
            var stored = item is null ? null : ItemJson.Deserialize(item, PreferencesJson.Default.NotificationPreferences);
            var current = stored?.Types.ToDictionary() ?? [];
            foreach (var (type, channels) in types)
            {
                current[type] = channels;
            }
            var updated = new NotificationPreferences(current, previews ?? stored?.Previews ?? false);
            var written = new Item { Pk = key.Pk, Sk = key.Sk, Data = ItemJson.Serialize(updated, PreferencesJson.Default.NotificationPreferences), Version = (item?.Version ?? 0) + 1 };
            return await store.PutAsync(written, item is null ? Condition.NotExists : Condition.VersionIs(item.Version), ct)
                ? Attempt.Done(updated)
                : Attempt.Conflict<NotificationPreferences>();
        }, cancellationToken);
    }
}

public static class NotificationPreferenceEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var preferences = v1.MapGroup("/me/notification-preferences").WithTags("Notifications");
        preferences.MapGet("/", Get).WithSummary("My notification preferences")
            .WithDescription("For each type (message, match, interested, marketing, account, review, job): inApp (tray and live events), email and push (to devices); previews: whether a push may show a message's text.");
        preferences.MapPut("/", Put).WithSummary("Change my notification preferences")
            .WithDescription("Types left out keep what they had. Example: {\"types\":{\"message\":{\"inApp\":true,\"email\":false}}}.")
            .WithExample("""{"types":{"marketing":{"inApp":false,"email":false},"message":{"inApp":true,"email":true}}}""");
        return v1;
    }

    public static async Task<Ok<PreferencesResponse>> Get(ClaimsPrincipal principal, NotificationPreferenceStore preferences, CancellationToken cancellationToken) =>
        TypedResults.Ok(PreferencesResponse.From(await preferences.GetAsync(principal.UserId(), cancellationToken)));

    public static async Task<Results<Ok<PreferencesResponse>, ValidationProblem>> Put(
        PreferencesRequest request, ClaimsPrincipal principal, NotificationPreferenceStore preferences, CancellationToken cancellationToken)
    {
        if (request.Types is null && request.Previews is null)
        {
            return Problems.Invalid("types", "Give the types to change, e.g. {\"message\":{\"inApp\":true,\"email\":false,\"push\":true}}.");
        }
        if (request.Types?.Keys.FirstOrDefault(t => !NotificationPreferences.Defaults.ContainsKey(t)) is { } unknown)
        {
            return Problems.Invalid($"types.{unknown}", $"Not a notification type; use one of {string.Join(", ", NotificationPreferences.Defaults.Keys)}.");
        }
        return TypedResults.Ok(PreferencesResponse.From(await preferences.ChangeAsync(principal.UserId(), request.Types ?? [], request.Previews, cancellationToken)));
    }
}

public sealed record PreferencesRequest(Dictionary<string, Channels>? Types, bool? Previews = null);

public sealed record PreferencesResponse(IReadOnlyDictionary<string, Channels> Types, bool Previews)
{
    public static PreferencesResponse From(NotificationPreferences preferences) => new(preferences.Effective(), preferences.Previews);
}
