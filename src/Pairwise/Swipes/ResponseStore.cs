using System.Runtime.CompilerServices;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Swipes;

public sealed record StoredResponse(ResponseRecord Record, long Version);

/// <summary>Workers' responses to a job (selection markets), written by swipes and moved along by the gigs flow.</summary>
public sealed class ResponseStore(IItemStore store)
{
    public async Task<StoredResponse?> GetAsync(string jobId, string workerProfileId, CancellationToken cancellationToken) =>
        await store.GetAsync(SwipeKeys.Response(jobId, workerProfileId), cancellationToken) is { } item
            ? new StoredResponse(ItemJson.Deserialize(item, SwipeJson.Default.ResponseRecord), item.Version)
            : null;

    /// <summary>Every response to the job, oldest first (the job's window record is not one).</summary>
    public async IAsyncEnumerable<StoredResponse> ListAsync(string jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new Query { Pk = SwipeKeys.Responses(jobId), SortKey = SortKeyCondition.BeginsWith(Ids.Profile), Limit = 100 };
        await foreach (var item in store.QueryAllAsync(query, cancellationToken))
        {
            yield return new StoredResponse(ItemJson.Deserialize(item, SwipeJson.Default.ResponseRecord), item.Version);
        }
    }

    /// <summary>The job's matching window once its first response opened it (markets where the posting opens it have none stored).</summary>
    public async Task<WindowRecord?> WindowAsync(string jobId, CancellationToken cancellationToken) =>
        await store.GetAsync(SwipeKeys.Window(jobId), cancellationToken) is { } item ? ItemJson.Deserialize(item, SwipeJson.Default.WindowRecord) : null;

    /// <summary>Moves a response to <paramref name="status"/> if nobody changed it since it was read.</summary>
    public static WriteOperation Move(StoredResponse response, string status) =>
        new WriteOperation.Put(Item(response.Record with { Status = status }, response.Version + 1), Condition.VersionIs(response.Version));

    /// <summary>Writes the response with <paramref name="status"/>, whatever it was.</summary>
    public static WriteOperation Set(ResponseRecord response, string status) => new WriteOperation.Put(Item(response with { Status = status }, 1));

    private static Item Item(ResponseRecord response, long version)
    {
        var key = SwipeKeys.Response(response.ListingId, response.WorkerProfileId);
        return new Item { Pk = key.Pk, Sk = key.Sk, Data = ItemJson.Serialize(response, SwipeJson.Default.ResponseRecord), Version = version };
    }
}
