using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;

namespace Pairwise.Accounts;

public static class AccountEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var auth = v1.MapGroup("/auth").WithTags("Accounts");
        auth.MapPost("/signup", SignUp).AllowAnonymous().LimitPerUser(UserLimit.Auth)
            .WithSummary("Sign up")
            .WithExample("""{"email":"ada@example.com","password":"analytical engine","displayName":"Ada"}""").WithDescription("Creates an account and starts a session. A six-digit code to verify the e-mail address is sent to it.");
        auth.MapPost("/login", LogIn).AllowAnonymous().LimitPerUser(UserLimit.Auth)
            .WithSummary("Log in")
            .WithExample("""{"email":"ada@example.com","password":"analytical engine"}""").WithDescription("Starts a session. A wrong e-mail and a wrong password get the same answer. Limited per account and per address (429 with Retry-After).");
        auth.MapPost("/refresh", Refresh).AllowAnonymous().LimitPerUser(UserLimit.Auth)
            .WithSummary("Refresh tokens")
            .WithExample("""{"refreshToken":"qC2CfI5zC0AYCFsf5jTYuL8Hs86PaVhlHH8uCh6wFA8"}""").WithDescription("Exchanges a refresh token for a new pair. Each refresh token works once: presenting a used one revokes the whole session.");
        auth.MapPost("/logout", LogOut)
            .WithSummary("Log out").WithDescription("Ends the session of the access token: its refresh tokens and the access token stop working at once, and its real-time connections close.");
        auth.MapPost("/email/verify", VerifyEmail).LimitPerUser(UserLimit.Auth)
            .WithSummary("Verify the e-mail address")
            .WithExample("""{"code":"123456"}""").WithDescription("With the six-digit code that was e-mailed. Five tries per code; a code lasts 15 minutes.");
        auth.MapPost("/email/resend", ResendEmailCode).LimitPerUser(UserLimit.Auth)
            .WithSummary("Send a new e-mail code").WithDescription("At most one a minute.");
        auth.MapPost("/phone", StartPhoneVerification).LimitPerUser(UserLimit.Auth)
            .WithSummary("Add a phone number")
            .WithExample("""{"phone":"+85291234567"}""").WithDescription("Sends a six-digit code by SMS to an E.164 number such as +85291234567.");
        auth.MapPost("/phone/verify", VerifyPhone).LimitPerUser(UserLimit.Auth)
            .WithSummary("Verify the phone number")
            .WithExample("""{"code":"123456"}""").WithDescription("With the code sent by SMS.");

        var me = v1.MapGroup("/me").WithTags("Accounts");
        me.MapGet("/", GetMe).WithSummary("Who am I").WithDescription("The account, its verification state, its current mode and its profiles.");
        me.MapPut("/mode", SetMode).WithSummary("Switch mode")
            .WithExample("""{"market":"gigs","side":"employer"}""").WithDescription("Chooses the market and side the user is acting as (seed 001: employee or employer). The user needs a profile there.");
        return v1;
    }

    public static async Task<Results<Created<TokenResponse>, ValidationProblem, ProblemHttpResult>> SignUp(
        SignupRequest request, HttpContext http, AccountService accounts, CancellationToken cancellationToken)
    {
        var (outcome, session) = await accounts.SignUpAsync(request.Email, request.Password, request.DisplayName, ClientInfo.Of(http), cancellationToken);
        return session is not null ? TypedResults.Created("/v1/me", TokenResponse.From(session)) : Problem(outcome, http);
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> LogIn(
        LoginRequest request, HttpContext http, AccountService accounts, CancellationToken cancellationToken)
    {
        var (outcome, session) = await accounts.LogInAsync(request.Email, request.Password, ClientInfo.Of(http), cancellationToken);
        return session is not null ? TypedResults.Ok(TokenResponse.From(session)) : Problem(outcome, http);
    }

    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Refresh(RefreshRequest request, TokenService tokens, CancellationToken cancellationToken)
    {
        var outcome = await tokens.RefreshAsync(request.RefreshToken, cancellationToken);
        return outcome.Tokens is { } pair
            ? TypedResults.Ok(TokenResponse.From(pair))
            : Problems.Unauthorized(outcome.WasReused
                ? "This refresh token was already used. The session has been revoked; log in again."
                : "The refresh token is not valid or has expired.");
    }

    public static async Task<NoContent> LogOut(ClaimsPrincipal principal, Sessions sessions, CancellationToken cancellationToken)
    {
        if (principal.FindFirstValue(TokenService.FamilyClaim) is { } family)
        {
            await sessions.EndAsync(principal.UserId(), family, "logged out", cancellationToken);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult>> VerifyEmail(
        CodeRequest request, ClaimsPrincipal principal, HttpContext http, AccountService accounts, CancellationToken cancellationToken) =>
        await MeOrProblemAsync(await accounts.VerifyEmailAsync(principal.UserId(), request.Code, cancellationToken), principal, http, accounts, cancellationToken);

    public static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> ResendEmailCode(
        ClaimsPrincipal principal, HttpContext http, AccountService accounts, CancellationToken cancellationToken) =>
        await accounts.ResendEmailCodeAsync(principal.UserId(), cancellationToken) is { Status: not AccountStatus.Done } outcome
            ? Problem(outcome, http)
            : TypedResults.Accepted((string?)null);

    public static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> StartPhoneVerification(
        PhoneRequest request, ClaimsPrincipal principal, HttpContext http, AccountService accounts, CancellationToken cancellationToken)
    {
        var outcome = await accounts.StartPhoneVerificationAsync(principal.UserId(), request.Phone, cancellationToken);
        return outcome.Status == AccountStatus.Done ? TypedResults.Accepted((string?)null) : Problem(outcome, http);
    }

    public static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult>> VerifyPhone(
        CodeRequest request, ClaimsPrincipal principal, HttpContext http, AccountService accounts, CancellationToken cancellationToken) =>
        await MeOrProblemAsync(await accounts.VerifyPhoneAsync(principal.UserId(), request.Code, cancellationToken), principal, http, accounts, cancellationToken);

    public static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMe(ClaimsPrincipal principal, AccountService accounts, CancellationToken cancellationToken) =>
        await accounts.MeAsync(principal.UserId(), cancellationToken) is { } me ? TypedResults.Ok(me) : Problems.NotFound("The account no longer exists.");

    public static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult>> SetMode(
        ModeRequest request, ClaimsPrincipal principal, HttpContext http, AccountService accounts, CancellationToken cancellationToken) =>
        await MeOrProblemAsync(await accounts.SetModeAsync(principal.UserId(), request.Market, request.Side, cancellationToken), principal, http, accounts, cancellationToken);

    private static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult>> MeOrProblemAsync(
        AccountOutcome outcome, ClaimsPrincipal principal, HttpContext http, AccountService accounts, CancellationToken cancellationToken)
    {
        if (outcome.Status != AccountStatus.Done)
        {
            return Problem(outcome, http);
        }
        return await accounts.MeAsync(principal.UserId(), cancellationToken) is { } me ? TypedResults.Ok(me) : Problems.NotFound("The account no longer exists.");
    }

    /// <summary>The one translation of an account outcome into HTTP.</summary>
    internal static ProblemHttpResult Problem(AccountOutcome outcome, HttpContext http) => outcome.Status switch
    {
        AccountStatus.Invalid => Problems.InvalidField(outcome.Field!, outcome.Detail!),
        AccountStatus.Taken or AccountStatus.NoProfile => Problems.Conflict(outcome.Detail!),
        AccountStatus.Unauthorized => Problems.Unauthorized(outcome.Detail!),
        AccountStatus.Throttled => Problems.TooManyRequests(http, outcome.RetryAfter, outcome.Detail!),
        AccountStatus.WrongCode => TypedResults.Problem(outcome.Detail, statusCode: 400, title: outcome.Field),
        _ => Problems.NotFound(outcome.Detail ?? "The account no longer exists."),
    };
}

public sealed record SignupRequest(
    [Required, MaxLength(254)] string Email,
    [Required, StringLength(128, MinimumLength = 8, ErrorMessage = "Use 8 to 128 characters.")] string Password,
    [Required, StringLength(80, MinimumLength = 1), CleanName] string DisplayName);

public sealed record LoginRequest([Required, MaxLength(254)] string Email, [Required, MaxLength(128)] string Password);

public sealed record RefreshRequest([Required, MaxLength(200)] string RefreshToken);

public sealed record CodeRequest([Required, RegularExpression("^[0-9]{6}$", ErrorMessage = "Six digits.")] string Code);

public sealed record PhoneRequest([Required, MaxLength(32)] string Phone);

public sealed record ModeRequest([Required, MaxLength(64)] string Market, [Required, MaxLength(64)] string Side);

public sealed record TokenResponse(string UserId, string AccessToken, string RefreshToken, int ExpiresIn, string TokenType = "Bearer")
{
    public static TokenResponse From(TokenPair pair) => new(pair.UserId, pair.AccessToken, pair.RefreshToken, pair.ExpiresIn);
}

/// <param name="VerifiedShop">An operator approved the account's shop verification.</param>
public sealed record MeResponse(
    string UserId, string Email, string DisplayName, bool EmailVerified, bool PhoneVerified, string? Phone,
    CurrentMode? CurrentMode, IReadOnlyList<ProfileSummary> Profiles, DateTimeOffset CreatedAt, bool VerifiedShop = false, bool IsOperator = false);
