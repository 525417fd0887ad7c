using System.Text.Json;
using Pairwise.Conversations;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Notifications;
using Pairwise.Observability;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Ranking;
using Pairwise.Storage;
using Pairwise.Swipes;

namespace Pairwise.Gigs;

public enum SelectionStatus
{
    Done,
    NotFound,
    Conflict,
}

public sealed record SelectionOutcome(SelectionStatus Status, string? Detail = null, MatchRecord? Match = null);

/// <summary>A response as the job's owner sees it: who, in what state, and how the ranking scores them for this job.</summary>
public sealed record ResponseView(ResponseRecord Response, string? DisplayName, string? CardId, int? Rank, double? Score, Explanation? Explanation);

/// <param name="IsOpen">Whether the job still takes responses (live, and the window not closed).</param>
/// <param name="OpenedAt">Null until the first response opens it (in markets where the first response does).</param>
public sealed record JobWindow(bool IsOpen, DateTimeOffset? OpenedAt, DateTimeOffset? ClosesAt, int WindowMinutes);

/// <summary>
/// Seed 001's matching window, after the job is posted: the best available workers are told; they
/// respond while the window is open (see <see cref="SwipeService"/>); the employer sees the
/// responses ranked and explained and selects one — in one transaction the job closes, the
/// response is selected, the worker becomes busy (and their card with them), and a match and its
/// conversation open — then the others are rejected and told. Completing the job frees the worker
/// and opens mutual ratings. The job's version condition makes every transition happen once,
/// however many requests race for it.
/// </summary>
public sealed class SelectionService(
    IItemStore store, ResponseStore responses, MatchStore matches, MarketCatalog markets, ListingStore listings, ProfileStore profiles, IProfileCards cards, Recommendations recommendations,
    CandidateIndexes indexes, Notifier notifier, Realtime.RealtimePublisher realtime, Stats stats, TimeProvider time)
{
    /// <summary>Tells the best available workers about a new job; returns how many were told.</summary>
    public async Task<int> AnnounceAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await listings.GetAsync(jobId, cancellationToken) is not { } job || markets.Find(job.Record.Market) is not { MatchRule: MatchRule.Selection } market
            || await profiles.GetAsync(job.Record.OwnerProfileId, cancellationToken) is not { } owner || indexes.For(market.Id) is not { } index)
        {
            return 0;
        }
        // The job ranks from the index, which takes it in moments after the commit.
        for (var wait = 0; wait < 100 && index.Find(jobId) is null; wait++)
        {
            await Task.Delay(50, cancellationToken);
        }
        var best = await recommendations.RankForListingAsync(owner.Record, jobId, market.Selection.NotifyBest, cancellationToken);
        var rate = job.Record.Attributes.TryGetValue("hourlyRate", out var hourly) ? $", HK${hourly}/h" : "";
        var district = job.Record.Attributes.TryGetValue("district", out var where) ? $" in {where.GetString()}" : "";
        foreach (var entry in best)
        {
            await notifier.NotifyAsync(entry.Listing.OwnerUserId, NotificationTypes.Job, $"A job for you: {job.Record.Title}{district}{rate}. Respond before the window closes.",
                new Dictionary<string, string> { ["listingId"] = jobId, ["market"] = market.Id }, cancellationToken);
        }
        return best.Count;
    }

    /// <summary>The job's responses for its owner: ranked by how the job's ranking scores each worker, then the rest, each with its state.</summary>
    public async Task<IReadOnlyList<ResponseView>?> ListResponsesAsync(string userId, string jobId, CancellationToken cancellationToken)
    {
        if (await OwnJobAsync(userId, jobId, cancellationToken) is not { } found)
        {
            return null;
        }
        var all = await ResponsesAsync(jobId, cancellationToken);
        var workers = new Dictionary<string, ProfileRecord>(StringComparer.Ordinal);
        foreach (var response in all)
        {
            if (await profiles.GetAsync(response.WorkerProfileId, cancellationToken) is { } worker)
            {
                workers[worker.Record.Id] = worker.Record;
            }
        }
        var ranked = await recommendations.RankForListingAsync(found.Owner, jobId, Ranker.SnapshotSize, cancellationToken);
        var byCard = ranked.Select((entry, i) => (entry, i)).ToDictionary(x => x.entry.Listing.Id, x => x);
        return [.. all.Select(r =>
            {
                var worker = workers.GetValueOrDefault(r.WorkerProfileId);
                return worker?.CardId is { } card && byCard.TryGetValue(card, out var hit)
                    ? new ResponseView(r, worker.DisplayName, card, hit.i + 1, hit.entry.Score, hit.entry.Explanation)
                    : new ResponseView(r, worker?.DisplayName, worker?.CardId, null, null, null);
            })
            .OrderBy(v => v.Rank ?? int.MaxValue).ThenBy(v => v.Response.At)];
    }

    /// <summary>
    /// The job's matching window, for its owner and for the workers who responded (null for anyone
    /// else): when it opened (the first response, or the posting, as the market says), when it
    /// closes, and whether it still takes responses.
    /// </summary>
    public async Task<JobWindow?> WindowAsync(string userId, string jobId, CancellationToken cancellationToken)
    {
        if (await listings.GetAsync(jobId, cancellationToken) is not { } job || markets.Find(job.Record.Market) is not { MatchRule: MatchRule.Selection } market)
        {
            return null;
        }
        if (job.Record.OwnerUserId != userId)
        {
            var worker = market.Sides.FirstOrDefault(s => s.Id != job.Record.Side);
            if (worker is null || await profiles.FindOwnAsync(userId, market.Id, worker.Id, cancellationToken) is not { } mine
                || await responses.GetAsync(jobId, mine.Record.Id, cancellationToken) is null)
            {
                return null;
            }
        }
        var rules = market.Selection;
        var stored = await responses.WindowAsync(jobId, cancellationToken);
        var (opened, closes) = rules.WindowStartsAt == WindowStart.Posting
            ? (job.Record.CreatedAt, job.Record.CreatedAt.AddMinutes(rules.WindowMinutes))
            : stored is { } window ? (window.OpensAt, window.ClosesAt) : ((DateTimeOffset?)null, (DateTimeOffset?)null);
        var now = time.GetUtcNow();
        var taking = listings.IsLive(job.Record) && (closes is null || now <= closes);
        return new JobWindow(taking, opened, closes, rules.WindowMinutes);
    }

    public async Task<SelectionOutcome> SelectAsync(string userId, string jobId, string responseId, CancellationToken cancellationToken)
    {
        return await Optimistic.RetryAsync("The job", async ct =>
        {
            if (await OwnJobAsync(userId, jobId, cancellationToken) is not { } found)
            {
                return Attempt.Done(new SelectionOutcome(SelectionStatus.NotFound, $"You have no job '{jobId}'."));
            }
            var (job, owner, market) = found;
            if (await responses.GetAsync(jobId, responseId, cancellationToken) is not { } stored)
            {
                return Attempt.Done(new SelectionOutcome(SelectionStatus.NotFound, $"There is no response '{responseId}' to this job."));
            }
            var response = stored.Record;
            var lifecycle = market.FindSide(job.Record.Side)!.Listings!.Statuses;
            if (job.Record.Status != lifecycle[0])
            {
                return Attempt.Done(response.Status == ResponseStatus.Selected && await MatchOfAsync(jobId, cancellationToken) is { } made
                    ? new SelectionOutcome(SelectionStatus.Done, Match: made)
                    : new SelectionOutcome(SelectionStatus.Conflict, $"The job is {job.Record.Status}: someone was selected already."));
            }
            if (await profiles.GetAsync(response.WorkerProfileId, cancellationToken) is not { } worker)
            {
                return Attempt.Done(new SelectionOutcome(SelectionStatus.Conflict, "That worker no longer has a profile."));
            }
            var rules = market.Selection;
            if (!IsAvailable(worker.Record, rules))
            {
                return Attempt.Done(new SelectionOutcome(SelectionStatus.Conflict, "That worker took another job in the meantime; select someone else."));
            }

            var now = time.GetUtcNow();
            var match = new MatchRecord
            {
                Id = Ids.New(Ids.Match, time),
                Market = market.Id,
                Kind = "selection",
                ProfileIds = [owner.Id, worker.Record.Id],
                UserIds = [owner.UserId, worker.Record.UserId],
                ListingId = jobId,
                ConversationId = Ids.New(Ids.Conversation, time),
                CreatedAt = now,
            };
            var closed = job.Record with { Status = lifecycle.Count > 1 ? lifecycle[1] : job.Record.Status, UpdatedAt = now };
            var busy = WithAvailability(worker.Record, rules.Busy, now) with { CurrentJobId = jobId };
            var (cardWrites, _) = await cards.WritesForAsync(market.FindSide(worker.Record.Side)!, busy, cancellationToken);
            List<WriteOperation> operations =
            [
                .. listings.ReplaceOperations(job.Record, job.Version, closed),
                ResponseStore.Move(stored, ResponseStatus.Selected),
                .. MatchStore.CreateOperations(match),
                .. ConversationService.Open(new ConversationRecord
                {
                    Id = match.ConversationId,
                    Market = market.Id,
                    MatchId = match.Id,
                    ListingId = jobId,
                    Members = [new(owner.UserId, owner.Id, owner.Side, owner.DisplayName), new(worker.Record.UserId, worker.Record.Id, worker.Record.Side, worker.Record.DisplayName)],
                    CreatedAt = now,
                }),
            ];
            var notice = await notifier.PrepareAsync(worker.Record.UserId, NotificationTypes.Match, $"You got the job: {job.Record.Title}. Say hello to {owner.DisplayName}.",
                new Dictionary<string, string> { ["listingId"] = jobId, ["matchId"] = match.Id, ["conversationId"] = match.ConversationId }, cancellationToken);
            if (notice?.Write is { } write)
            {
                operations.Add(write);
            }
            // The worker's profile (busy) commits with everything else, or nothing does.
            if (!await profiles.ReplaceAsync(busy, worker.Version, [.. operations, .. cardWrites], cancellationToken))
            {
                return Attempt.Conflict<SelectionOutcome>();
            }
            listings.Published(jobId);
            Telemetry.Matches.Add(1, new KeyValuePair<string, object?>("market", market.Id));
            await stats.CountAsync(market.Id, "matches", cancellationToken);
            await realtime.SendAsync([.. match.UserIds.Distinct()], Realtime.RealtimeEvents.Match, new MatchEvent(match.Id, match.Market, match.Kind, match.ConversationId, jobId), cancellationToken);
            await notifier.DeliverAsync([notice], cancellationToken);
            await RejectOthersAsync(job.Record, responseId, cancellationToken);
            return Attempt.Done(new SelectionOutcome(SelectionStatus.Done, Match: match));
        }, cancellationToken);
    }

    /// <summary>The job is done: it is completed (and deleted after the retention), the worker is available again, and both may rate each other.</summary>
    public async Task<SelectionOutcome> CompleteAsync(string userId, string jobId, CancellationToken cancellationToken)
    {
        return await Optimistic.RetryAsync("The job", async ct =>
        {
            if (await OwnJobAsync(userId, jobId, cancellationToken) is not { } found)
            {
                return Attempt.Done(new SelectionOutcome(SelectionStatus.NotFound, $"You have no job '{jobId}'."));
            }
            var (job, _, market) = found;
            var lifecycle = market.FindSide(job.Record.Side)!.Listings!.Statuses;
            var selected = (await ResponsesAsync(jobId, cancellationToken)).FirstOrDefault(r => r.Status is ResponseStatus.Selected or ResponseStatus.Completed);
            var match = await MatchOfAsync(jobId, cancellationToken);
            if (job.Record.Status == lifecycle[^1] && match is not null)
            {
                return Attempt.Done(new SelectionOutcome(SelectionStatus.Done, Match: match));
            }
            if (selected is null || match is null || lifecycle.Count < 3 || job.Record.Status != lifecycle[1])
            {
                return Attempt.Done(new SelectionOutcome(SelectionStatus.Conflict, "Select a worker first; a job is completed after someone did it."));
            }
            var now = time.GetUtcNow();
            var completed = job.Record with { Status = lifecycle[^1], UpdatedAt = now, ExpiresAt = now.AddDays(market.Selection.CompletedRetentionDays) };
            List<WriteOperation> operations =
            [
                .. listings.ReplaceOperations(job.Record, job.Version, completed),
                ResponseStore.Set(selected, ResponseStatus.Completed),
            ];
            var notice = await notifier.PrepareAsync(selected.WorkerUserId, NotificationTypes.Review, $"{job.Record.Title} is complete. Rate your employer.",
                new Dictionary<string, string> { ["listingId"] = jobId, ["matchId"] = match.Id }, cancellationToken);
            if (notice?.Write is { } write)
            {
                operations.Add(write);
            }
            var committed = false;
            if (await profiles.GetAsync(selected.WorkerProfileId, cancellationToken) is { } worker)
            {
                var free = WithAvailability(worker.Record, market.Selection.Available, now) with { CurrentJobId = null };
                var (cardWrites, _) = await cards.WritesForAsync(market.FindSide(worker.Record.Side)!, free, cancellationToken);
                committed = await profiles.ReplaceAsync(free, worker.Version, [.. operations, .. cardWrites], cancellationToken);
            }
            else
            {
                committed = (await store.TransactAsync(operations, cancellationToken)).Committed;
            }
            if (committed)
            {
                listings.Published(jobId);
                await notifier.DeliverAsync([notice], cancellationToken);
                return Attempt.Done(new SelectionOutcome(SelectionStatus.Done, Match: match));
            }
            return Attempt.Conflict<SelectionOutcome>();
        }, cancellationToken);
    }

    private async Task RejectOthersAsync(ListingRecord job, string selected, CancellationToken cancellationToken)
    {
        await foreach (var stored in responses.ListAsync(job.Id, cancellationToken))
        {
            var response = stored.Record;
            if (response.WorkerProfileId == selected || response.Status != ResponseStatus.Pending)
            {
                continue;
            }
            var notice = await notifier.PrepareAsync(response.WorkerUserId, NotificationTypes.Job, $"{job.Title} was filled by someone else. Thank you for responding.",
                new Dictionary<string, string> { ["listingId"] = job.Id }, cancellationToken);
            List<WriteOperation> operations =
            [
                ResponseStore.Move(stored, ResponseStatus.Rejected),
            ];
            if (notice?.Write is { } write)
            {
                operations.Add(write);
            }
            if ((await store.TransactAsync(operations, cancellationToken)).Committed)
            {
                await notifier.DeliverAsync([notice], cancellationToken);
            }
        }
    }

    private async Task<(StoredListing Job, ProfileRecord Owner, MarketDefinition Market)?> OwnJobAsync(string userId, string jobId, CancellationToken cancellationToken)
    {
        if (await listings.GetIncludingExpiredAsync(jobId, cancellationToken) is not { } job || job.Record.OwnerUserId != userId
            || markets.Find(job.Record.Market) is not { MatchRule: MatchRule.Selection } market || job.Record.IsCard
            || await profiles.GetAsync(job.Record.OwnerProfileId, cancellationToken) is not { } owner)
        {
            return null;
        }
        return (job, owner.Record, market);
    }

    private async Task<List<ResponseRecord>> ResponsesAsync(string jobId, CancellationToken cancellationToken)
    {
        var found = new List<ResponseRecord>();
        await foreach (var stored in responses.ListAsync(jobId, cancellationToken))
        {
            found.Add(stored.Record);
        }
        return found;
    }

    /// <summary>The match that selection made for a job (found through the owner's match pointers' newest entries).</summary>
    private async Task<MatchRecord?> MatchOfAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await listings.GetIncludingExpiredAsync(jobId, cancellationToken) is not { } job)
        {
            return null;
        }
        await foreach (var match in matches.AllForUserAsync(job.Record.OwnerUserId, cancellationToken))
        {
            if (match is { Kind: "selection" } && match.ListingId == jobId)
            {
                return match;
            }
        }
        return null;
    }

    public static bool IsAvailable(ProfileRecord worker, SelectionSettings rules) =>
        !worker.Attributes.TryGetValue(rules.AvailabilityAttribute, out var status) || status.ValueKind != JsonValueKind.String || status.GetString() == rules.Available;

    private static ProfileRecord WithAvailability(ProfileRecord worker, string value, DateTimeOffset now)
    {
        var attributes = new Dictionary<string, JsonElement>(worker.Attributes) { ["status"] = JsonSerializer.SerializeToElement(value) };
        return worker with { Attributes = attributes, UpdatedAt = now };
    }
}
