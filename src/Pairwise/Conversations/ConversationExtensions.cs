namespace Pairwise.Conversations;

public static class ConversationExtensions
{
    /// <summary>Conversations, notifications, reviews and safety: what happens between people after a match.</summary>
    public static WebApplicationBuilder AddConversations(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConversationService>();
        builder.Services.AddSingleton<Notifications.Notifier>();
        builder.Services.AddSingleton<Safety.Blocks>();
        return builder;
    }
}
