using System.Security.Claims;

namespace Pairwise.Platform;

/// <summary>Who is calling: the token's subject, the same user id everywhere.</summary>
public static class Caller
{
    public static string UserId(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(Microsoft.IdentityModel.JsonWebTokens.JwtRegisteredClaimNames.Sub)
        ?? throw new InvalidOperationException("An authenticated request without a subject.");
}

/// <summary>Authorization policy names; the policies themselves are registered by the features that decide them.</summary>
public static class Policies
{
    /// <summary>Operators: see Accounts' operator policy.</summary>
    public const string Operator = "operator";
}
