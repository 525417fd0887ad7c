using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Accounts;
using Pairwise.Conversations;
using Pairwise.Listings;
using Pairwise.Markets;
using Pairwise.Notifications;
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
    IItemStore store, MarketCatalog markets, ListingStore listings, ProfileStore profiles, FeedService feed, CandidateIndexes indexes,
    Notifier notifier, Realtime.RealtimePublisher realtime, Stats stats, TimeProvider time)
{
    private const int Attempts = 10;

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
        var best = await feed.RankForListingAsync(owner.Record, jobId, market.Selection.NotifyBest, cancellationToken);
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
        var responses = await ResponsesAsync(jobId, cancellationToken);
        var workers = new Dictionary<string, ProfileRecord>(StringComparer.Ordinal);
        foreach (var response in responses)
        {
            if (await profiles.GetAsync(response.WorkerProfileId, cancellationToken) is { } worker)
            {
                workers[worker.Record.Id] = worker.Record;
            }
        }
        var ranked = await feed.RankForListingAsync(found.Owner, jobId, FeedService.SnapshotSize, cancellationToken);
        var byCard = ranked.Select((entry, i) => (entry, i)).ToDictionary(x => x.entry.Listing.Id, x => x);
        return [.. responses.Select(r =>
            {
                var worker = workers.GetValueOrDefault(r.WorkerProfileId);
                return worker?.CardId is { } card && byCard.TryGetValue(card, out var hit)
                    ? new ResponseView(r, worker.DisplayName, card, hit.i + 1, hit.entry.Score, hit.entry.Explanation)
                    : new ResponseView(r, worker?.DisplayName, worker?.CardId, null, null, null);
            })
            .OrderBy(v => v.Rank ?? int.MaxValue).ThenBy(v => v.Response.At)];
    }

    public async Task<SelectionOutcome> SelectAsync(string userId, string jobId, string responseId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (await OwnJobAsync(userId, jobId, cancellationToken) is not { } found)
            {
                return new SelectionOutcome(SelectionStatus.NotFound, $"You have no job '{jobId}'.");
            }
            var (job, owner, market) = found;
            var responseItem = await store.GetAsync(SwipeKeys.Response(jobId, responseId), cancellationToken);
            if (responseItem is null)
            {
                return new SelectionOutcome(SelectionStatus.NotFound, $"There is no response '{responseId}' to this job.");
            }
            var response = ItemJson.Deserialize(responseItem, SwipeJson.Default.ResponseRecord);
            var lifecycle = market.FindSide(job.Record.Side)!.Listings!.Statuses;
            if (job.Record.Status != lifecycle[0])
            {
                return response.Status == ResponseStatus.Selected && await MatchOfAsync(jobId, cancellationToken) is { } made
                    ? new SelectionOutcome(SelectionStatus.Done, Match: made)
                    : new SelectionOutcome(SelectionStatus.Conflict, $"The job is {job.Record.Status}: someone was selected already.");
            }
            if (await profiles.GetAsync(response.WorkerProfileId, cancellationToken) is not { } worker)
            {
                return new SelectionOutcome(SelectionStatus.Conflict, "That worker no longer has a profile.");
            }
            var rules = market.Selection;
            if (!IsAvailable(worker.Record, rules))
            {
                return new SelectionOutcome(SelectionStatus.Conflict, "That worker took another job in the meantime; select someone else.");
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
            var busy = WithAvailability(worker.Record, rules.Busy, now);
            var (cardWrites, _) = await ProfileEndpoints.CardOperationsAsync(listings, market.FindSide(worker.Record.Side)!, busy, time, cancellationToken);
            List<WriteOperation> operations =
            [
                .. listings.ReplaceOperations(job.Record, job.Version, closed),
                new WriteOperation.Put(responseItem with { Data = ItemJson.Serialize(response with { Status = ResponseStatus.Selected }, SwipeJson.Default.ResponseRecord), Version = responseItem.Version + 1 },
                    Condition.VersionIs(responseItem.Version)),
                new WriteOperation.Put(Record(SwipeKeys.Match(match.Id), ItemJson.Serialize(match, SwipeJson.Default.MatchRecord)), Condition.NotExists),
                .. match.UserIds.Distinct().Select(u => new WriteOperation.Put(Record(SwipeKeys.UserMatch(u, match.Id), []))),
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
                continue;
            }
            listings.Published(jobId, worker.Record.CardId);
            Telemetry.Matches.Add(1, new KeyValuePair<string, object?>("market", market.Id));
            await stats.CountAsync(market.Id, "matches", cancellationToken);
            await realtime.SendAsync([.. match.UserIds.Distinct()], Realtime.RealtimeEvents.Match, new MatchEvent(match.Id, match.Market, match.Kind, match.ConversationId, jobId), cancellationToken);
            await notifier.DeliverAsync([notice], cancellationToken);
            await RejectOthersAsync(job.Record, responseId, cancellationToken);
            return new SelectionOutcome(SelectionStatus.Done, Match: match);
        }
        return new SelectionOutcome(SelectionStatus.Conflict, "The job keeps changing; try again.");
    }

    /// <summary>The job is done: it is completed (and deleted after the retention), the worker is available again, and both may rate each other.</summary>
    public async Task<SelectionOutcome> CompleteAsync(string userId, string jobId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (await OwnJobAsync(userId, jobId, cancellationToken) is not { } found)
            {
                return new SelectionOutcome(SelectionStatus.NotFound, $"You have no job '{jobId}'.");
            }
            var (job, _, market) = found;
            var lifecycle = market.FindSide(job.Record.Side)!.Listings!.Statuses;
            var selected = (await ResponsesAsync(jobId, cancellationToken)).FirstOrDefault(r => r.Status is ResponseStatus.Selected or ResponseStatus.Completed);
            var match = await MatchOfAsync(jobId, cancellationToken);
            if (job.Record.Status == lifecycle[^1] && match is not null)
            {
                return new SelectionOutcome(SelectionStatus.Done, Match: match);
            }
            if (selected is null || match is null || lifecycle.Count < 3 || job.Record.Status != lifecycle[1])
            {
                return new SelectionOutcome(SelectionStatus.Conflict, "Select a worker first; a job is completed after someone did it.");
            }
            var now = time.GetUtcNow();
            var completed = job.Record with { Status = lifecycle[^1], UpdatedAt = now, ExpiresAt = now.AddDays(market.Selection.CompletedRetentionDays) };
            var responseKey = SwipeKeys.Response(jobId, selected.WorkerProfileId);
            List<WriteOperation> operations =
            [
                .. listings.ReplaceOperations(job.Record, job.Version, completed),
                new WriteOperation.Put(Record(responseKey, ItemJson.Serialize(selected with { Status = ResponseStatus.Completed }, SwipeJson.Default.ResponseRecord))),
            ];
            var notice = await notifier.PrepareAsync(selected.WorkerUserId, NotificationTypes.Review, $"{job.Record.Title} is complete. Rate your employer.",
                new Dictionary<string, string> { ["listingId"] = jobId, ["matchId"] = match.Id }, cancellationToken);
            if (notice?.Write is { } write)
            {
                operations.Add(write);
            }
            var committed = false;
            string? card = null;
            if (await profiles.GetAsync(selected.WorkerProfileId, cancellationToken) is { } worker)
            {
                var free = WithAvailability(worker.Record, market.Selection.Available, now);
                var (cardWrites, cardId) = await ProfileEndpoints.CardOperationsAsync(listings, market.FindSide(worker.Record.Side)!, free, time, cancellationToken);
                committed = await profiles.ReplaceAsync(free, worker.Version, [.. operations, .. cardWrites], cancellationToken);
                card = cardId;
            }
            else
            {
                committed = (await store.TransactAsync(operations, cancellationToken)).Committed;
            }
            if (committed)
            {
                listings.Published(jobId, card);
                await notifier.DeliverAsync([notice], cancellationToken);
                return new SelectionOutcome(SelectionStatus.Done, Match: match);
            }
        }
        return new SelectionOutcome(SelectionStatus.Conflict, "The job keeps changing; try again.");
    }

    private async Task RejectOthersAsync(ListingRecord job, string selected, CancellationToken cancellationToken)
    {
        await foreach (var item in store.QueryAllAsync(new Query { Pk = SwipeKeys.Responses(job.Id), SortKey = SortKeyCondition.BeginsWith(Ids.Profile), Limit = 100 }, cancellationToken))
        {
            var response = ItemJson.Deserialize(item, SwipeJson.Default.ResponseRecord);
            if (response.WorkerProfileId == selected || response.Status != ResponseStatus.Pending)
            {
                continue;
            }
            var notice = await notifier.PrepareAsync(response.WorkerUserId, NotificationTypes.Job, $"{job.Title} was filled by someone else. Thank you for responding.",
                new Dictionary<string, string> { ["listingId"] = job.Id }, cancellationToken);
            List<WriteOperation> operations =
            [
                new WriteOperation.Put(item with { Data = ItemJson.Serialize(response with { Status = ResponseStatus.Rejected }, SwipeJson.Default.ResponseRecord), Version = item.Version + 1 },
                    Condition.VersionIs(item.Version)),
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
        var responses = new List<ResponseRecord>();
        await foreach (var item in store.QueryAllAsync(new Query { Pk = SwipeKeys.Responses(jobId), SortKey = SortKeyCondition.BeginsWith(Ids.Profile), Limit = 100 }, cancellationToken))
        {
            responses.Add(ItemJson.Deserialize(item, SwipeJson.Default.ResponseRecord));
        }
        return responses;
    }

    /// <summary>The match that selection made for a job (found through the owner's match pointers' newest entries).</summary>
    private async Task<MatchRecord?> MatchOfAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await listings.GetIncludingExpiredAsync(jobId, cancellationToken) is not { } job)
        {
            return null;
        }
        await foreach (var pointer in store.QueryAllAsync(new Query { Pk = SwipeKeys.UserMatches(job.Record.OwnerUserId), Descending = true, Limit = 100 }, cancellationToken))
        {
            if (await store.GetAsync(SwipeKeys.Match(pointer.Sk), cancellationToken) is { } item
                && ItemJson.Deserialize(item, SwipeJson.Default.MatchRecord) is { Kind: "selection" } match && match.ListingId == jobId)
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

    private static Item Record(ItemKey key, byte[] data) => new() { Pk = key.Pk, Sk = key.Sk, Data = data, Version = 1 };
}

/// <summary>Announces new jobs once the ranking index has them, off the request path.</summary>
public sealed partial class JobAnnouncer(SelectionService selection, ILogger<JobAnnouncer> logger) : BackgroundService
{
    private readonly Channel<string> _posted = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Posted(string jobId) => _posted.Writer.TryWrite(jobId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var jobId in _posted.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await selection.AnnounceAsync(jobId, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, jobId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing job {JobId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string jobId);
}

public static class SelectionEndpoints
{
    public static WebApplicationBuilder AddGigs(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SelectionService>();
        builder.Services.AddSingleton<JobAnnouncer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JobAnnouncer>());
        return builder;
    }

    public static RouteGroupBuilder MapGigs(this RouteGroupBuilder v1)
    {
        var job = v1.MapGroup("/listings/{jobId}").WithTags("Gigs");
        job.MapPost("/responses", Respond).WithSummary("Respond to a job (workers)")
            .WithDescription("While you are available and the job's matching window is open (it opens with the first response). The same as a like on the job. The response's id is your worker profile's id.");
        job.MapGet("/responses", ListResponses).WithSummary("The responses to my job, ranked")
            .WithDescription("For the job's owner: each response with its state (pending, selected, rejected, completed), and the job's ranking of that worker with its explanation.");
        job.MapPost("/responses/{responseId}/select", Select).WithSummary("Select the worker for my job")
            .WithDescription("Closes the job, makes the worker busy, opens a match and a conversation, and rejects (and tells) the others. Exactly once, however many requests race.");
        job.MapPost("/complete", Complete).WithSummary("Mark my job completed")
            .WithDescription("The worker becomes available again and both of you may review each other (contextId: the match). The job is deleted 90 days later.");
        return v1;
    }

    public static async Task<Results<Created<ResponseSummary>, ProblemHttpResult>> Respond(
        string jobId, ClaimsPrincipal principal, SwipeService swipes, ListingStore listings, MarketCatalog markets, CancellationToken cancellationToken)
    {
        if (await listings.GetAsync(jobId, cancellationToken) is not { } job || markets.Find(job.Record.Market) is not { MatchRule: MatchRule.Selection } market)
        {
            return Problems.NotFound($"There is no job '{jobId}' taking responses.");
        }
        var side = market.Sides.First(s => market.CounterpartOf(s).Id == job.Record.Side && s.Id != job.Record.Side).Id;
        var outcome = await swipes.SwipeAsync(principal.UserId(), jobId, SwipeActions.Like, side, cancellationToken);
        if (outcome.Status != SwipeStatus.Done)
        {
            return outcome.Status == SwipeStatus.NoSuchCard ? Problems.NotFound($"There is no job '{jobId}' taking responses.") : Problems.Conflict(outcome.Detail ?? "You cannot respond to this job.");
        }
        var (viewer, _) = await swipes.ViewerForAsync(principal.UserId(), market, market.FindSide(job.Record.Side)!, side, cancellationToken);
        return TypedResults.Created($"/v1/listings/{jobId}/responses", new ResponseSummary(viewer!.Record.Id, jobId, ResponseStatus.Pending));
    }

    public static async Task<Results<Ok<ListResponse<ResponseResponse>>, ProblemHttpResult>> ListResponses(
        string jobId, ClaimsPrincipal principal, SelectionService selection, CancellationToken cancellationToken) =>
        await selection.ListResponsesAsync(principal.UserId(), jobId, cancellationToken) is { } views
            ? TypedResults.Ok(new ListResponse<ResponseResponse>([.. views.Select(ResponseResponse.From)], null))
            : Problems.NotFound($"You have no job '{jobId}'.");

    public static async Task<Results<Ok<SelectionResponse>, ProblemHttpResult>> Select(
        string jobId, string responseId, ClaimsPrincipal principal, SelectionService selection, CancellationToken cancellationToken) =>
        Result(await selection.SelectAsync(principal.UserId(), jobId, responseId, cancellationToken));

    public static async Task<Results<Ok<SelectionResponse>, ProblemHttpResult>> Complete(
        string jobId, ClaimsPrincipal principal, SelectionService selection, CancellationToken cancellationToken) =>
        Result(await selection.CompleteAsync(principal.UserId(), jobId, cancellationToken));

    private static Results<Ok<SelectionResponse>, ProblemHttpResult> Result(SelectionOutcome outcome) => outcome.Status switch
    {
        SelectionStatus.Done => TypedResults.Ok(new SelectionResponse(outcome.Match!.Id, outcome.Match.ConversationId, outcome.Match.ProfileIds[1], outcome.Match.UserIds[1])),
        SelectionStatus.NotFound => Problems.NotFound(outcome.Detail!),
        _ => Problems.Conflict(outcome.Detail!),
    };
}

public sealed record ResponseSummary(string Id, string JobId, string Status);

public sealed record ResponseResponse(
    string Id, string WorkerUserId, string WorkerProfileId, string? DisplayName, string? CardId, string Status, DateTimeOffset RespondedAt, int? Rank, double? Score, Explanation? Explanation)
{
    public static ResponseResponse From(ResponseView v) =>
        new(v.Response.WorkerProfileId, v.Response.WorkerUserId, v.Response.WorkerProfileId, v.DisplayName, v.CardId, v.Response.Status, v.Response.At, v.Rank, v.Score, v.Explanation);
}

public sealed record SelectionResponse(string MatchId, string ConversationId, string WorkerProfileId, string WorkerUserId);
