using Pairwise.Markets;
using Pairwise.Storage;

namespace Pairwise.Profiles;

/// <summary>
/// On sides shown as cards, a profile's card is a listing written in the same transaction as the
/// profile. Listings, a floor above, implement this hook; profiles only ask for the writes and
/// report what they committed.
/// </summary>
public interface IProfileCards
{
    /// <summary>The writes that create or replace the profile's card, and the card's id; none on sides without cards.</summary>
    Task<(IReadOnlyList<WriteOperation> Operations, string? CardId)> WritesForAsync(SideDefinition side, ProfileRecord profile, CancellationToken cancellationToken);

    /// <summary>The writes that delete the profile's card with it (none when it has no card).</summary>
    Task<CardRemoval> RemovalForAsync(ProfileRecord profile, CancellationToken cancellationToken);

    /// <summary>After the removal committed: the card's images go and the indexes forget it.</summary>
    Task RemovedAsync(CardRemoval removal, CancellationToken cancellationToken);

    /// <summary>A committed write changed what the card shows (the profile, its activity, its ratings).</summary>
    void Changed(string? cardId);
}

public sealed record CardRemoval(string? CardId, IReadOnlyList<WriteOperation> Operations, IReadOnlyList<string> ImageIds);
