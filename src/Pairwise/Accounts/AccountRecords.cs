using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pairwise.Accounts;

public sealed record UserRecord
{
    public required string Id { get; init; }
    public required string Email { get; init; }
    public required string DisplayName { get; init; }
    public required string PasswordHash { get; init; }
    public bool EmailVerified { get; init; }
    public string? Phone { get; init; }
    public bool PhoneVerified { get; init; }
    public CurrentMode? Mode { get; init; }
    public bool Disabled { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When an operator approved the account's shop verification (business registration checked); null: not a verified shop.</summary>
    public DateTimeOffset? ShopVerifiedAt { get; init; }
}

/// <summary>A seller's request to be shown as a verified shop: the registration number and a document image, for an operator to check.</summary>
public sealed record ShopVerificationRecord(
    string Id, string UserId, string RegistrationNumber, string DocumentContentType, string State, DateTimeOffset RequestedAt,
    DateTimeOffset? DecidedAt = null, string? Reason = null);

/// <summary>The market and side a user is acting as right now (seed 001: employee or employer).</summary>
public sealed record CurrentMode(string Market, string Side);

public sealed record ClaimRecord(string UserId);

public sealed record RefreshTokenRecord(string UserId, string FamilyId, bool Used, DateTimeOffset IssuedAt);

public sealed record TokenFamilyRecord(string UserId, bool Revoked, DateTimeOffset CreatedAt, string? RevokedBecause = null)
{
    /// <summary>The device's own description (its User-Agent), as the owner sees it in their list of sessions.</summary>
    public string? UserAgent { get; init; }

    /// <summary>When a token of the session was last refreshed (about every 15 minutes while in use).</summary>
    public DateTimeOffset? LastUsedAt { get; init; }
}

/// <summary>Who is calling, as far as sessions and log-in limits care: the client's address and its User-Agent.</summary>
public sealed record ClientInfo(System.Net.IPAddress? Address, string? UserAgent)
{
    public static ClientInfo Of(HttpContext http) =>
        new(http.Connection.RemoteIpAddress, Platform.Caller.Device(http));
}

public sealed record VerificationRecord(string CodeHash, string? Target, int Attempts, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

public sealed record SigningKeyRecord(string Key, DateTimeOffset CreatedAt);

[JsonSerializable(typeof(UserRecord))]
[JsonSerializable(typeof(ClaimRecord))]
[JsonSerializable(typeof(RefreshTokenRecord))]
[JsonSerializable(typeof(TokenFamilyRecord))]
[JsonSerializable(typeof(SessionEnd))]
[JsonSerializable(typeof(ExportRecord))]
[JsonSerializable(typeof(IdentityRecord))]
[JsonSerializable(typeof(VerificationRecord))]
[JsonSerializable(typeof(SigningKeyRecord))]
[JsonSerializable(typeof(ShopVerificationRecord))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class AccountJson : JsonSerializerContext;
