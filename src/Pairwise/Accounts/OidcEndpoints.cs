using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pairwise.Platform;

namespace Pairwise.Accounts;

/// <summary>
/// Sign-in with OpenID Connect providers. The browser goes to <c>start</c>, the platform's
/// OpenID Connect handler takes it to the provider (authorization code with PKCE, state and nonce)
/// and back to <c>callback</c>, where the ID token is checked against the provider's keys; then
/// <c>complete</c> turns the identity into our own tokens, handed to the app in the URL fragment
/// (never sent to a server) of the local page it came from.
/// </summary>
public static class OidcEndpoints
{
    public const string ExternalScheme = "external";
    public const string SchemePrefix = "oidc-";

    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var oidc = v1.MapGroup("/auth/oidc").WithTags("Accounts").AllowAnonymous();
        oidc.MapGet("/", Providers).WithSummary("Identity providers to sign in with").WithDescription("Each with the address that starts a sign-in.");
        oidc.MapGet("/{provider}/start", Start).WithSummary("Sign in with a provider")
            .WithDescription("Redirects to the provider. Afterwards the browser lands on returnUrl (a path on this site) with #accessToken=…&refreshToken=…, "
                + "or #error=… (link_required: an account with that e-mail exists; sign in to it and link the identity).");
        oidc.MapGet("/{provider}/complete", Complete).ExcludeFromDescription();
        var identities = v1.MapGroup("/me/identities").WithTags("Accounts");
        identities.MapGet("/", ListIdentities).WithSummary("My linked identities");
        identities.MapPost("/{provider}/link", StartLink).WithSummary("Link an identity to my account")
            .WithDescription("Returns a one-time startUrl (valid 5 minutes) to open in the browser; the identity signed in there is linked to this account.");
        identities.MapDelete("/{id}", Unlink).WithSummary("Unlink an identity").WithDescription("Refused when it is the only way into the account.");
        return v1;
    }

    public static Ok<ProviderList> Providers(IOptionsMonitor<OidcProviderOptions> options, IConfiguration configuration) =>
        TypedResults.Ok(new ProviderList([.. Names(configuration).Select(name => new ProviderResponse(name, options.Get(name).DisplayName ?? name, $"/v1/auth/oidc/{name}/start"))]));

    public static async Task<Results<ChallengeHttpResult, ProblemHttpResult>> Start(
        string provider, string? returnUrl, string? link, IConfiguration configuration, Identities identities, CancellationToken cancellationToken)
    {
        if (!Names(configuration).Contains(provider))
        {
            return Problems.NotFound($"There is no identity provider '{provider}'.");
        }
        var properties = new AuthenticationProperties { RedirectUri = $"/v1/auth/oidc/{provider}/complete?returnUrl={Uri.EscapeDataString(LocalPath(returnUrl))}" };
        if (link is not null)
        {
            // A one-time token from POST /v1/me/identities/{provider}/link: whose account to link to, carried inside the protected state.
            if (await identities.TakeLinkAsync(link, cancellationToken) is not { } linking)
            {
                return Problems.NotFound("The link has expired; start linking again.");
            }
            properties.Items["link"] = linking;
        }
        return TypedResults.Challenge(properties, [SchemePrefix + provider]);
    }

    public static async Task<RedirectHttpResult> Complete(string provider, string? returnUrl, HttpContext http, Identities identities, CancellationToken cancellationToken)
    {
        var target = LocalPath(returnUrl);
        var external = await http.AuthenticateAsync(ExternalScheme);
        await http.SignOutAsync(ExternalScheme);
        if (!external.Succeeded || external.Principal.FindFirstValue("sub") is not { } subject || external.Principal.FindFirstValue("idp") != provider)
        {
            return TypedResults.Redirect($"{target}#error=failed");
        }
        var principal = external.Principal;
        var (status, session) = await identities.SignInAsync(provider, subject, principal.FindFirstValue("email"),
            string.Equals(principal.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase), principal.FindFirstValue("name"),
            external.Properties?.Items.TryGetValue("link", out var linking) == true ? linking : null, ClientInfo.Of(http).UserAgent, cancellationToken);
        if (session is null)
        {
            var error = status switch { IdentityStatus.LinkRequired => "link_required", IdentityStatus.LinkedElsewhere => "linked_elsewhere", _ => "disabled" };
            return TypedResults.Redirect($"{target}#error={error}");
        }
        var fragment = $"accessToken={session.AccessToken}&refreshToken={Uri.EscapeDataString(session.RefreshToken)}&expiresIn={session.ExpiresIn}&userId={session.UserId}&status={status.ToString().ToLowerInvariant()}";
        return TypedResults.Redirect($"{target}#{fragment}");
    }

    public static async Task<Results<Ok<LinkStart>, ProblemHttpResult>> StartLink(
        string provider, ClaimsPrincipal principal, IConfiguration configuration, Identities identities, CancellationToken cancellationToken)
    {
        if (!Names(configuration).Contains(provider))
        {
            return Problems.NotFound($"There is no identity provider '{provider}'.");
        }
        var token = await identities.StartLinkAsync(principal.UserId(), cancellationToken);
        return TypedResults.Ok(new LinkStart($"/v1/auth/oidc/{provider}/start?link={token}&returnUrl=%2F"));
    }

    public static async Task<Ok<ListResponse<IdentityResponse>>> ListIdentities(ClaimsPrincipal principal, Identities identities, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ListResponse<IdentityResponse>([.. (await identities.ListAsync(principal.UserId(), cancellationToken)).Select(IdentityResponse.From)], null));

    public static async Task<Results<NoContent, ProblemHttpResult>> Unlink(string id, ClaimsPrincipal principal, Identities identities, CancellationToken cancellationToken)
    {
        var (removed, problem) = await identities.UnlinkAsync(principal.UserId(), id, cancellationToken);
        return removed ? TypedResults.NoContent() : problem is null ? Problems.NotFound($"You have no linked identity '{id}'.") : Problems.Conflict(problem);
    }

    /// <summary>The configured provider names.</summary>
    public static IReadOnlyList<string> Names(IConfiguration configuration) =>
        [.. configuration.GetSection("Pairwise:Oidc:Providers").GetChildren().Select(p => p.Key)];

    /// <summary>Only a path on this site: anything else (another host, //host, a scheme) would be an open redirect.</summary>
    private static string LocalPath(string? returnUrl) =>
        returnUrl is { Length: > 0 and < 512 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.Contains('#', StringComparison.Ordinal)
            ? returnUrl
            : "/";
}

public sealed record ProviderResponse(string Name, string DisplayName, string StartUrl);

public sealed record ProviderList(IReadOnlyList<ProviderResponse> Items);

public sealed record LinkStart(string StartUrl);

public sealed record IdentityResponse(string Id, string Provider, string? Email, DateTimeOffset LinkedAt)
{
    public static IdentityResponse From(IdentityRecord identity) => new(identity.Id, identity.Provider, identity.Email, identity.LinkedAt);
}
