namespace Pairwise.Conversations;

public static class ConversationExtensions
{
    /// <summary>Conversations between matched people, and the notifier they (and everything above them) use.</summary>
    public static WebApplicationBuilder AddConversations(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConversationService>();
        builder.Services.AddSingleton<Realtime.ITypingRelay>(services => services.GetRequiredService<ConversationService>());
        builder.Services.AddSingleton<Notifications.Notifier>();
        return builder;
    }
}
