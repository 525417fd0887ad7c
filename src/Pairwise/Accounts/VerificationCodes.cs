using System.Security.Cryptography;
using System.Text;
using Pairwise.Storage;

namespace Pairwise.Accounts;

/// <summary>
/// Six-digit one-time codes for e-mail and phone verification: valid for 15 minutes, five tries,
/// one new code a minute. Stored hashed, with the store's TTL removing them when they lapse.
/// </summary>
public sealed class VerificationCodes(IItemStore store, TimeProvider time)
{
    public const int MaxAttempts = 5;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ResendInterval = TimeSpan.FromMinutes(1);

    /// <summary>Issues a code for <paramref name="purpose"/>, or says how long to wait before asking again.</summary>
    public async Task<(string? Code, TimeSpan RetryAfter)> IssueAsync(string userId, string purpose, string? target, CancellationToken cancellationToken)
    {
        var key = AccountKeys.Verification(userId, purpose);
        var now = time.GetUtcNow();
        if (await store.GetAsync(key, cancellationToken) is { } existing)
        {
            var pending = ItemJson.Deserialize(existing, AccountJson.Default.VerificationRecord);
            var wait = pending.IssuedAt + ResendInterval - now;
            if (wait > TimeSpan.Zero)
            {
                return (null, wait);
            }
        }
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var record = new VerificationRecord(Hash(userId, code), target, 0, now, now + Lifetime);
        await store.PutAsync(new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Data = ItemJson.Serialize(record, AccountJson.Default.VerificationRecord),
            Version = 1,
            ExpiresAt = record.ExpiresAt,
        }, Condition.None, cancellationToken);
        return (code, TimeSpan.Zero);
    }

    public Task<VerificationOutcome> VerifyAsync(string userId, string purpose, string code, CancellationToken cancellationToken)
    {
        var key = AccountKeys.Verification(userId, purpose);
        return Optimistic.RetryAsync("The verification code", async ct =>
        {
            var item = await store.GetAsync(key, cancellationToken);
            if (item is null)
            {
                return Attempt.Done(new VerificationOutcome(VerificationStatus.NoPendingCode));
            }
            var record = ItemJson.Deserialize(item, AccountJson.Default.VerificationRecord);
            if (record.Attempts >= MaxAttempts)
            {
                return Attempt.Done(new VerificationOutcome(VerificationStatus.TooManyAttempts));
            }
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(userId, code)), Encoding.ASCII.GetBytes(record.CodeHash)))
            {
                await store.DeleteAsync(key, Condition.VersionIs(item.Version), cancellationToken);
                return Attempt.Done(new VerificationOutcome(VerificationStatus.Verified, record.Target));
            }
            var counted = item with { Data = ItemJson.Serialize(record with { Attempts = record.Attempts + 1 }, AccountJson.Default.VerificationRecord), Version = item.Version + 1 };
            if (await store.PutAsync(counted, Condition.VersionIs(item.Version), cancellationToken))
            {
                return Attempt.Done(new VerificationOutcome(VerificationStatus.WrongCode, AttemptsLeft: MaxAttempts - record.Attempts - 1));
            }
            return Attempt.Conflict<VerificationOutcome>();
        }, cancellationToken);
    }

    private static string Hash(string userId, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}:{code}")));
}

public enum VerificationStatus
{
    Verified,
    WrongCode,
    NoPendingCode,
    TooManyAttempts,
}

public sealed record VerificationOutcome(VerificationStatus Status, string? Target = null, int AttemptsLeft = 0);
