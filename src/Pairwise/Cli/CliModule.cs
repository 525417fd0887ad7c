namespace Pairwise.Cli;

/// <summary>The operator commands' services (the commands themselves are in <see cref="PairwiseCli"/>).</summary>
public static class CliModule
{
    public static WebApplicationBuilder AddCli(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Seeder>();
        builder.Services.AddSingleton<SwipeSeeder>();
        builder.Services.AddSingleton<SocialSeeder>();
        builder.Services.AddSingleton<DemoPhotos>();
        builder.Services.AddSingleton<DemoStories>();
        builder.Services.AddSingleton<Exporter>();
        return builder;
    }
}
