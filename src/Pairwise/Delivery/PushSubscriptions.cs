using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Pairwise.Storage;

namespace Pairwise.Delivery;

/// <summary><c>Pairwise:Push</c>: the VAPID identity of this platform and the push services it may call.</summary>
public sealed class PushOptions
{
    /// <summary>The VAPID public key (base64url, 65 bytes); with the private key. Without them, a key pair is made once and kept in the store.</summary>
    public string? PublicKey { get; set; }

    public string? PrivateKey { get; set; }

    /// <summary>How a push service can reach the operator (<c>mailto:</c> or <c>https:</c>).</summary>
    public string Subject { get; set; } = "mailto:operator@pairwise.invalid";

    /// <summary>Push-service hosts besides the browsers' own (e.g. <c>localhost</c> for a test service); plain HTTP is allowed only to these.</summary>
#pragma warning disable CA1819 // Bound from configuration as an array.
    public string[] AllowedHosts { get; set; } = [];
#pragma warning restore CA1819
}

public sealed record PushSubscriptionRecord(string Id, string Endpoint, string P256dh, string Auth, DateTimeOffset CreatedAt, string? UserAgent);

public sealed record VapidKeyRecord(string PublicKey, string PrivateKey);

[JsonSerializable(typeof(PushSubscriptionRecord))]
[JsonSerializable(typeof(VapidKeyRecord))]
internal sealed partial class PushJson : JsonSerializerContext;

public static class PushKeys
{
    public const string SubscriptionPrefix = "PUSH#";

    public static ItemKey Subscription(string userId, string id) => new($"USER#{userId}", SubscriptionPrefix + id);

    public static ItemKey Vapid => new("SYSTEM", "VAPID-KEYS");
}

/// <summary>
/// The devices a user receives pushes on (Web Push, RFC 8030/8291/8292). The server will call
/// whatever endpoint a client registers, so only the browsers' push services (over HTTPS) and the
/// configured hosts are accepted — never an address inside our network.
/// </summary>
public sealed class PushSubscriptions(IItemStore store, IOptions<PushOptions> options, TimeProvider time)
{
    public const int MaxPerUser = 10;

    // The push services of Chrome/Edge (FCM), Firefox (Mozilla autopush), Safari (Apple) and legacy Edge (WNS).
    private static readonly string[] BrowserServices = ["fcm.googleapis.com", "push.services.mozilla.com", "push.apple.com", "notify.windows.com"];

    private VapidKeyRecord? _keys;

    /// <summary>The platform's VAPID key pair: configured, or made once and shared by every node through the store.</summary>
    public async Task<VapidKeyRecord> KeysAsync(CancellationToken cancellationToken)
    {
        if (_keys is not null)
        {
            return _keys;
        }
        if (options.Value is { PublicKey: { Length: > 0 } configuredPublic, PrivateKey: { Length: > 0 } configuredPrivate })
        {
            return _keys = new VapidKeyRecord(configuredPublic, configuredPrivate);
        }
        if (await store.GetAsync(PushKeys.Vapid, cancellationToken) is not { } item)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var parameters = key.ExportParameters(includePrivateParameters: true);
            var made = new VapidKeyRecord(Base64UrlEncoder.Encode([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]), Base64UrlEncoder.Encode(parameters.D!));
            item = new Item { Pk = PushKeys.Vapid.Pk, Sk = PushKeys.Vapid.Sk, Data = ItemJson.Serialize(made, PushJson.Default.VapidKeyRecord), Version = 1 };
            // Another node may have made one meanwhile; then theirs it is.
            if (!await store.PutAsync(item, Condition.NotExists, cancellationToken))
            {
                item = await store.GetAsync(PushKeys.Vapid, cancellationToken) ?? item;
            }
        }
        return _keys = ItemJson.Deserialize(item, PushJson.Default.VapidKeyRecord);
    }

    /// <summary>Registers a device (the same endpoint twice is one subscription); the error names the field at fault.</summary>
    public async Task<(PushSubscriptionRecord? Subscription, string? Field, string? Problem)> AddAsync(
        string userId, string endpoint, string p256dh, string auth, string? userAgent, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || !IsAllowed(uri))
        {
            return (null, "endpoint", "Must be the endpoint of a browser push service (HTTPS).");
        }
        if (Decode(p256dh) is not { Length: 65 } point || point[0] != 0x04)
        {
            return (null, "keys.p256dh", "Must be the subscription's P-256 public key (65 bytes, base64url).");
        }
        if (Decode(auth) is not { Length: 16 })
        {
            return (null, "keys.auth", "Must be the subscription's 16-byte auth secret (base64url).");
        }
        var existing = await ListAsync(userId, cancellationToken);
        var id = "psh_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint)))[..32];
        if (existing.Count >= MaxPerUser && existing.All(s => s.Id != id))
        {
            return (null, "endpoint", $"At most {MaxPerUser} devices; remove one first.");
        }
        var record = new PushSubscriptionRecord(id, endpoint, p256dh, auth, time.GetUtcNow(), userAgent);
        var key = PushKeys.Subscription(userId, id);
        await store.PutAsync(new Item { Pk = key.Pk, Sk = key.Sk, Data = ItemJson.Serialize(record, PushJson.Default.PushSubscriptionRecord), Version = 1 }, Condition.None, cancellationToken);
        return (record, null, null);
    }

    public async Task<IReadOnlyList<PushSubscriptionRecord>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var list = new List<PushSubscriptionRecord>();
        var query = new Query { Pk = $"USER#{userId}", SortKey = SortKeyCondition.BeginsWith(PushKeys.SubscriptionPrefix), Limit = 100 };
        await foreach (var item in store.QueryAllAsync(query, cancellationToken))
        {
            list.Add(ItemJson.Deserialize(item, PushJson.Default.PushSubscriptionRecord));
        }
        return list;
    }

    public async Task<bool> RemoveAsync(string userId, string id, CancellationToken cancellationToken) =>
        id.StartsWith("psh_", StringComparison.Ordinal) && id.Length == 36
        && await store.GetAsync(PushKeys.Subscription(userId, id), cancellationToken) is not null
        && await store.DeleteAsync(PushKeys.Subscription(userId, id), Condition.None, cancellationToken);

    private bool IsAllowed(Uri endpoint)
    {
        var host = endpoint.IdnHost.ToLowerInvariant();
        if (options.Value.AllowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            return endpoint.Scheme is "https" or "http";
        }
        return endpoint.Scheme == "https" && endpoint.IsDefaultPort
            && BrowserServices.Any(service => host == service || host.EndsWith("." + service, StringComparison.Ordinal));
    }

    private static byte[]? Decode(string value)
    {
        try
        {
            return value.Length is > 0 and < 200 ? Base64UrlEncoder.DecodeBytes(value) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
