using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pairwise.Listings;
using Pairwise.Profiles;
using Pairwise.Storage;
using Pairwise.Swipes;

namespace Pairwise.Ranking;

/// <summary>
/// Builds every market's candidate index from the store at start (every live listing, with its
/// owner's profile for cards and its text embedding where the recipe needs one), then applies
/// each published change by re-reading that listing, so a change shows in feeds (and search,
/// <see cref="ListingSearch"/>) within moments.
/// </summary>
public sealed partial class IndexMaintainer(
    CandidateIndexes indexes, ListingSearch search, ListingChanges changes, ListingStore listings, ProfileStore profiles,
    Embeddings embeddings, IItemStore store, Learner learner, TimeProvider time, ILogger<IndexMaintainer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await LoadAllAsync(stoppingToken);
        _ = ReloadLearnedAsync(stoppingToken);
        await foreach (var id in changes.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await ApplyAsync(id, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogApplyFailed(logger, e, id);
            }
            finally
            {
                changes.Applied();
            }
        }
    }

    /// <summary>Reads the learned parameters again every few minutes: the batch that fits them may run on another node.</summary>
    private async Task ReloadLearnedAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Learner.ReloadEvery, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await learner.LoadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReloadFailed(logger, e);
            }
        }
    }

    /// <summary>Builds every market's index from the store (at start, or for a command-line job).</summary>
    public async Task LoadAllAsync(CancellationToken stoppingToken)
    {
        try
        {
            await learner.LoadAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReloadFailed(logger, e);
        }
        foreach (var index in indexes.All)
        {
            try
            {
                var count = await LoadAsync(index, stoppingToken);
                LogLoaded(logger, index.Market.Id, count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogLoadFailed(logger, e, index.Market.Id);
            }
            index.Loaded.TrySetResult();
        }
    }

    private async Task<int> LoadAsync(MarketIndex index, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var listing in listings.LiveInMarketAsync(index.Market.Id, cancellationToken))
        {
            await UpsertAsync(index, listing, cancellationToken, loading: true);
            count++;
        }
        index.Reloaded();
        return count;
    }

    public async Task ApplyAsync(string listingId, CancellationToken cancellationToken)
    {
        if (BehaviourCounters.ChangedCard(listingId) is { } counted)
        {
            await ApplyBehaviourAsync(counted, cancellationToken);
            return;
        }
        var listing = await listings.GetAsync(listingId, cancellationToken);
        if (listing is null)
        {
            foreach (var index in indexes.All)
            {
                index.Remove(listingId);
            }
            search.Remove(listingId);
            return;
        }
        var target = indexes.For(listing.Record.Market);
        if (target is null)
        {
            return;
        }
        if (!listings.IsLive(listing.Record))
        {
            target.Remove(listingId);
            search.Remove(listingId);
            return;
        }
        await UpsertAsync(target, listing.Record, cancellationToken);
    }

    /// <summary>A swipe moved a card's counts: read them and update its row in place (the listing itself did not change).</summary>
    private async Task ApplyBehaviourAsync(string cardId, CancellationToken cancellationToken)
    {
        foreach (var index in indexes.All.Where(i => i.Model.Learning))
        {
            if (index.Find(cardId) is { } card)
            {
                index.SetBehaviour(card, await BehaviourCounters.ReadAsync(store, card.Id, card.OwnerProfileId, time.GetUtcNow(), cancellationToken));
            }
        }
    }

    private async Task UpsertAsync(MarketIndex index, ListingRecord listing, CancellationToken cancellationToken, bool loading = false)
    {
        var owner = listing.IsCard ? (await profiles.GetAsync(listing.OwnerProfileId, cancellationToken))?.Record : null;
        var (card, values) = CandidateIndexes.Card(index.Model, listing, owner);
        float[]? local = null, remote = null;
        if (index.WithEmbeddings)
        {
            var text = CandidateIndexes.Text(listing);
            var lifetime = listing.IsCard ? Embeddings.ProfileText : Embeddings.ListingText;
            local = await embeddings.LocalAsync(text, lifetime, cancellationToken);
            remote = await embeddings.RemoteAsync(text, lifetime, cancellationToken);
        }
        if (index.Model.Learning)
        {
            values = values with { Behaviour = await BehaviourCounters.ReadAsync(store, listing.Id, listing.OwnerProfileId, time.GetUtcNow(), cancellationToken) };
        }
        index.Upsert(card, values, local, remote, loading);
        search.Upsert(listing);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Candidate index for {Market} loaded with {Count} cards")]
    private static partial void LogLoaded(ILogger logger, string market, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading the candidate index for {Market} failed")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, string market);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the learned parameters failed; the last ones stay")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applying a change to listing {ListingId} failed")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception, string listingId);
}

/// <summary>Ready once every market's candidate index is built: until then feeds would be empty.</summary>
public sealed class CandidateIndexHealthCheck(CandidateIndexes indexes) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(indexes.All.All(i => i.Loaded.Task.IsCompleted)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Candidate indexes are still loading."));
}
