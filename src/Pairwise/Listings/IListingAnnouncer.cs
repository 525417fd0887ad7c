namespace Pairwise.Listings;

/// <summary>
/// Told of every listing created live (not of cards, which mirror profiles): a later feature that
/// announces new listings (the social feed posts them to the owner's followers) implements it.
/// </summary>
public interface IListingAnnouncer
{
    Task AnnounceAsync(ListingRecord listing, CancellationToken cancellationToken);
}
