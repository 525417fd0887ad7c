using Pairwise.Delivery;

namespace Pairwise.Notifications;

/// <summary>One-click unsubscribe from one type of notification e-mail: the type stays in the tray and on pushes as chosen.</summary>
public sealed class NotificationUnsubscribe(NotificationPreferenceStore preferences) : IUnsubscribeHandler
{
    private const string Prefix = "notification:";

    public static string Topic(string type) => Prefix + type;

    public bool Handles(string topic) => topic.StartsWith(Prefix, StringComparison.Ordinal);

    public async Task<string> UnsubscribeAsync(string userId, string topic, CancellationToken cancellationToken)
    {
        var type = topic[Prefix.Length..];
        var current = (await preferences.GetAsync(userId, cancellationToken)).For(type);
        await preferences.ChangeAsync(userId, new Dictionary<string, Channels> { [type] = current with { Email = false } }, null, cancellationToken);
        return $"no more e-mails about \"{type}\" notifications. They stay in your tray; change this in Settings.";
    }
}
