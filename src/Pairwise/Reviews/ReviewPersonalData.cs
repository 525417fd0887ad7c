using Pairwise.Accounts;
using Pairwise.Storage;
using Pairwise.Swipes;

namespace Pairwise.Reviews;

/// <summary>
/// A deleted account's reviews: reviews of them go; reviews they wrote stay in the other person's
/// rating (it was earned) but no longer name them ("Deleted account").
/// </summary>
public sealed class ReviewPersonalData(IItemStore store, MatchStore matches) : IPersonalData
{
    public async Task ExportAsync(string userId, PersonalArchive archive, CancellationToken cancellationToken)
    {
        var received = new List<ReviewRecord>();
        await foreach (var item in store.QueryAllAsync(new Query { Pk = ReviewKeys.Reviews(userId), Limit = 1000 }, cancellationToken))
        {
            received.Add(ItemJson.Deserialize(item, ReviewJson.Default.ReviewRecord));
        }
        var given = new List<ReviewRecord>();
        await foreach (var match in matches.AllForUserAsync(userId, cancellationToken))
        {
            if (await store.GetAsync(ReviewKeys.Reviewed(match.Id, userId), cancellationToken) is { } marker)
            {
                given.Add(ItemJson.Deserialize(marker, ReviewJson.Default.ReviewRecord));
            }
        }
        archive.Add("reviewsReceived", PersonalArchive.Array(received, ReviewJson.Default.ReviewRecord));
        archive.Add("reviewsGiven", PersonalArchive.Array(given, ReviewJson.Default.ReviewRecord));
    }

    public async Task EraseAsync(string userId, CancellationToken cancellationToken)
    {
        // Reviews of them, and each reviewer's "already reviewed" mark (it holds a copy).
        await foreach (var item in store.QueryAllAsync(new Query { Pk = ReviewKeys.Reviews(userId), Limit = 1000 }, cancellationToken))
        {
            var received = ItemJson.Deserialize(item, ReviewJson.Default.ReviewRecord);
            await store.DeleteAsync(ReviewKeys.Reviewed(received.ContextId, received.ReviewerId), Condition.None, cancellationToken);
        }
        await store.DeletePartitionAsync(ReviewKeys.Reviews(userId), cancellationToken);
        await foreach (var match in matches.AllForUserAsync(userId, cancellationToken))
        {
            var marker = ReviewKeys.Reviewed(match.Id, userId);
            if (await store.GetAsync(marker, cancellationToken) is not { } item)
            {
                continue;
            }
            var review = ItemJson.Deserialize(item, ReviewJson.Default.ReviewRecord);
            var key = ReviewKeys.Review(review.TargetUserId, review.Id);
            if (await store.GetAsync(key, cancellationToken) is { } given)
            {
                var anonymous = review with { ReviewerId = "usr_deleted", ReviewerName = "Deleted account" };
                await store.PutAsync(given with { Data = ItemJson.Serialize(anonymous, ReviewJson.Default.ReviewRecord), Version = given.Version + 1 }, Condition.None, cancellationToken);
            }
            await store.DeleteAsync(marker, Condition.None, cancellationToken);
        }
    }
}
