namespace Pairwise.Safety;

/// <summary>Block and report endpoints; blocks themselves are kept by accounts.</summary>
public static class SafetyModule
{
    public static WebApplicationBuilder AddSafety(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SafetyService>();
        return builder;
    }

    public static RouteGroupBuilder MapSafety(this RouteGroupBuilder v1) => SafetyEndpoints.Map(v1);
}
