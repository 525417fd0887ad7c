namespace Pairwise.Conversations;

public static class ConversationsModule
{
    /// <summary>Conversations between matched people, and the notifier they (and everything above them) use.</summary>
    public static WebApplicationBuilder AddConversations(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConversationService>();
        builder.Services.AddSingleton<Accounts.IPersonalData, ConversationPersonalData>();
        builder.Services.AddSingleton<Realtime.ITypingRelay>(services => services.GetRequiredService<ConversationService>());
        return builder;
    }

    public static RouteGroupBuilder MapConversations(this RouteGroupBuilder v1) => NudgeEndpoints.Map(ConversationEndpoints.Map(v1));
}
