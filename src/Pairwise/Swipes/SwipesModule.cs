namespace Pairwise.Swipes;

public static class SwipesModule
{
    public static WebApplicationBuilder AddSwipes(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SwipeHistory>();
        builder.Services.AddSingleton<Accounts.IPersonalData, SwipePersonalData>();
        builder.Services.AddSingleton<MatchStore>();
        builder.Services.AddSingleton<ResponseStore>();
        builder.Services.AddSingleton<SwipeService>();
        return builder;
    }

    public static RouteGroupBuilder MapSwipes(this RouteGroupBuilder v1) => SwipeEndpoints.Map(v1);
}
