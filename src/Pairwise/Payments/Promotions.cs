using Microsoft.Extensions.Options;
using Pairwise.Accounts;
using Pairwise.Listings;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Payments;

public enum PromotionStatus
{
    Done,
    NotFound,
    NotShown,
    NoCredits,
}

public sealed record PromotionOutcome(PromotionStatus Status, PromotionRecord? Promotion = null, string? Detail = null);

/// <summary>
/// Paid promotion (seed 002 #12, #14): a seller buys a boost of a size (1–3) for a number of days
/// for one of their listings. With Stripe configured the seller pays on a Checkout page and the
/// boost starts when Stripe's signed webhook says it was paid; without it, the price is taken from
/// credits an operator grants, and the boost starts at once. A refund ends the boost. The boost is
/// the listing's promotion, which the ranking lifts (bounded, and explained as "promoted").
/// </summary>
public sealed class Promotions(
    IItemStore store, ListingService listings, UserStore users, IOptions<PromotionOptions> prices, IEnumerable<IPaymentProvider> providers, TimeProvider time)
{
    private readonly IPaymentProvider? _provider = providers.FirstOrDefault();

    public long Price(int days, int boost) => prices.Value.PricePerDay * days * boost;

    public async Task<PromotionOutcome> OrderAsync(string userId, string listingId, int days, int boost, string baseUrl, CancellationToken cancellationToken)
    {
        if (await listings.FindOwnAsync(listingId, userId, cancellationToken) is not { } listing)
        {
            return new PromotionOutcome(PromotionStatus.NotFound, Detail: $"There is no listing '{listingId}' of yours.");
        }
        if (!listings.IsLive(listing.Record))
        {
            return new PromotionOutcome(PromotionStatus.NotShown, Detail: "Only a live listing that others can see can be promoted (a product needs its photo first).");
        }
        var promotion = new PromotionRecord(Ids.New(Ids.Promotion, time), listingId, userId, days, boost, Price(days, boost), prices.Value.Currency,
            _provider?.Name ?? "credits", PromotionStates.Pending, time.GetUtcNow());
        if (_provider is null)
        {
            return await PayWithCreditsAsync(promotion, cancellationToken);
        }
        var checkout = await _provider.CheckoutAsync(promotion, $"Promote \"{listing.Record.Title}\" for {days} days (boost {boost})", baseUrl, cancellationToken);
        promotion = promotion with { CheckoutUrl = checkout.Url, PaymentReference = checkout.Reference };
        await store.TransactAsync(
        [
            new WriteOperation.Put(Item(promotion, 1), Condition.NotExists),
            new WriteOperation.Put(ReferenceItem(_provider.Name, checkout.Reference, promotion.Id), Condition.None),
        ], cancellationToken);
        return new PromotionOutcome(PromotionStatus.Done, promotion);
    }

    /// <summary>The provider says the checkout was paid: the boost starts (once, however often it is said).</summary>
    public async Task PaidAsync(string provider, string checkoutReference, string? paymentReference, CancellationToken cancellationToken)
    {
        if (await FindByReferenceAsync(provider, checkoutReference, cancellationToken) is not { } found || found.Promotion.State != PromotionStates.Pending)
        {
            return;
        }
        var promoted = await listings.PromoteAsync(found.Promotion.ListingId, found.Promotion.Boost * 33, found.Promotion.Days, cancellationToken);
        var active = found.Promotion with { State = PromotionStates.Active, EndsAt = promoted.Listing?.Promotion?.BoostUntil };
        List<WriteOperation> writes = [new WriteOperation.Put(Item(active, found.Version + 1), Condition.VersionIs(found.Version))];
        if (paymentReference is not null)
        {
            writes.Add(new WriteOperation.Put(ReferenceItem(provider, paymentReference, active.Id), Condition.None));
        }
        await store.TransactAsync(writes, cancellationToken);
    }

    /// <summary>The payment was refunded (or the checkout expired unpaid): the boost ends.</summary>
    public async Task EndedAsync(string provider, string reference, CancellationToken cancellationToken)
    {
        if (await FindByReferenceAsync(provider, reference, cancellationToken) is not { } found || found.Promotion.State == PromotionStates.Ended)
        {
            return;
        }
        if (found.Promotion.State == PromotionStates.Active)
        {
            await listings.PromoteAsync(found.Promotion.ListingId, 0, 0, cancellationToken);
        }
        await store.PutAsync(Item(found.Promotion with { State = PromotionStates.Ended, EndsAt = time.GetUtcNow() }, found.Version + 1),
            Condition.VersionIs(found.Version), cancellationToken);
    }

    public async Task<PromotionRecord?> GetAsync(string userId, string promotionId, CancellationToken cancellationToken) =>
        Ids.IsWellFormed(promotionId, Ids.Promotion) && await store.GetAsync(PaymentKeys.Promotion(promotionId), cancellationToken) is { } item
        && ItemJson.Deserialize(item, PaymentJson.Default.PromotionRecord) is { } promotion && promotion.UserId == userId
            ? promotion
            : null;

    public async Task<long> BalanceAsync(string userId, CancellationToken cancellationToken) =>
        (await store.GetAsync(PaymentKeys.Credits(userId), cancellationToken))?.Counter ?? 0;

    /// <summary>An operator grants (or, negative, takes back) credits; null when there is no such account.</summary>
    public async Task<long?> GrantAsync(string email, long amount, CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(email, cancellationToken) is not { } user)
        {
            return null;
        }
        return await Optimistic.RetryAsync("The credits", async ct =>
        {
            var key = PaymentKeys.Credits(user.Record.Id);
            var item = await store.GetAsync(key, ct);
            var balance = Math.Max(0, (item?.Counter ?? 0) + amount);
            return await store.PutAsync(new Item { Pk = key.Pk, Sk = key.Sk, Counter = balance, Version = (item?.Version ?? 0) + 1 },
                item is null ? Condition.NotExists : Condition.VersionIs(item.Version), ct)
                ? Attempt.Done<long?>(balance)
                : Attempt.Conflict<long?>();
        }, cancellationToken);
    }

    private async Task<PromotionOutcome> PayWithCreditsAsync(PromotionRecord promotion, CancellationToken cancellationToken)
    {
        var charged = await Optimistic.RetryAsync("The credits", async ct =>
        {
            var key = PaymentKeys.Credits(promotion.UserId);
            var item = await store.GetAsync(key, ct);
            if ((item?.Counter ?? 0) < promotion.Amount)
            {
                return Attempt.Done(false);
            }
            // The charge and the promotion in one transaction: charged once, never without the promotion on record.
            return (await store.TransactAsync(
            [
                new WriteOperation.Put(item! with { Counter = item.Counter - promotion.Amount, Version = item.Version + 1 }, Condition.VersionIs(item.Version)),
                new WriteOperation.Put(Item(promotion, 1), Condition.NotExists),
            ], ct)).Committed ? Attempt.Done(true) : Attempt.Conflict<bool>();
        }, cancellationToken);
        if (!charged)
        {
            return new PromotionOutcome(PromotionStatus.NoCredits, Detail: $"This costs {promotion.Amount} ({promotion.Currency}, smallest unit); your credits are {await BalanceAsync(promotion.UserId, cancellationToken)}.");
        }
        await store.PutAsync(ReferenceItem("credits", promotion.Id, promotion.Id), Condition.None, cancellationToken);
        await PaidAsync("credits", promotion.Id, null, cancellationToken);
        return new PromotionOutcome(PromotionStatus.Done, await GetAsync(promotion.UserId, promotion.Id, cancellationToken));
    }

    private async Task<(PromotionRecord Promotion, long Version)?> FindByReferenceAsync(string provider, string reference, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(PaymentKeys.Reference(provider, reference), cancellationToken) is not { } pointer
            || await store.GetAsync(PaymentKeys.Promotion(System.Text.Encoding.UTF8.GetString(pointer.Data)), cancellationToken) is not { } item)
        {
            return null;
        }
        return (ItemJson.Deserialize(item, PaymentJson.Default.PromotionRecord), item.Version);
    }

    private static Item Item(PromotionRecord promotion, long version)
    {
        var key = PaymentKeys.Promotion(promotion.Id);
        return new Item { Pk = key.Pk, Sk = key.Sk, Data = ItemJson.Serialize(promotion, PaymentJson.Default.PromotionRecord), Version = version };
    }

    private static Item ReferenceItem(string provider, string reference, string promotionId)
    {
        var key = PaymentKeys.Reference(provider, reference);
        return new Item { Pk = key.Pk, Sk = key.Sk, Data = System.Text.Encoding.UTF8.GetBytes(promotionId), Version = 1 };
    }
}
