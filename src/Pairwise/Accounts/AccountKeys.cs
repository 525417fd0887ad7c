using Pairwise.Storage;

namespace Pairwise.Accounts;

/// <summary>Every key the accounts feature writes (see docs/keys.md).</summary>
public static class AccountKeys
{
    public static ItemKey User(string userId) => new($"USER#{userId}", "USER");

    /// <summary>Claims an e-mail address for one user; written in the same transaction as the user.</summary>
    public static ItemKey Email(string normalisedEmail) => new($"EMAIL#{normalisedEmail}", "EMAIL");

    /// <summary>Claims a verified phone number for one user.</summary>
    public static ItemKey Phone(string e164) => new($"PHONE#{e164}", "PHONE");

    /// <summary>A pending verification code (purpose: email, phone); expires with the code.</summary>
    public static ItemKey Verification(string userId, string purpose) => new($"USER#{userId}", $"VERIFY#{purpose}");

    /// <summary>A refresh token, by the SHA-256 of its value: the store never holds a usable token.</summary>
    public static ItemKey RefreshToken(string tokenHash) => new($"REFRESH#{tokenHash}", "REFRESH");

    /// <summary>A session: the chain of refresh tokens from one log-in, in its user's partition; revoking it ends the session.</summary>
    public static ItemKey Session(string userId, string familyId) => new($"USER#{userId}", SessionPrefix + familyId);

    public const string SessionPrefix = "SESSION#";

    /// <summary>The last hour of ended sessions, in order, for every node to close their hub connections.</summary>
    public static ItemKey SessionEnds => new("SESSION-ENDS", "");

    public static ItemKey SigningKey => new("SYSTEM", "JWT-SIGNING-KEY");

    /// <summary>A shop verification request; GSI1 lists them by state for operators (<see cref="ShopVerificationsIn"/>).</summary>
    public static ItemKey ShopVerification(string id) => new($"SHOP-VERIFICATION#{id}", "REQUEST");

    public static string ShopVerificationsIn(string state) => $"SHOP-VERIFICATIONS#{state}";

    /// <summary>The document image of a shop verification (a blob, never public).</summary>
    public static string ShopDocument(string id) => $"documents/{id}";

    /// <summary>An identity at an OpenID Connect provider (by the SHA-256 of its subject), pointing at its account.</summary>
    public static ItemKey Identity(string provider, string subjectHash) => new($"IDENTITY#{provider}#{subjectHash}", "IDENTITY");

    public const string IdentityPrefix = "IDENTITY#";

    /// <summary>The same identity, listed in its account's partition.</summary>
    public static ItemKey UserIdentity(string userId, string identityId) => new($"USER#{userId}", IdentityPrefix + identityId);

    /// <summary>A one-time token that lets a browser start linking an identity to the signed-in account (5 minutes).</summary>
    public static ItemKey LinkStart(string tokenHash) => new($"LINKSTART#{tokenHash}", "LINKSTART");
}
