using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Pairwise.Platform;

namespace Pairwise.Accounts;

/// <summary>
/// Operators are the accounts whose e-mail addresses are listed in <c>Pairwise:Operators</c>
/// (and verified). Checked against the stored account on each operator request, so removing an
/// address from the list takes effect at once.
/// </summary>
public sealed class OperatorPolicy(UserStore users, IOptionsMonitor<PairwiseOptions> options) : AuthorizationHandler<OperatorPolicy.Requirement>
{
    public const string Name = Platform.Policies.Operator;

    public sealed class Requirement : IAuthorizationRequirement;

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, Requirement requirement)
    {
        var operators = options.CurrentValue.Operators;
        if (context.User.FindFirstValue(Microsoft.IdentityModel.JsonWebTokens.JwtRegisteredClaimNames.Sub) is not { } userId || operators.Length == 0)
        {
            return;
        }
        if (await users.GetAsync(userId, CancellationToken.None) is { } user && IsOperator(user.Record, operators))
        {
            context.Succeed(requirement);
        }
    }

    public static bool IsOperator(UserRecord user, IReadOnlyCollection<string> operators) =>
        user.EmailVerified && operators.Contains(user.Email, StringComparer.OrdinalIgnoreCase);
}
