using System.Security.Claims;

namespace Pairwise.Platform;

/// <summary>Who is calling: the token's subject, the same user id everywhere.</summary>
public static class Caller
{
    public static string UserId(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(Microsoft.IdentityModel.JsonWebTokens.JwtRegisteredClaimNames.Sub)
        ?? throw new InvalidOperationException("An authenticated request without a subject.");

    /// <summary>The client's own description (User-Agent) as one line of at most 200 characters, for lists of devices; null when absent.</summary>
    public static string? Device(this HttpContext http) =>
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? TextRules.Line(agent[..Math.Min(agent.Length, 200)]) : null;
}

/// <summary>Authorization policy names; the policies are registered by the features that decide them (rate limits: <see cref="UserRateLimits"/>).</summary>
public static class Policies
{
    /// <summary>Operators: see Accounts' operator policy.</summary>
    public const string Operator = "operator";
}
