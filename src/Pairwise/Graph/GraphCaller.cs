using System.Net;
using System.Security.Claims;
using GraphQL;
using Pairwise.Accounts;
using Pairwise.Platform;

namespace Pairwise.Graph;

/// <summary>
/// Who runs one GraphQL operation and what it shares across its fields: the user (from the same
/// bearer token as REST), their address and device (for sign-in, sessions and address limits), and
/// the per-operation batch loaders. Carried as the executor's user context.
/// </summary>
public sealed class GraphCaller(ClaimsPrincipal user, IPAddress? address, string? device, IServiceProvider services) : Dictionary<string, object?>
{
    public ClaimsPrincipal User { get; } = user;

    public ClientInfo Client { get; } = new(address, device);

    public GraphLoaders Loaders { get; } = new(services);

    public bool SignedIn => User.Identity?.IsAuthenticated == true;
}

public static class GraphContext
{
    public static GraphCaller Caller(this IResolveFieldContext context) => (GraphCaller)context.UserContext;

    /// <summary>The signed-in user's id; an <c>UNAUTHENTICATED</c> error for anonymous callers.</summary>
    public static string UserId(this IResolveFieldContext context) =>
        context.Caller() is { SignedIn: true } caller ? caller.User.UserId() : throw GraphErrors.SignInFirst();

    public static T Service<T>(this IResolveFieldContext context) where T : notnull =>
        context.RequestServices!.GetRequiredService<T>();

    /// <summary>Spends one unit of the caller's budget, as the REST endpoint for the same operation does; a <c>RATE_LIMITED</c> error past it.</summary>
    public static void Spend(this IResolveFieldContext context, UserLimit limit)
    {
        var caller = context.Caller();
        if (context.Service<UserRateLimits>().TryAcquire(limit, caller.User, caller.Client.Address) is { } wait)
        {
            throw GraphErrors.Limited(wait, UserRateLimits.Describe(limit));
        }
    }
}
