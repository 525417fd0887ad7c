using Pairwise.Markets;
using Pairwise.Profiles;
using Pairwise.Swipes;

namespace Pairwise.Ranking;

/// <summary>The market's hard filters as the swipe checks them: the same criteria, the same both-ways rule as the feed (see <see cref="PreferenceRecipe"/>).</summary>
public sealed class FilterGate(CandidateIndexes indexes) : ISwipeGate
{
    public bool Allows(MarketDefinition market, SideDefinition viewerSide, ProfileRecord viewer, string cardId)
    {
        if (indexes.For(market.Id) is not { } index || index.Find(cardId) is not { } card)
        {
            // Not indexed (yet): nothing to check it against.
            return true;
        }
        var snapshot = index.Current;
        if (card.Row >= snapshot.Count || snapshot.Columns.Cards[card.Row] != card)
        {
            return true;
        }
        var model = index.Model;
        var counterpart = market.CounterpartOf(viewerSide);
        var wants = FeatureView.Of(model.Profile(viewerSide).Encode(viewer.Attributes, viewer.Preferences), model.RankedLength);
        var features = snapshot.Columns.Features(card.Row);
        if (float.IsNaN(PreferenceRecipe.Match(model.Criteria(viewerSide, counterpart), null, null, wants, features, null, 1)))
        {
            return false;
        }
        var mutual = market.MatchRule == MatchRule.Mutual && viewerSide.Presentation == Presentation.Card && counterpart.Presentation == Presentation.Card;
        return !mutual || !float.IsNaN(PreferenceRecipe.Match(model.Criteria(counterpart, viewerSide), null, null, features, wants, null, 1));
    }
}
