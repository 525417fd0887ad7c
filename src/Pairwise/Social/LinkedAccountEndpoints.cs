using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Pairwise.Platform;

namespace Pairwise.Social;

/// <summary>Linked accounts (Bluesky, feeds), the WebSub callback, and the socials a profile shows.</summary>
public static class LinkedAccountEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var linked = v1.MapGroup("/me/linked-accounts").WithTags("Social");
        linked.MapPost("/", Link).WithSummary("Link an account on another network")
            .WithDescription("{provider: \"bluesky\", service?, identifier, appPassword} signs in with an app password (never stored: only the session, encrypted); "
                + "{provider: \"feed\", url} follows an RSS, Atom or JSON feed. Several accounts per network. public: shown on your profiles. "
                + "Addresses on loopback, private or link-local networks are refused. Its posts reach your feed at once and at every poll after.")
            .WithExample("""{"provider":"feed","url":"https://blog.example.com/feed.xml","public":true}""")
            .LimitPerUser(UserLimit.Listing);
        linked.MapGet("/", List).WithSummary("My linked accounts").WithDescription("With each one's health: stale (its last poll failed, and why) and when it was last read.");
        linked.MapPatch("/{id}", Change).WithSummary("Show or hide a linked account on my profiles").WithExample("""{"public":true}""");
        linked.MapDelete("/{id}", Unlink).WithSummary("Unlink an account")
            .WithDescription("Its tokens and every post cached for it are deleted at once, and it leaves your feed.");
        v1.MapGet("/profiles/{profileId}/socials", Socials).WithTags("Social").WithSummary("The linked accounts a profile shows")
            .WithDescription("Handles and links of the accounts its owner chose to make public (seed 002's proof of who a seller is).");

        var webSub = v1.MapGroup("/social/websub/{id}").WithTags("Social").AllowAnonymous().ExcludeFromDescription();
        webSub.MapGet("/", Verify);
        webSub.MapPost("/", Deliver).DisableAntiforgery();
        return v1;
    }

    public static async Task<Results<Created<LinkedAccountResponse>, ValidationProblem, ProblemHttpResult>> Link(
        LinkAccountRequest request, ClaimsPrincipal principal, IEnumerable<ISocialConnector> connectors, LinkedAccounts accounts, ConnectorSync sync,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var me = principal.UserId();
        if (Validate(request) is { } problem)
        {
            return problem;
        }
        var connector = connectors.First(c => c.Provider == request.Provider);
        var existing = await accounts.ListAsync(me, cancellationToken);
        if (existing.Count >= LinkedAccounts.MaxPerUser)
        {
            return Problems.Conflict($"You have linked {LinkedAccounts.MaxPerUser} accounts, the most there may be; unlink one first.");
        }
        var link = new LinkRequest(request.Provider, request.Service is null ? null : new Uri(request.Service), request.Identifier?.Trim(), request.AppPassword,
            request.Url is null ? null : new Uri(request.Url), request.Public ?? false);
        if (link.Url is { } url && existing.Any(a => a.Account.Address == url.ToString()))
        {
            return Problems.Conflict($"You have linked the feed {url} already.");
        }
        LinkedAccountRecord account;
        try
        {
            account = await connector.LinkAsync(me, Ids.New(Ids.LinkedAccount, time), link, cancellationToken);
        }
        catch (Exception e) when (ConnectorSync.IsProviderFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            var detail = ConnectorSync.Describe(e);
            var field = request.Provider == Providers.Feed ? "url" : "service";
            // What the user can fix (a refused address, a name that does not exist, a wrong password, not a feed, a 4xx) is theirs; a provider that is down is a 503.
            return e is ConnectorRefusedException || e.InnerException is RefusedAddressException || ConnectorSync.IsUnknownHost(e)
                || e is HttpRequestException { StatusCode: < HttpStatusCode.InternalServerError }
                ? Problems.Invalid(e is ConnectorRefusedException && request.Provider == Providers.Bluesky ? "appPassword" : field, detail)
                : throw new DependencyUnavailableException($"{link.Service?.Host ?? link.Url?.Host} could not be reached: {detail}", e);
        }
        if (account.ProviderId is { } did && existing.Any(a => a.Account.Provider == account.Provider && a.Account.ProviderId == did && a.Account.Address == account.Address))
        {
            return Problems.Conflict($"You have linked {account.Handle} already.");
        }
        await accounts.SaveAsync(account, 0, cancellationToken);
        // The first read at once, so the feed has its posts now; a failure here only marks it stale.
        await sync.PollAsync(connector, account, cancellationToken);
        var stored = await accounts.GetAsync(me, account.Id, cancellationToken);
        return TypedResults.Created($"/v1/me/linked-accounts/{account.Id}", LinkedAccountResponse.From(stored?.Account ?? account, time.GetUtcNow()));
    }

    private static ValidationProblem? Validate(LinkAccountRequest request)
    {
        static bool IsWeb(string? value, out Uri? uri) =>
            Uri.TryCreate(value, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.UserInfo.Length == 0;
        switch (request.Provider)
        {
            case Providers.Bluesky:
                if (request.Service is not null && !IsWeb(request.Service, out _))
                {
                    return Problems.Invalid("service", "The service is the account's server, an absolute http(s) address (e.g. https://bsky.social).");
                }
                if (string.IsNullOrWhiteSpace(request.Identifier))
                {
                    return Problems.Invalid("identifier", "The identifier is the account's handle or e-mail.");
                }
                return string.IsNullOrEmpty(request.AppPassword)
                    ? Problems.Invalid("appPassword", "An app password of the account (Settings → App passwords), never its main password.")
                    : null;
            case Providers.Feed:
                return IsWeb(request.Url, out _) ? null : Problems.Invalid("url", "The feed's absolute http(s) address.");
            default:
                return Problems.Invalid("provider", $"Not a network Pairwise links: it links {Providers.Bluesky} and {Providers.Feed}.");
        }
    }

    public static async Task<Ok<ListResponse<LinkedAccountResponse>>> List(ClaimsPrincipal principal, LinkedAccounts accounts, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ListResponse<LinkedAccountResponse>(
            [.. (await accounts.ListAsync(principal.UserId(), cancellationToken)).Select(a => LinkedAccountResponse.From(a.Account, time.GetUtcNow()))], null));

    public static async Task<Results<Ok<LinkedAccountResponse>, ValidationProblem, ProblemHttpResult>> Change(
        string id, LinkedAccountChange change, ClaimsPrincipal principal, LinkedAccounts accounts, ConnectorSync sync, TimeProvider time, CancellationToken cancellationToken)
    {
        if (change.Public is not { } shown)
        {
            return Problems.Invalid("public", "Say whether the account is shown on your profiles (true or false).");
        }
        var me = principal.UserId();
        if (!await sync.RecordAsync(me, id, a => a with { Public = shown }, cancellationToken) || await accounts.GetAsync(me, id, cancellationToken) is not { } stored)
        {
            return Problems.NotFound($"You have no linked account '{id}'.");
        }
        return TypedResults.Ok(LinkedAccountResponse.From(stored.Account, time.GetUtcNow()));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unlink(string id, ClaimsPrincipal principal, LinkedAccounts accounts, WebSub webSub, CancellationToken cancellationToken)
    {
        var me = principal.UserId();
        if (await accounts.GetAsync(me, id, cancellationToken) is not { Account: var account } || !await accounts.UnlinkAsync(me, id, cancellationToken))
        {
            return Problems.NotFound($"You have no linked account '{id}'.");
        }
        await webSub.UnsubscribeAsync(account, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ListResponse<PublicSocial>>, ProblemHttpResult>> Socials(
        string profileId, ClaimsPrincipal principal, Follows follows, LinkedAccounts accounts, CancellationToken cancellationToken)
    {
        if (await follows.VisibleProfileAsync(principal.UserId(), profileId, cancellationToken) is not { } profile)
        {
            return Problems.NotFound($"There is no profile '{profileId}'.");
        }
        var shown = (await accounts.ListAsync(profile.UserId, cancellationToken)).Select(a => a.Account).Where(a => a.Public)
            .Select(a => new PublicSocial(a.Provider, a.Handle, a.ProfileUrl)).ToList();
        return TypedResults.Ok(new ListResponse<PublicSocial>(shown, null));
    }

    public static async Task<Results<ContentHttpResult, NotFound>> Verify(
        string id, [FromQuery(Name = "hub.mode")] string? mode, [FromQuery(Name = "hub.topic")] string? topic, [FromQuery(Name = "hub.challenge")] string? challenge,
        [FromQuery(Name = "hub.lease_seconds")] int? leaseSeconds, WebSub webSub, CancellationToken cancellationToken) =>
        await webSub.VerifyAsync(id, mode, topic, challenge, leaseSeconds, cancellationToken) is { } echo ? TypedResults.Text(echo, "text/plain") : TypedResults.NotFound();

    public static async Task<Results<Accepted, ProblemHttpResult>> Deliver(
        string id, HttpRequest request, WebSub webSub, IOptions<SocialOptions> options, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        if (body.Length > options.Value.MaxFeedBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: "The pushed feed is too large.");
        }
        return await webSub.DeliverAsync(id, request.Headers["X-Hub-Signature"].FirstOrDefault(), body.ToArray(), cancellationToken)
            ? TypedResults.Accepted((string?)null)
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: "The push is not signed with the secret of a subscription of ours.");
    }
}
