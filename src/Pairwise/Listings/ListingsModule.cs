using Pairwise.Profiles;
using Pairwise.Scheduling;

namespace Pairwise.Listings;

public static class ListingsModule
{
    public static WebApplicationBuilder AddListings(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ListingChanges>();
        builder.Services.AddSingleton<Accounts.IPersonalData, ListingPersonalData>();
        builder.Services.AddSingleton<NewListings>();
        builder.Services.AddSingleton<ListingStore>();
        builder.Services.AddSingleton<ListingService>();
        builder.Services.AddSingleton<IProfileCards, ProfileCards>();
        builder.Services.AddSingleton<ListingImages>();
        builder.Services.AddSingleton<ImageLinks>();
        builder.Services.AddSingleton<Bookmarks>();
        builder.Services.AddScheduledJob<ListingExpiryJob>("listing-expiry", "* * * * *");
        builder.Services.AddScheduledJob<Hype>("hype", "*/10 * * * *");
        return builder;
    }

    public static RouteGroupBuilder MapListings(this RouteGroupBuilder v1) =>
        BookmarkEndpoints.Map(ImageEndpoints.Map(ListingEndpoints.Map(v1)));
}
