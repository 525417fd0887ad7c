using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Accounts;

public enum ShopVerificationStatus
{
    Done,
    NotFound,
    NotAnImage,
    Invalid,
    AlreadyDecided,
}

public sealed record ShopVerificationOutcome(ShopVerificationStatus Status, ShopVerificationRecord? Request = null, string? Detail = null);

/// <summary>
/// "Verified shop" (seed 002): a seller sends a business registration number and a photo of the
/// document; an operator approves or rejects it; only an approved account shows the badge. The
/// document is cleaned like every upload and kept private (operators only).
/// </summary>
public sealed class ShopVerifications(IItemStore store, IBlobStore blobs, UserStore users, TimeProvider time)
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    public async Task<ShopVerificationOutcome> RequestAsync(string userId, string registrationNumber, byte[] document, CancellationToken cancellationToken)
    {
        var number = registrationNumber.Trim();
        if (number.Length is < 4 or > 40 || !number.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '/' or ' ' or '.'))
        {
            return new ShopVerificationOutcome(ShopVerificationStatus.Invalid, Detail: "4–40 letters, digits, spaces and - / . (as printed on the registration).");
        }
        if (ImagePipeline.Process(document) is not { } image)
        {
            return new ShopVerificationOutcome(ShopVerificationStatus.NotAnImage, Detail: "The document must be a photo or scan as PNG, JPEG or WebP.");
        }
        var request = new ShopVerificationRecord(Ids.New(Ids.ShopVerification, time), userId, number, image.ContentType, Pending, time.GetUtcNow());
        await ImagePipeline.PutAsync(blobs, AccountKeys.ShopDocument(request.Id), image, cancellationToken);
        await store.PutAsync(Item(request, 1), Condition.NotExists, cancellationToken);
        return new ShopVerificationOutcome(ShopVerificationStatus.Done, request);
    }

    /// <summary>Requests in a state (pending first for operators), oldest first.</summary>
    public async Task<(IReadOnlyList<ShopVerificationRecord> Items, string? Cursor)> ListAsync(string state, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query { Index = ItemIndex.Gsi1, Pk = AccountKeys.ShopVerificationsIn(state), Limit = limit, Cursor = cursor }, cancellationToken);
        return ([.. page.Items.Select(i => ItemJson.Deserialize(i, AccountJson.Default.ShopVerificationRecord))], page.Cursor);
    }

    public async Task<Stream?> DocumentAsync(string id, CancellationToken cancellationToken) =>
        Ids.IsWellFormed(id, Ids.ShopVerification) ? await blobs.OpenReadAsync(AccountKeys.ShopDocument(id), cancellationToken) : null;

    /// <summary>An operator's decision; approving marks the account a verified shop.</summary>
    public async Task<ShopVerificationOutcome> DecideAsync(string id, bool approve, string? reason, CancellationToken cancellationToken)
    {
        if (!Ids.IsWellFormed(id, Ids.ShopVerification) || await store.GetAsync(AccountKeys.ShopVerification(id), cancellationToken) is not { } item)
        {
            return new ShopVerificationOutcome(ShopVerificationStatus.NotFound, Detail: $"There is no shop verification '{id}'.");
        }
        var request = ItemJson.Deserialize(item, AccountJson.Default.ShopVerificationRecord);
        if (request.State != Pending)
        {
            return new ShopVerificationOutcome(ShopVerificationStatus.AlreadyDecided, request, $"It was already {request.State}.");
        }
        var now = time.GetUtcNow();
        var decided = request with { State = approve ? Approved : Rejected, DecidedAt = now, Reason = reason };
        if (!await store.PutAsync(Item(decided, item.Version + 1), Condition.VersionIs(item.Version), cancellationToken))
        {
            return new ShopVerificationOutcome(ShopVerificationStatus.AlreadyDecided, request, "Another operator decided it at the same time.");
        }
        if (approve)
        {
            await users.UpdateAsync(request.UserId, user => user with { ShopVerifiedAt = now }, cancellationToken);
        }
        return new ShopVerificationOutcome(ShopVerificationStatus.Done, decided);
    }

    /// <summary>The newest request of the account's owner, to approve or reject by e-mail address (the CLI).</summary>
    public async Task<string?> PendingOfAsync(string userId, CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var (items, next) = await ListAsync(Pending, 100, cursor, cancellationToken);
            if (items.LastOrDefault(r => r.UserId == userId) is { } found)
            {
                return found.Id;
            }
            cursor = next;
        }
        while (cursor is not null);
        return null;
    }

    private static Item Item(ShopVerificationRecord request, long version)
    {
        var key = AccountKeys.ShopVerification(request.Id);
        return new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Gsi1Pk = AccountKeys.ShopVerificationsIn(request.State),
            Gsi1Sk = request.Id,
            Data = ItemJson.Serialize(request, AccountJson.Default.ShopVerificationRecord),
            Version = version,
        };
    }
}
