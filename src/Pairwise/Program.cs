using Pairwise.Accounts;
using Pairwise.Cli;
using Pairwise.Conversations;
using Pairwise.Deals;
using Pairwise.Delivery;
using Pairwise.Digests;
using Pairwise.Gigs;
using Pairwise.Graph;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Notifications;
using Pairwise.Payments;
using Pairwise.Observability;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Ranking;
using Pairwise.Realtime;
using Pairwise.Reviews;
using Pairwise.Safety;
using Pairwise.ScaleOut;
using Pairwise.Scheduling;
using Pairwise.Social;
using Pairwise.Storage;
using Pairwise.Swipes;
using Pairwise.WebApp;

// `pairwise db init | seed | score | export | backup | restore | users …`: operator commands on the same data.
if (args is [var command, ..] && PairwiseCli.Commands.Contains(command))
{
    return await PairwiseCli.RunAsync(args, BuildServer);
}

// `pairwise` and `pairwise serve` run the server; `--demo` first fills an empty store with demo data.
// `pairwise worker --connectors bluesky,feeds` runs a connector worker: a node that polls the
// linked accounts of those networks and runs no scheduled jobs (API nodes then set
// Pairwise:Social:Connectors to nothing).
try
{
    var demo = args.Contains("--demo");
    var serverArgs = args is ["worker", ..] ? WorkerArguments(args[1..]) : [.. args.Skip(args is ["serve", ..] ? 1 : 0).Where(a => a != "--demo")];
    var app = BuildServer(serverArgs);
    await app.Services.InitializeStoreAsync();
    await app.Services.GetRequiredService<TokenService>().InitializeAsync();
    if (demo)
    {
        await Demo.SeedIfEmptyAsync(app.Services, CancellationToken.None);
    }
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (StartupProblem.Describe(e) is { } problem)
{
    // A wrong setting or market file: one line that names it, not a stack trace.
    await Console.Error.WriteLineAsync($"pairwise: {problem}");
    return 78;
}

static string[] WorkerArguments(string[] args)
{
    var at = Array.FindIndex(args, a => a == "--connectors");
    var connectors = at >= 0 && at + 1 < args.Length ? args[at + 1] : "bluesky,feeds";
    var rest = at >= 0 ? [.. args[..at], .. args[Math.Min(args.Length, at + 2)..]] : args;
    return [.. rest, $"--Pairwise:Social:Connectors={connectors}", "--Pairwise:BackgroundJobs=false"];
}

static WebApplication BuildServer(string[] args)
{
    // Settings ship beside the binary; relative paths in them (the data folder) resolve from the working directory.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    // Floor by floor (ADR 14): each feature registers only its own services.
    builder.AddPlatform();
    builder.AddStorage();
    builder.AddScheduling();
    builder.AddObservability();
    builder.AddDelivery();
    builder.AddMarkets();
    builder.AddAccounts();
    builder.AddProfiles();
    builder.AddListings();
    builder.AddRealtime();
    builder.AddNotifications();
    builder.AddConversations();
    builder.AddSwipes();
    builder.AddRanking();
    builder.AddPayments();
    builder.AddGigs();
    builder.AddDeals();
    builder.AddReviews();
    builder.AddDigests();
    builder.AddSafety();
    builder.AddSocial();
    builder.AddGraph();
    builder.AddCli();
    builder.AddScaleOut();
    builder.AddWebApp();

    var app = builder.Build();
    app.UsePlatform();
    app.UseWebApp();
    app.UseAuthentication();
    app.UseAuthorization();

    app.MapPlatform();
    app.MapObservability();
    var v1 = app.MapVersion1();
    v1.MapMarkets();
    v1.MapAccounts();
    v1.MapProfiles();
    v1.MapListings();
    v1.MapRanking();
    v1.MapSwipes();
    v1.MapNotifications();
    v1.MapConversations();
    v1.MapReviews();
    v1.MapSafety();
    v1.MapSocial();
    v1.MapScheduling();
    v1.MapDelivery();
    v1.MapDigests();
    v1.MapGigs();
    v1.MapDeals();
    v1.MapPayments();
    app.MapRealtime();
    app.MapGraph();

    // Fail fast on a broken market file or store, before the first request.
    app.Services.GetRequiredService<MarketCatalog>();
    return app;
}

public partial class Program;
