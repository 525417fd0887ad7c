using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Pairwise.Delivery;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Accounts;

/// <summary>One person's data as a zip: <c>data.json</c> with a section per feature, and their files (images).</summary>
public sealed class PersonalArchive
{
    private readonly JsonObject _data = [];
    private readonly List<(string Path, byte[] Bytes)> _files = [];

    public void Add(string section, JsonNode? data) => _data[section] = data;

    public void AddFile(string path, byte[] bytes) => _files.Add((path, bytes));

    public byte[] ToZip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var json = zip.CreateEntry("data.json", CompressionLevel.Optimal).Open())
            using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Indented = true }))
            {
                _data.WriteTo(writer);
            }
            foreach (var (path, bytes) in _files)
            {
                using var entry = zip.CreateEntry(path, CompressionLevel.NoCompression).Open();
                entry.Write(bytes);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>A list of records as a JSON array, each serialised by its feature's own contract.</summary>
    public static JsonArray Array<T>(IEnumerable<T> items, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        [.. items.Select(item => JsonSerializer.SerializeToNode(item, type))];
}

public sealed record ExportRecord(string Id, string Status, DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt = null, long Bytes = 0);

/// <summary>
/// "Export my data": a request is recorded and answered at once (202); a background worker on the
/// node gathers every feature's part into one zip, keeps it as a blob for a week, and e-mails the
/// person that it is ready. A request a node did not finish (it stopped) is picked up again when a
/// node starts.
/// </summary>
public sealed partial class AccountExport(
    IEnumerable<IPersonalData> features, UserStore users, Sessions sessions, IItemStore store, IBlobStore blobs, IEmailSender mail, TimeProvider time,
    ILogger<AccountExport> logger) : BackgroundService
{
    public const string Ready = "ready";
    public const string Preparing = "preparing";
    private static readonly TimeSpan Kept = TimeSpan.FromDays(7);
    private static readonly ItemKey PendingPartition = new("EXPORTS-PENDING", "");
    private readonly Channel<(string UserId, string ExportId)> _queue = Channel.CreateUnbounded<(string, string)>();

    public async Task<ExportRecord> StartAsync(string userId, CancellationToken cancellationToken)
    {
        var record = new ExportRecord(Ids.New("exp", time), Preparing, time.GetUtcNow());
        var key = Key(userId, record.Id);
        await store.TransactAsync(
        [
            new WriteOperation.Put(new Item { Pk = key.Pk, Sk = key.Sk, Data = ItemJson.Serialize(record, AccountJson.Default.ExportRecord), Version = 1, ExpiresAt = record.CreatedAt + Kept }),
            new WriteOperation.Put(new Item { Pk = PendingPartition.Pk, Sk = record.Id, Data = ItemJson.Serialize(new ClaimRecord(userId), AccountJson.Default.ClaimRecord), Version = 1 }),
        ], cancellationToken);
        _queue.Writer.TryWrite((userId, record.Id));
        return record;
    }

    public async Task<ExportRecord?> FindAsync(string userId, string exportId, CancellationToken cancellationToken) =>
        Ids.IsWellFormed(exportId, "exp") && await store.GetAsync(Key(userId, exportId), cancellationToken) is { } item
            ? ItemJson.Deserialize(item, AccountJson.Default.ExportRecord)
            : null;

    public Task<Stream?> OpenAsync(string exportId, CancellationToken cancellationToken) => blobs.OpenReadAsync(Blob(exportId), cancellationToken);

    /// <summary>The person's archives go with their account.</summary>
    public async Task EraseAsync(string userId, CancellationToken cancellationToken)
    {
        await foreach (var item in store.QueryAllAsync(new Query { Pk = AccountKeys.User(userId).Pk, SortKey = SortKeyCondition.BeginsWith("EXPORT#") }, cancellationToken))
        {
            var export = ItemJson.Deserialize(item, AccountJson.Default.ExportRecord);
            await blobs.DeleteAsync(Blob(export.Id), cancellationToken);
            await store.DeleteAsync(PendingPartition with { Sk = export.Id }, Condition.None, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var pending in store.QueryAllAsync(new Query { Pk = PendingPartition.Pk, Limit = 100 }, stoppingToken))
            {
                _queue.Writer.TryWrite((ItemJson.Deserialize(pending, AccountJson.Default.ClaimRecord).UserId, pending.Sk));
            }
            await foreach (var (userId, exportId) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await PrepareAsync(userId, exportId, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e, exportId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Gathers the archive now; the worker calls it, and so can a test.</summary>
    public async Task PrepareAsync(string userId, string exportId, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(userId, cancellationToken) is not { } user)
        {
            await store.DeleteAsync(PendingPartition with { Sk = exportId }, Condition.None, cancellationToken);
            return;
        }
        var archive = new PersonalArchive();
        archive.Add("account", new JsonObject
        {
            ["id"] = user.Id, ["email"] = user.Email, ["emailVerified"] = user.EmailVerified, ["displayName"] = user.DisplayName,
            ["phone"] = user.Phone, ["phoneVerified"] = user.PhoneVerified, ["createdAt"] = user.CreatedAt,
            ["exportedAt"] = time.GetUtcNow(),
        });
        archive.Add("sessions", new JsonArray([.. (await sessions.ListAsync(userId, cancellationToken)).Select(s => (JsonNode)new JsonObject
        {
            ["id"] = s.Id, ["createdAt"] = s.Session.CreatedAt, ["lastUsedAt"] = s.Session.LastUsedAt, ["userAgent"] = s.Session.UserAgent,
        })]));
        foreach (var feature in features)
        {
            await feature.ExportAsync(userId, archive, cancellationToken);
        }
        var zip = archive.ToZip();
        await blobs.PutAsync(Blob(exportId), zip, "application/zip", cancellationToken);
        // The mail is queued before the export says it is ready: whoever sees "ready" finds the mail on its way
        // (a crash in between only sends it twice, when the pending export is prepared again).
        await mail.SendAsync(EmailTemplates.ExportReady(user.Email, $"/v1/me/export/{exportId}"), cancellationToken);
        var key = Key(userId, exportId);
        var ready = new ExportRecord(exportId, Ready, time.GetUtcNow(), time.GetUtcNow(), zip.Length);
        if (await store.GetAsync(key, cancellationToken) is { } item)
        {
            ready = ready with { CreatedAt = ItemJson.Deserialize(item, AccountJson.Default.ExportRecord).CreatedAt };
            await store.PutAsync(item with { Data = ItemJson.Serialize(ready, AccountJson.Default.ExportRecord), Version = item.Version + 1 }, Condition.None, cancellationToken);
        }
        await store.DeleteAsync(PendingPartition with { Sk = exportId }, Condition.None, cancellationToken);
    }

    private static ItemKey Key(string userId, string exportId) => new(AccountKeys.User(userId).Pk, "EXPORT#" + exportId);

    private static string Blob(string exportId) => $"exports/{exportId}.zip";

    [LoggerMessage(Level = LogLevel.Error, Message = "Data export {ExportId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string exportId);
}
