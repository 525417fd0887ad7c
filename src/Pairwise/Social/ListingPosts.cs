using Pairwise.Listings;

namespace Pairwise.Social;

/// <summary>New listings of a profile appear in its followers' feeds as posts (a seller's new stock, an employer's new job).</summary>
public sealed partial class ListingPosts(Posts posts, ILogger<ListingPosts> logger) : IListingAnnouncer
{
    public async Task AnnounceAsync(ListingRecord listing, CancellationToken cancellationToken)
    {
        try
        {
            await posts.AnnounceListingAsync(listing.Id, listing.OwnerProfileId, listing.Title, listing.Description, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The listing stands; only its announcement is missing.
            LogFailed(logger, listing.Id, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce listing {ListingId} to its followers")]
    private static partial void LogFailed(ILogger logger, string listingId, Exception e);
}
