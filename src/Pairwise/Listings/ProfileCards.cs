using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Storage;

namespace Pairwise.Listings;

/// <summary>Keeps a profile's card (a listing) in step with the profile: created, replaced and deleted with it.</summary>
public sealed class ProfileCards(ListingStore listings, IBlobStore blobs, TimeProvider time) : IProfileCards
{
    public async Task<(IReadOnlyList<WriteOperation> Operations, string? CardId)> WritesForAsync(SideDefinition side, ProfileRecord profile, CancellationToken cancellationToken)
    {
        if (side.Presentation != Presentation.Card)
        {
            return ([], null);
        }
        var now = time.GetUtcNow();
        if (profile.CardId is { } cardId && await listings.GetIncludingExpiredAsync(cardId, cancellationToken) is { } current)
        {
            // Replaced with the profile, keeping the card's images and promotion.
            var card = ListingRules.Card(profile, side, cardId, current.Record.CreatedAt, now) with { Images = current.Record.Images, Promotion = current.Record.Promotion };
            return (listings.ReplaceOperations(current.Record, current.Version, card), cardId);
        }
        var id = Ids.New(Ids.Listing, time);
        return (listings.CreateOperations(ListingRules.Card(profile, side, id, now, now)), id);
    }

    public async Task<CardRemoval> RemovalForAsync(ProfileRecord profile, CancellationToken cancellationToken)
    {
        var card = profile.CardId is { } cardId ? await listings.GetIncludingExpiredAsync(cardId, cancellationToken) : null;
        return card is null
            ? new CardRemoval(null, [], [])
            : new CardRemoval(card.Record.Id, listings.DeleteOperations(card), [.. card.Record.Images.Select(i => i.Id)]);
    }

    public async Task RemovedAsync(CardRemoval removal, CancellationToken cancellationToken)
    {
        foreach (var image in removal.ImageIds)
        {
            await ImagePipeline.DeleteAsync(blobs, ListingKeys.ImageBlob(image), cancellationToken);
        }
    }

    public void Changed(string? cardId) => listings.Published(cardId);
}
