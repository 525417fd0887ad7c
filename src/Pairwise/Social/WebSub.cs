using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Pairwise.Platform;

namespace Pairwise.Social;

/// <summary>
/// WebSub (W3C) for feeds that name a hub: we subscribe with a callback on this deployment's
/// public address and a secret; the hub checks the callback (we echo its challenge only for a
/// topic we asked for) and then pushes new entries, signed with the secret, which are applied at
/// once. Polling goes on as the safety net (at the same interval), so a lost push costs only time.
/// </summary>
public sealed partial class WebSub(
    IHttpClientFactory clients, LinkedAccounts accounts, ConnectorSync sync, IOptions<PairwiseOptions> pairwise, TimeProvider time, ILogger<WebSub> logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromDays(10);

    public static string CallbackPath(string linkedId) => $"/v1/social/websub/{linkedId}";

    /// <summary>Asks the account's hub for pushes when it has one, we have a public address, and no lease is running.</summary>
    public async Task SubscribeIfDueAsync(LinkedAccountRecord account, CancellationToken cancellationToken)
    {
        if (account.Hub is not { } hub || pairwise.Value.PublicUrl is not { } publicUrl || account.HubSubscribedUntil > time.GetUtcNow().AddDays(1))
        {
            return;
        }
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        if (!await sync.RecordAsync(account.UserId, account.Id, a => a with { SealedHubSecret = accounts.Seal(secret), HubSubscribedUntil = null }, cancellationToken))
        {
            return;
        }
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["hub.mode"] = "subscribe",
            ["hub.topic"] = account.Topic ?? account.Address,
            ["hub.callback"] = new Uri(publicUrl, CallbackPath(account.Id)).ToString(),
            ["hub.secret"] = secret,
            ["hub.lease_seconds"] = ((int)Lease.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        });
        try
        {
            using var response = await clients.CreateClient(FeedConnector.ClientName).PostAsync(hub, form, cancellationToken);
            LogSubscribing(logger, account.Id, (int)response.StatusCode);
        }
        catch (Exception e) when (ConnectorSync.IsProviderFailure(e))
        {
            LogSubscribing(logger, account.Id, 0);
        }
    }

    /// <summary>Tells the hub to stop pushing for an account that is being unlinked (best effort: the lease runs out anyway).</summary>
    public async Task UnsubscribeAsync(LinkedAccountRecord account, CancellationToken cancellationToken)
    {
        if (account.Hub is not { } hub || account.HubSubscribedUntil is null || pairwise.Value.PublicUrl is not { } publicUrl)
        {
            return;
        }
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["hub.mode"] = "unsubscribe",
            ["hub.topic"] = account.Topic ?? account.Address,
            ["hub.callback"] = new Uri(publicUrl, CallbackPath(account.Id)).ToString(),
        });
        try
        {
            using var response = await clients.CreateClient(FeedConnector.ClientName).PostAsync(hub, form, cancellationToken);
        }
        catch (Exception e) when (ConnectorSync.IsProviderFailure(e))
        {
            // The hub keeps pushing until the lease ends; pushes for an unknown account are refused.
        }
    }

    /// <summary>The hub's check of a (un)subscription: the challenge to echo, or null to refuse.</summary>
    public async Task<string?> VerifyAsync(string linkedId, string? mode, string? topic, string? challenge, int? leaseSeconds, CancellationToken cancellationToken)
    {
        if (challenge is null || await accounts.FindAsync(linkedId, cancellationToken) is not { Account: var account })
        {
            return mode == "unsubscribe" ? challenge : null;
        }
        if (mode != "subscribe" || account.Hub is null || topic != (account.Topic ?? account.Address))
        {
            return null;
        }
        var until = time.GetUtcNow().AddSeconds(leaseSeconds ?? (int)Lease.TotalSeconds);
        await sync.RecordAsync(account.UserId, account.Id, a => a with { HubSubscribedUntil = until }, cancellationToken);
        return challenge;
    }

    /// <summary>A push: applied when its signature proves it comes from the hub we subscribed at; false otherwise (then it is ignored).</summary>
    public async Task<bool> DeliverAsync(string linkedId, string? signature, byte[] body, CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync(linkedId, cancellationToken) is not { Account: { SealedHubSecret: { } sealedSecret } account }
            || !IsSigned(accounts.Unseal(sealedSecret), signature, body))
        {
            return false;
        }
        var posts = FeedConnector.Pushed(account, body);
        await sync.ApplyAsync(new PollResult(account, posts, Complete: false), cancellationToken);
        return true;
    }

    /// <summary>X-Hub-Signature: <c>method=hex</c>, an HMAC of the body with the subscription's secret.</summary>
    public static bool IsSigned(string secret, string? signature, byte[] body)
    {
        if (signature?.Split('=', 2) is not [var method, var hex])
        {
            return false;
        }
        var key = System.Text.Encoding.UTF8.GetBytes(secret);
        byte[]? expected = method.ToLowerInvariant() switch
        {
#pragma warning disable CA5350 // WebSub hubs may sign with sha1; as an HMAC it still proves the sender.
            "sha1" => HMACSHA1.HashData(key, body),
#pragma warning restore CA5350
            "sha256" => HMACSHA256.HashData(key, body),
            "sha384" => HMACSHA384.HashData(key, body),
            "sha512" => HMACSHA512.HashData(key, body),
            _ => null,
        };
        byte[] given;
        try
        {
            given = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return false;
        }
        return expected is not null && CryptographicOperations.FixedTimeEquals(expected, given);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Asked the WebSub hub of {LinkedId} for pushes: {Status}")]
    private static partial void LogSubscribing(ILogger logger, string linkedId, int status);
}
