using Pairwise.Markets;
using Pairwise.Profiles;
using Pairwise.Swipes;

namespace Pairwise.Ranking;

/// <summary>The market's hard filters as the swipe checks them: the same criteria, the same both-ways rule as the feed (see <see cref="PreferenceRecipe"/>).</summary>
public sealed class FilterGate(CandidateIndexes indexes) : ISwipeGate
{
    public bool Allows(MarketDefinition market, SideDefinition viewerSide, ProfileRecord viewer, string cardId) => For(market, viewerSide, viewer)(cardId);

    /// <summary>The check for one viewer, their profile encoded once (search asks it of every match).</summary>
    public Func<string, bool> For(MarketDefinition market, SideDefinition viewerSide, ProfileRecord viewer)
    {
        if (indexes.For(market.Id) is not { } index)
        {
            return _ => true;
        }
        var model = index.Model;
        var counterpart = market.CounterpartOf(viewerSide);
        var wants = FeatureView.Of(model.Profile(viewerSide).Encode(viewer.Attributes, viewer.Preferences), model.RankedLength);
        var forward = model.Criteria(viewerSide, counterpart);
        var mutual = market.MatchRule == MatchRule.Mutual && viewerSide.Presentation == Presentation.Card && counterpart.Presentation == Presentation.Card;
        var backward = model.Criteria(counterpart, viewerSide);
        return cardId =>
        {
            var snapshot = index.Current;
            if (index.Find(cardId) is not { } card || card.Row >= snapshot.Count || snapshot.Columns.Cards[card.Row] != card)
            {
                // Not indexed (yet): nothing to check it against.
                return true;
            }
            var features = snapshot.Columns.Features(card.Row);
            return !float.IsNaN(PreferenceRecipe.Match(forward, null, null, wants, features, null, 1))
                && (!mutual || !float.IsNaN(PreferenceRecipe.Match(backward, null, null, features, wants, null, 1)));
        };
    }
}
