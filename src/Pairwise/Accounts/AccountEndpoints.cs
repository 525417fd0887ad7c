using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Delivery;
using Pairwise.Markets;
using Pairwise.Platform;
using Pairwise.Profiles;
using Pairwise.Storage;

namespace Pairwise.Accounts;

public static partial class AccountEndpoints
{
    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder v1)
    {
        var auth = v1.MapGroup("/auth").WithTags("Accounts");
        auth.MapPost("/signup", SignUp).AllowAnonymous().RequireRateLimiting(PlatformExtensions.AuthRateLimit)
            .WithSummary("Sign up")
            .WithExample("""{"email":"ada@example.com","password":"analytical engine","displayName":"Ada"}""").WithDescription("Creates an account and starts a session. A six-digit code to verify the e-mail address is sent to it.");
        auth.MapPost("/login", LogIn).AllowAnonymous().RequireRateLimiting(PlatformExtensions.AuthRateLimit)
            .WithSummary("Log in")
            .WithExample("""{"email":"ada@example.com","password":"analytical engine"}""").WithDescription("Starts a session. A wrong e-mail and a wrong password get the same answer. Limited per account and per address (429 with Retry-After).");
        auth.MapPost("/refresh", Refresh).AllowAnonymous().RequireRateLimiting(PlatformExtensions.AuthRateLimit)
            .WithSummary("Refresh tokens")
            .WithExample("""{"refreshToken":"qC2CfI5zC0AYCFsf5jTYuL8Hs86PaVhlHH8uCh6wFA8"}""").WithDescription("Exchanges a refresh token for a new pair. Each refresh token works once: presenting a used one revokes the whole session.");
        auth.MapPost("/logout", LogOut)
            .WithSummary("Log out").WithDescription("Ends the session of the access token: its refresh tokens stop working, and so does the access token within seconds.");
        auth.MapPost("/email/verify", VerifyEmail).RequireRateLimiting(PlatformExtensions.AuthRateLimit)
            .WithSummary("Verify the e-mail address")
            .WithExample("""{"code":"123456"}""").WithDescription("With the six-digit code that was e-mailed. Five tries per code; a code lasts 15 minutes.");
        auth.MapPost("/email/resend", ResendEmailCode).RequireRateLimiting(PlatformExtensions.AuthRateLimit)
            .WithSummary("Send a new e-mail code").WithDescription("At most one a minute.");
        auth.MapPost("/phone", StartPhoneVerification).RequireRateLimiting(PlatformExtensions.AuthRateLimit)
            .WithSummary("Add a phone number")
            .WithExample("""{"phone":"+85291234567"}""").WithDescription("Sends a six-digit code by SMS to an E.164 number such as +85291234567.");
        auth.MapPost("/phone/verify", VerifyPhone).RequireRateLimiting(PlatformExtensions.AuthRateLimit)
            .WithSummary("Verify the phone number")
            .WithExample("""{"code":"123456"}""").WithDescription("With the code sent by SMS.");

        var me = v1.MapGroup("/me").WithTags("Accounts");
        me.MapGet("/", GetMe).WithSummary("Who am I").WithDescription("The account, its verification state, its current mode and its profiles.");
        me.MapPut("/mode", SetMode).WithSummary("Switch mode")
            .WithExample("""{"market":"gigs","side":"employer"}""").WithDescription("Chooses the market and side the user is acting as (seed 001: employee or employer). The user needs a profile there.");
        return v1;
    }

    public static async Task<Results<Created<TokenResponse>, ValidationProblem, ProblemHttpResult>> SignUp(
        SignupRequest request, IItemStore store, PasswordHasher hasher, CommonPasswords common, TokenService tokens,
        VerificationCodes codes, IEmailSender email, Stats stats, TimeProvider time, CancellationToken cancellationToken)
    {
        if (NormaliseEmail(request.Email) is not { } address)
        {
            return Problems.Invalid("email", "Must be an e-mail address.");
        }
        if (common.Contains(request.Password) || request.Password.Equals(address, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Invalid("password", "This password is among the most common ones; choose another.");
        }

        var user = new UserRecord
        {
            Id = Ids.New(Ids.User, time),
            Email = address,
            DisplayName = request.DisplayName.Trim(),
            PasswordHash = hasher.Hash(request.Password),
            CreatedAt = time.GetUtcNow(),
        };
        var result = await store.TransactAsync(
        [
            new WriteOperation.Put(ClaimItem(AccountKeys.Email(address), user.Id), Condition.NotExists),
            new WriteOperation.Put(UserItem(user, 1), Condition.NotExists),
        ], cancellationToken);
        if (!result.Committed)
        {
            return Problems.Conflict("An account with this e-mail address already exists. Log in instead.");
        }

        var (code, _) = await codes.IssueAsync(user.Id, "email", address, cancellationToken);
        if (code is not null)
        {
            await email.SendAsync(VerificationEmail(address, code), cancellationToken);
        }
        var session = await tokens.StartSessionAsync(user.Id, cancellationToken);
        await stats.CountAsync(Stats.AllMarkets, "signups", cancellationToken);
        return TypedResults.Created("/v1/me", TokenResponse.From(session));
    }

    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> LogIn(
        LoginRequest request, HttpContext http, IItemStore store, PasswordHasher hasher, TokenService tokens, LoginThrottle throttle, CancellationToken cancellationToken)
    {
        var address = NormaliseEmail(request.Email) ?? request.Email.Trim().ToLowerInvariant();
        if (throttle.TryAttempt(address) is { } wait)
        {
            return Problems.TooManyRequests(http, wait, "Too many log-in attempts for this account; try again later.");
        }
        var user = await FindUserByEmailAsync(store, address, cancellationToken);
        // Verify against a dummy hash when there is no such user, so both answers take as long.
        if (!hasher.Verify(request.Password, user?.Record.PasswordHash) || user is null || user.Record.Disabled)
        {
            return Problems.Unauthorized("The e-mail address or the password is wrong.");
        }
        return TypedResults.Ok(TokenResponse.From(await tokens.StartSessionAsync(user.Record.Id, cancellationToken)));
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

    public static async Task<NoContent> LogOut(ClaimsPrincipal principal, TokenService tokens, CancellationToken cancellationToken)
    {
        if (principal.FindFirstValue(TokenService.FamilyClaim) is { } family)
        {
            await tokens.RevokeFamilyAsync(family, "logged out", cancellationToken);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult>> VerifyEmail(
        CodeRequest request, ClaimsPrincipal principal, IItemStore store, VerificationCodes codes, ProfileStore profiles, CancellationToken cancellationToken)
    {
        var userId = principal.UserId();
        var outcome = await codes.VerifyAsync(userId, "email", request.Code, cancellationToken);
        if (CodeProblem(outcome) is { } problem)
        {
            return problem;
        }
        var updated = await UpdateUserAsync(store, userId, user => user.Email == outcome.Target ? user with { EmailVerified = true } : user, cancellationToken);
        return updated is null ? Problems.NotFound("The account no longer exists.") : TypedResults.Ok(await MeResponse.CreateAsync(updated, profiles, cancellationToken));
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> ResendEmailCode(
        ClaimsPrincipal principal, HttpContext http, IItemStore store, VerificationCodes codes, IEmailSender email, CancellationToken cancellationToken)
    {
        var user = await GetUserAsync(store, principal.UserId(), cancellationToken);
        if (user is null)
        {
            return Problems.NotFound("The account no longer exists.");
        }
        if (user.Record.EmailVerified)
        {
            return Problems.Conflict("The e-mail address is already verified.");
        }
        var (code, wait) = await codes.IssueAsync(user.Record.Id, "email", user.Record.Email, cancellationToken);
        if (code is null)
        {
            return Problems.TooManyRequests(http, wait, "A code was sent less than a minute ago.");
        }
        await email.SendAsync(VerificationEmail(user.Record.Email, code), cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> StartPhoneVerification(
        PhoneRequest request, ClaimsPrincipal principal, HttpContext http, VerificationCodes codes, ISmsSender sms, CancellationToken cancellationToken)
    {
        var phone = PhoneSeparators().Replace(request.Phone, "");
        if (!E164().IsMatch(phone))
        {
            return Problems.Invalid("phone", "Must be an international number in E.164 form, e.g. +85291234567.");
        }
        var (code, wait) = await codes.IssueAsync(principal.UserId(), "phone", phone, cancellationToken);
        if (code is null)
        {
            return Problems.TooManyRequests(http, wait, "A code was sent less than a minute ago.");
        }
        await sms.SendAsync(phone, $"Your Pairwise code is {code}. It expires in 15 minutes.", cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult>> VerifyPhone(
        CodeRequest request, ClaimsPrincipal principal, IItemStore store, VerificationCodes codes, ProfileStore profiles, CancellationToken cancellationToken)
    {
        var userId = principal.UserId();
        var outcome = await codes.VerifyAsync(userId, "phone", request.Code, cancellationToken);
        if (CodeProblem(outcome) is { } problem)
        {
            return problem;
        }
        var phone = outcome.Target!;
        // One verified number belongs to one account.
        if (!await store.PutAsync(ClaimItem(AccountKeys.Phone(phone), userId), Condition.NotExists, cancellationToken)
            && await store.GetAsync(AccountKeys.Phone(phone), cancellationToken) is { } claim
            && ItemJson.Deserialize(claim, AccountJson.Default.ClaimRecord).UserId != userId)
        {
            return Problems.Conflict("This phone number is verified on another account.");
        }
        var updated = await UpdateUserAsync(store, userId, user => user with { Phone = phone, PhoneVerified = true }, cancellationToken);
        return updated is null ? Problems.NotFound("The account no longer exists.") : TypedResults.Ok(await MeResponse.CreateAsync(updated, profiles, cancellationToken));
    }

    public static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMe(ClaimsPrincipal principal, IItemStore store, ProfileStore profiles, CancellationToken cancellationToken) =>
        await GetUserAsync(store, principal.UserId(), cancellationToken) is { } user
            ? TypedResults.Ok(await MeResponse.CreateAsync(user.Record, profiles, cancellationToken))
            : Problems.NotFound("The account no longer exists.");

    public static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> SetMode(
        ModeRequest request, ClaimsPrincipal principal, IItemStore store, MarketCatalog markets, ProfileStore profiles, CancellationToken cancellationToken)
    {
        var userId = principal.UserId();
        if (markets.Find(request.Market)?.FindSide(request.Side) is null)
        {
            return Problems.NotFound($"There is no side '{request.Side}' in a market '{request.Market}'.");
        }
        if (await profiles.FindOwnAsync(userId, request.Market, request.Side, cancellationToken) is null)
        {
            return Problems.Conflict($"Create a {request.Side} profile in {request.Market} before switching to it.");
        }
        var updated = await UpdateUserAsync(store, userId, user => user with { Mode = new CurrentMode(request.Market, request.Side) }, cancellationToken);
        return updated is null ? Problems.NotFound("The account no longer exists.") : TypedResults.Ok(await MeResponse.CreateAsync(updated, profiles, cancellationToken));
    }

    public static string UserId(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(Microsoft.IdentityModel.JsonWebTokens.JwtRegisteredClaimNames.Sub)
        ?? throw new InvalidOperationException("An authenticated request without a subject.");

    /// <summary>Lower-cased and trimmed, or null when it is not an address.</summary>
    public static string? NormaliseEmail(string email)
    {
        var trimmed = email.Trim().ToLowerInvariant();
        return trimmed.Length <= 254 && MailAddress.TryCreate(trimmed, out var parsed) && parsed.Address == trimmed && trimmed.Contains('.', StringComparison.Ordinal)
            ? trimmed
            : null;
    }

    private static ProblemHttpResult? CodeProblem(VerificationOutcome outcome) => outcome.Status switch
    {
        VerificationStatus.Verified => null,
        VerificationStatus.WrongCode => TypedResults.Problem($"The code is wrong. {outcome.AttemptsLeft} tries left.", statusCode: 400, title: "Wrong code"),
        VerificationStatus.TooManyAttempts => TypedResults.Problem("Too many wrong codes. Ask for a new code.", statusCode: 400, title: "Code locked"),
        _ => TypedResults.Problem("There is no pending code, or it expired. Ask for a new code.", statusCode: 400, title: "No pending code"),
    };

    private static EmailMessage VerificationEmail(string to, string code) => EmailTemplates.Verification(to, code);

    internal sealed record StoredUser(UserRecord Record, long Version);

    internal static async Task<StoredUser?> GetUserAsync(IItemStore store, string userId, CancellationToken cancellationToken) =>
        await store.GetAsync(AccountKeys.User(userId), cancellationToken) is { } item
            ? new StoredUser(ItemJson.Deserialize(item, AccountJson.Default.UserRecord), item.Version)
            : null;

    private static async Task<StoredUser?> FindUserByEmailAsync(IItemStore store, string address, CancellationToken cancellationToken) =>
        await store.GetAsync(AccountKeys.Email(address), cancellationToken) is { } claim
            ? await GetUserAsync(store, ItemJson.Deserialize(claim, AccountJson.Default.ClaimRecord).UserId, cancellationToken)
            : null;

    /// <summary>Read, change, write with a version check; retried when another write came first.</summary>
    internal static async Task<UserRecord?> UpdateUserAsync(IItemStore store, string userId, Func<UserRecord, UserRecord> change, CancellationToken cancellationToken)
    {
        while (await GetUserAsync(store, userId, cancellationToken) is { } user)
        {
            var updated = change(user.Record);
            if (await store.PutAsync(UserItem(updated, user.Version + 1), Condition.VersionIs(user.Version), cancellationToken))
            {
                return updated;
            }
        }
        return null;
    }

    internal static Item UserItem(UserRecord user, long version) => new()
    {
        Pk = AccountKeys.User(user.Id).Pk,
        Sk = AccountKeys.User(user.Id).Sk,
        Data = ItemJson.Serialize(user, AccountJson.Default.UserRecord),
        Version = version,
    };

    internal static Item ClaimItem(ItemKey key, string userId) => new()
    {
        Pk = key.Pk,
        Sk = key.Sk,
        Data = ItemJson.Serialize(new ClaimRecord(userId), AccountJson.Default.ClaimRecord),
        Version = 1,
    };

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"[\s\-().]")]
    private static partial Regex PhoneSeparators();
}

public sealed record SignupRequest(
    [Required, MaxLength(254)] string Email,
    [Required, StringLength(128, MinimumLength = 8, ErrorMessage = "Use 8 to 128 characters.")] string Password,
    [Required, StringLength(80, MinimumLength = 1)] string DisplayName);

public sealed record LoginRequest([Required, MaxLength(254)] string Email, [Required, MaxLength(128)] string Password);

public sealed record RefreshRequest([Required, MaxLength(200)] string RefreshToken);

public sealed record CodeRequest([Required, RegularExpression("^[0-9]{6}$", ErrorMessage = "Six digits.")] string Code);

public sealed record PhoneRequest([Required, MaxLength(32)] string Phone);

public sealed record ModeRequest([Required, MaxLength(64)] string Market, [Required, MaxLength(64)] string Side);

public sealed record TokenResponse(string UserId, string AccessToken, string RefreshToken, int ExpiresIn, string TokenType = "Bearer")
{
    public static TokenResponse From(TokenPair pair) => new(pair.UserId, pair.AccessToken, pair.RefreshToken, pair.ExpiresIn);
}

public sealed record MeResponse(
    string UserId, string Email, string DisplayName, bool EmailVerified, bool PhoneVerified, string? Phone,
    CurrentMode? CurrentMode, IReadOnlyList<ProfileSummary> Profiles, DateTimeOffset CreatedAt)
{
    public static async Task<MeResponse> CreateAsync(UserRecord user, ProfileStore profiles, CancellationToken cancellationToken) => new(
        user.Id, user.Email, user.DisplayName, user.EmailVerified, user.PhoneVerified, user.Phone, user.Mode,
        await profiles.ListOwnAsync(user.Id, cancellationToken), user.CreatedAt);
}
