using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Accounts;

/// <summary>
/// Short-lived JWT access tokens and rotating refresh tokens. Each log-in starts a token family;
/// each refresh marks its token used and issues the next one in the same transaction. A used
/// token presented again means it was stolen or replayed: the whole family is revoked, so the
/// thief's and the victim's tokens both stop working (OAuth 2.0 Security BCP, section 4.14).
/// </summary>
public sealed class TokenService(IItemStore store, Sessions sessions, TimeProvider time, IOptions<PairwiseOptions> options)
{
    public const string Audience = "pairwise-api";
    public const string FamilyClaim = "sid";

    private readonly JsonWebTokenHandler _handler = new();
    private SymmetricSecurityKey? _signingKey;

    public TokenOptions Options => options.Value.Tokens;

    public SecurityKey SigningKey => _signingKey ?? throw new InvalidOperationException("Call InitializeAsync at start.");

    /// <summary>Loads the signing key, creating it on first start. Kept in the store so every node and every restart shares it.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var item = await store.GetAsync(AccountKeys.SigningKey, cancellationToken);
        if (item is null)
        {
            var record = new SigningKeyRecord(Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)), time.GetUtcNow());
            var created = new Item
            {
                Pk = AccountKeys.SigningKey.Pk,
                Sk = AccountKeys.SigningKey.Sk,
                Data = ItemJson.Serialize(record, AccountJson.Default.SigningKeyRecord),
                Version = 1,
            };
            // Another node may win the race to create it; then we use theirs.
            if (!await store.PutAsync(created, Condition.NotExists, cancellationToken))
            {
                item = await store.GetAsync(AccountKeys.SigningKey, cancellationToken);
            }
            item ??= created;
        }
        var key = ItemJson.Deserialize(item, AccountJson.Default.SigningKeyRecord);
        _signingKey = new SymmetricSecurityKey(Convert.FromBase64String(key.Key)) { KeyId = "k1" };
    }

    /// <summary>A key for another purpose (signing links, say), derived from the platform's secret so every node has the same one.</summary>
    public byte[] DeriveKey(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ((SymmetricSecurityKey)SigningKey).Key, 32, info: Encoding.UTF8.GetBytes("pairwise/" + purpose));

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Options.Issuer,
        ValidAudience = Audience,
        IssuerSigningKeyResolver = (_, _, _, _) => [SigningKey],
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = JwtRegisteredClaimNames.Sub,
        LifetimeValidator = (notBefore, expires, _, _) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return (notBefore is null || notBefore <= now.AddSeconds(30)) && expires > now;
        },
    };

    /// <summary>
    /// The signed-in user an access token stands for, checked exactly as a request's bearer token
    /// (signature, issuer, audience, lifetime, an open session); null otherwise. For connections that
    /// authenticate in their first message rather than a header (GraphQL over WebSocket).
    /// </summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string accessToken, CancellationToken cancellationToken)
    {
        if (accessToken.Length is 0 or > 8192)
        {
            return null;
        }
        var result = await _handler.ValidateTokenAsync(accessToken, ValidationParameters());
        if (!result.IsValid
            || result.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value is not { } userId
            || result.ClaimsIdentity.FindFirst(FamilyClaim)?.Value is not { } familyId
            || !await sessions.IsActiveAsync(userId, familyId, cancellationToken))
        {
            return null;
        }
        return new ClaimsPrincipal(result.ClaimsIdentity);
    }

    /// <summary>Starts a new session for the user: a new family, a refresh token and an access token.</summary>
    public async Task<TokenPair> StartSessionAsync(string userId, string? userAgent, CancellationToken cancellationToken)
    {
        var familyId = Ids.New(Ids.TokenFamily, time);
        var now = time.GetUtcNow();
        var key = AccountKeys.Session(userId, familyId);
        var family = new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Data = ItemJson.Serialize(new TokenFamilyRecord(userId, false, now) { UserAgent = userAgent, LastUsedAt = now }, AccountJson.Default.TokenFamilyRecord),
            Version = 1,
            ExpiresAt = now + Options.RefreshTokenLifetime,
        };
        var (refreshToken, refreshItem) = NewRefreshToken(userId, familyId, now);
        await store.TransactAsync([new WriteOperation.Put(family, Condition.NotExists), new WriteOperation.Put(refreshItem, Condition.NotExists)], cancellationToken);
        return new TokenPair(userId, CreateAccessToken(userId, familyId, now), refreshToken, (int)Options.AccessTokenLifetime.TotalSeconds);
    }

    public async Task<RefreshOutcome> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var key = AccountKeys.RefreshToken(HashToken(refreshToken));
        var item = await store.GetAsync(key, cancellationToken);
        if (item is null)
        {
            return RefreshOutcome.Invalid;
        }
        var token = ItemJson.Deserialize(item, AccountJson.Default.RefreshTokenRecord);
        var familyKey = AccountKeys.Session(token.UserId, token.FamilyId);
        var familyItem = await store.GetAsync(familyKey, cancellationToken);
        if (familyItem is null || ItemJson.Deserialize(familyItem, AccountJson.Default.TokenFamilyRecord) is not { Revoked: false } family)
        {
            return RefreshOutcome.Invalid;
        }
        if (token.Used)
        {
            await sessions.EndAsync(token.UserId, token.FamilyId, "refresh token reused", cancellationToken);
            return RefreshOutcome.Reused;
        }
        // A disabled (or deleted) account gets no new tokens.
        if (await store.GetAsync(AccountKeys.User(token.UserId), cancellationToken) is not { } user || ItemJson.Deserialize(user, AccountJson.Default.UserRecord).Disabled)
        {
            return RefreshOutcome.Invalid;
        }

        var now = time.GetUtcNow();
        var (next, nextItem) = NewRefreshToken(token.UserId, token.FamilyId, now);
        var used = item with { Data = ItemJson.Serialize(token with { Used = true }, AccountJson.Default.RefreshTokenRecord), Version = item.Version + 1 };
        var result = await store.TransactAsync(
        [
            new WriteOperation.Put(used, Condition.VersionIs(item.Version)),
            new WriteOperation.Put(nextItem, Condition.NotExists),
            // The family must still be the one we read (not revoked meanwhile); its life slides on.
            new WriteOperation.Put(familyItem with
            {
                Data = ItemJson.Serialize(family with { LastUsedAt = now }, AccountJson.Default.TokenFamilyRecord),
                Version = familyItem.Version + 1,
                ExpiresAt = now + Options.RefreshTokenLifetime,
            }, Condition.VersionIs(familyItem.Version)),
        ], cancellationToken);
        if (!result.Committed)
        {
            // Someone else used this token at the same instant: that is a reuse too.
            await sessions.EndAsync(token.UserId, token.FamilyId, "refresh token used concurrently", cancellationToken);
            return RefreshOutcome.Reused;
        }
        return RefreshOutcome.Refreshed(new TokenPair(token.UserId, CreateAccessToken(token.UserId, token.FamilyId, now), next, (int)Options.AccessTokenLifetime.TotalSeconds));
    }

    private string CreateAccessToken(string userId, string familyId, DateTimeOffset now) => _handler.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Options.Issuer,
        Audience = Audience,
        IssuedAt = now.UtcDateTime,
        NotBefore = now.UtcDateTime,
        Expires = (now + Options.AccessTokenLifetime).UtcDateTime,
        Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId), new Claim(FamilyClaim, familyId), new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N"))]),
        SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
    });

    private (string Token, Item Item) NewRefreshToken(string userId, string familyId, DateTimeOffset now)
    {
        var token = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var key = AccountKeys.RefreshToken(HashToken(token));
        return (token, new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Data = ItemJson.Serialize(new RefreshTokenRecord(userId, familyId, false, now), AccountJson.Default.RefreshTokenRecord),
            Version = 1,
            ExpiresAt = now + Options.RefreshTokenLifetime,
        });
    }

    private static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

public sealed record TokenPair(string UserId, string AccessToken, string RefreshToken, int ExpiresIn);

public sealed record RefreshOutcome(TokenPair? Tokens, bool WasReused)
{
    public static readonly RefreshOutcome Invalid = new(null, false);
    public static readonly RefreshOutcome Reused = new(null, true);
    public static RefreshOutcome Refreshed(TokenPair tokens) => new(tokens, false);
}
