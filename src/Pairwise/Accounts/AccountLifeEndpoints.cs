using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pairwise.Platform;

namespace Pairwise.Accounts;

/// <summary>The account's life over HTTP: name, e-mail, password, forgotten password, sessions. Rules in <see cref="AccountLife"/>.</summary>
public static class AccountLifeEndpoints
{
    public static RouteGroupBuilder Map(RouteGroupBuilder v1)
    {
        var me = v1.MapGroup("/me").WithTags("Accounts");
        me.MapPatch("/", Rename).WithSummary("Change my name")
            .WithExample("""{"displayName":"Ada L."}""").WithDescription("The account's display name (each profile keeps its own).");
        me.MapPost("/password", ChangePassword).LimitPerUser(UserLimit.Auth).WithSummary("Change my password")
            .WithExample("""{"currentPassword":"analytical engine","newPassword":"difference engine no. 2"}""")
            .WithDescription("Needs the current password (wrong ones count like failed log-ins); an account without one (it signs in through a provider) sets one within ten minutes of signing in. Every other session ends: their tokens stop at once.");
        me.MapPost("/email", StartEmailChange).LimitPerUser(UserLimit.Auth).WithSummary("Change my e-mail address")
            .WithExample("""{"email":"ada@newmail.example"}""").WithDescription("Sends a code to the new address; the account keeps the old one until the code comes back (POST /v1/me/email/verify).");
        me.MapPost("/email/verify", ConfirmEmailChange).LimitPerUser(UserLimit.Auth).WithSummary("Confirm my new e-mail address")
            .WithExample("""{"code":"123456"}""").WithDescription("With the code sent to the new address. The old address is told of the change.");
        me.MapDelete("/", DeleteAccount).LimitPerUser(UserLimit.Auth).WithSummary("Delete my account")
            .WithExample("""{"password":"analytical engine"}""")
            .WithDescription("Confirmed with the current password (an account without one: a sign-in of the last ten minutes). Erases the account everywhere (profiles, cards, listings and images, swipes, matches, "
                + "bookmarks, notifications, sessions, digests); messages you sent stay in the other person's conversation as a deletion notice, "
                + "reviews you wrote stay without your name. Afterwards log-in answers as for an unknown address.");
        me.MapPost("/export", StartExport).LimitPerUser(UserLimit.Auth).WithSummary("Export my data")
            .WithDescription("Gathers everything Pairwise holds about you (account, sessions, profiles, listings with their images, bookmarks, swipes, matches, "
                + "messages you sent, reviews given and received, notifications, digest settings) into one zip, in the background; you get an e-mail when it is ready.");
        me.MapGet("/export/{id}", GetExport).WithSummary("My data export")
            .WithDescription("202 with the status while it is being prepared; then the zip (kept for a week).");
        me.MapGet("/sessions", ListSessions).WithSummary("My signed-in devices")
            .WithDescription("Every open session: when it started, when it was last used (refreshed), its device's User-Agent, and which one is this.");
        me.MapDelete("/sessions/{id}", EndSession).WithSummary("Sign a device out")
            .WithDescription("Ends that session at once: its tokens stop working and its real-time connections close.");
        me.MapPost("/sessions/end-others", EndOtherSessions).WithSummary("Sign out everywhere else")
            .WithDescription("Ends every session but this one.");

        var auth = v1.MapGroup("/auth/password").WithTags("Accounts");
        auth.MapPost("/forgot", ForgotPassword).AllowAnonymous().LimitPerUser(UserLimit.Auth).WithSummary("I forgot my password")
            .WithExample("""{"email":"ada@example.com"}""")
            .WithDescription("E-mails a reset code (15 minutes, five tries) when the address has an account. The answer is 202 either way, so it tells nobody who has an account.");
        auth.MapPost("/reset", ResetPassword).AllowAnonymous().LimitPerUser(UserLimit.Auth).WithSummary("Reset my password")
            .WithExample("""{"email":"ada@example.com","code":"123456","newPassword":"difference engine no. 2"}""")
            .WithDescription("With the e-mailed code. Every session ends; log in with the new password.");
        return v1;
    }

