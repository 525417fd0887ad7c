using Pairwise.Accounts;
using Pairwise.Conversations;
using Pairwise.Delivery;
using Pairwise.Digests;
using Pairwise.Gigs;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Notifications;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Ranking;
using Pairwise.Realtime;
using Pairwise.Reviews;
using Pairwise.Safety;
using Pairwise.Scheduling;
using Pairwise.Storage;
using Pairwise.Swipes;

// `pairwise` and `pairwise serve` both run the server.
if (args is ["serve", ..])
{
    args = args[1..];
}

// Settings ship beside the binary; relative paths in them (the data folder) resolve from the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddPlatform();
builder.AddObservability();
builder.AddScheduling();
builder.AddStorage();
builder.AddMarkets();
builder.AddDelivery();
builder.AddAccounts();
builder.AddListings();
builder.AddRanking();
builder.AddConversations();
builder.AddDigests();
builder.AddGigs();
builder.AddRealtime();

var app = builder.Build();
app.UsePlatform();
app.UseAuthentication();
// After authentication, so that per-user limits know the user.
app.UseRateLimiter();
app.UseAuthorization();

app.MapPlatform();
app.MapObservability();
var v1 = app.MapGroup("/v1");
v1.MapMarkets();
v1.MapAccounts();
v1.MapProfiles();
v1.MapListingFeatures();
v1.MapFeed();
v1.MapSwipes();
v1.MapConversations();
v1.MapNotifications();
v1.MapNotificationPreferences();
v1.MapReviews();
v1.MapSafety();
v1.MapScheduling();
v1.MapMail();
v1.MapDigests();
v1.MapGigs();
app.MapRealtime();

// Fail fast on a broken market file or store, before the first request.
app.Services.GetRequiredService<MarketCatalog>();

// `pairwise score --market M`: the daily batch, now, on the same data; then exit.
if (args is ["score", "--market", var market, ..])
{
    await app.Services.GetRequiredService<IndexMaintainer>().LoadAllAsync(CancellationToken.None);
    var scored = await app.Services.GetRequiredService<FeedService>().ScoreBatchAsync(market, CancellationToken.None);
    Console.WriteLine($"scored {scored} profiles in {market}");
    return;
}

await app.Services.GetRequiredService<TokenService>().InitializeAsync();
await app.RunAsync();

public partial class Program;