    public static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult>> Rename(
        RenameRequest request, ClaimsPrincipal principal, HttpContext http, AccountLife life, AccountService accounts, CancellationToken cancellationToken) =>
        await MeOrProblemAsync(await life.RenameAsync(principal.UserId(), request.DisplayName, cancellationToken), principal, http, accounts, cancellationToken);

    public static async Task<Results<NoContent, ProblemHttpResult>> ChangePassword(
        PasswordChangeRequest request, ClaimsPrincipal principal, HttpContext http, AccountLife life, Sessions sessions, CancellationToken cancellationToken)
    {
        var current = principal.FindFirstValue(TokenService.FamilyClaim) ?? "";
        var outcome = await life.ChangePasswordAsync(principal.UserId(), current, request.CurrentPassword, request.NewPassword, ClientInfo.Of(http),
            await SignedInAtAsync(principal, sessions, cancellationToken), cancellationToken);
        return outcome.Status == AccountStatus.Done ? TypedResults.NoContent() : Problem(outcome, http);
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> StartEmailChange(
        EmailRequest request, ClaimsPrincipal principal, HttpContext http, AccountLife life, CancellationToken cancellationToken)
    {
        var outcome = await life.StartEmailChangeAsync(principal.UserId(), request.Email, cancellationToken);
        return outcome.Status == AccountStatus.Done ? TypedResults.Accepted((string?)null) : Problem(outcome, http);
    }

    public static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult>> ConfirmEmailChange(
        CodeRequest request, ClaimsPrincipal principal, HttpContext http, AccountLife life, AccountService accounts, CancellationToken cancellationToken) =>
        await MeOrProblemAsync(await life.ConfirmEmailChangeAsync(principal.UserId(), request.Code, cancellationToken), principal, http, accounts, cancellationToken);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAccount(
        [Microsoft.AspNetCore.Mvc.FromBody] DeleteAccountRequest? request, ClaimsPrincipal principal, HttpContext http, AccountDeletion deletion, Sessions sessions,
        CancellationToken cancellationToken)
    {
        var outcome = await deletion.DeleteAsync(principal.UserId(), request?.Password, await SignedInAtAsync(principal, sessions, cancellationToken), cancellationToken);
        return outcome.Status == AccountStatus.Done ? TypedResults.NoContent() : Problem(outcome, http);
    }

    public static async Task<Accepted<ExportResponse>> StartExport(ClaimsPrincipal principal, AccountExport exports, CancellationToken cancellationToken)
    {
        var export = await exports.StartAsync(principal.UserId(), cancellationToken);
        return TypedResults.Accepted($"/v1/me/export/{export.Id}", ExportResponse.From(export));
    }

    public static async Task<Results<FileStreamHttpResult, Accepted<ExportResponse>, ProblemHttpResult>> GetExport(
        string id, ClaimsPrincipal principal, AccountExport exports, CancellationToken cancellationToken)
    {
        if (await exports.FindAsync(principal.UserId(), id, cancellationToken) is not { } export)
        {
            return Problems.NotFound($"You have no data export '{id}'.");
        }
        if (export.Status != AccountExport.Ready)
        {
            return TypedResults.Accepted($"/v1/me/export/{export.Id}", ExportResponse.From(export));
        }
        return await exports.OpenAsync(export.Id, cancellationToken) is { } zip
            ? TypedResults.Stream(zip, "application/zip", $"pairwise-{export.Id}.zip")
            : Problems.NotFound($"The data export '{id}' has expired; ask for a new one.");
    }

    public static async Task<Ok<SessionList>> ListSessions(ClaimsPrincipal principal, Sessions sessions, CancellationToken cancellationToken)
    {
        var current = principal.FindFirstValue(TokenService.FamilyClaim);
        var open = await sessions.ListAsync(principal.UserId(), cancellationToken);
        return TypedResults.Ok(new SessionList([.. open.Select(s => new SessionResponse(s.Id, s.Session.CreatedAt, s.Session.LastUsedAt ?? s.Session.CreatedAt, s.Session.UserAgent, s.Id == current))]));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> EndSession(string id, ClaimsPrincipal principal, Sessions sessions, CancellationToken cancellationToken) =>
        await sessions.EndAsync(principal.UserId(), id, "signed out from another device", cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"You have no open session '{id}'.");

    public static async Task<Ok<EndedSessions>> EndOtherSessions(ClaimsPrincipal principal, Sessions sessions, CancellationToken cancellationToken) =>
        TypedResults.Ok(new EndedSessions(await sessions.EndAllAsync(principal.UserId(), "signed out everywhere else", cancellationToken,
            except: principal.FindFirstValue(TokenService.FamilyClaim) ?? "")));

    public static async Task<Accepted> ForgotPassword(EmailRequest request, AccountLife life, CancellationToken cancellationToken)
    {
        await life.ForgotPasswordAsync(request.Email, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ResetPassword(
        PasswordResetRequest request, HttpContext http, AccountLife life, CancellationToken cancellationToken)
    {
        var outcome = await life.ResetPasswordAsync(request.Email, request.Code, request.NewPassword, cancellationToken);
        return outcome.Status == AccountStatus.Done ? TypedResults.NoContent() : Problem(outcome, http);
    }

    private static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult>> MeOrProblemAsync(
        AccountOutcome outcome, ClaimsPrincipal principal, HttpContext http, AccountService accounts, CancellationToken cancellationToken)
    {
        if (outcome.Status != AccountStatus.Done)
        {
            return Problem(outcome, http);
        }
        return await accounts.MeAsync(principal.UserId(), cancellationToken) is { } me ? TypedResults.Ok(me) : Problems.NotFound("The account no longer exists.");
    }

    private static ProblemHttpResult Problem(AccountOutcome outcome, HttpContext http) => AccountEndpoints.Problem(outcome, http);

    /// <summary>When the caller's session signed in (not when its token was last refreshed).</summary>
    private static async Task<DateTimeOffset?> SignedInAtAsync(ClaimsPrincipal principal, Sessions sessions, CancellationToken cancellationToken)
    {
        var current = principal.FindFirstValue(TokenService.FamilyClaim);
        return (await sessions.ListAsync(principal.UserId(), cancellationToken)).FirstOrDefault(s => s.Id == current).Session?.CreatedAt;
    }
}

public sealed record RenameRequest([Required, StringLength(80, MinimumLength = 1), CleanName] string DisplayName);

public sealed record PasswordChangeRequest(
    [MaxLength(128)] string? CurrentPassword,
    [Required, StringLength(128, MinimumLength = 8, ErrorMessage = "Use 8 to 128 characters.")] string NewPassword);

public sealed record EmailRequest([Required, MaxLength(254)] string Email);

public sealed record PasswordResetRequest(
    [Required, MaxLength(254)] string Email,
    [Required, RegularExpression("^[0-9]{6}$", ErrorMessage = "Six digits.")] string Code,
    [Required, StringLength(128, MinimumLength = 8, ErrorMessage = "Use 8 to 128 characters.")] string NewPassword);

public sealed record DeleteAccountRequest([MaxLength(128)] string? Password);

public sealed record ExportResponse(string ExportId, string Status, DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt)
{
    public static ExportResponse From(ExportRecord export) => new(export.Id, export.Status, export.CreatedAt, export.ReadyAt);
}

public sealed record SessionResponse(string Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, string? UserAgent, bool Current);

public sealed record SessionList(IReadOnlyList<SessionResponse> Items);

public sealed record EndedSessions(int Ended);
