using Pairwise.Delivery;

namespace Pairwise.Accounts;

/// <summary>
/// The account after sign-up: its name, its e-mail address (the new one works only once its code
/// is entered, and the old one is told), its password (changing it needs the current one and ends
/// every other session; a forgotten one is reset with an e-mailed code, ending every session).
/// </summary>
public sealed class AccountLife(
    UserStore users, PasswordHasher hasher, PasswordPolicy passwords, Sessions sessions, VerificationCodes codes, IEmailSender mail, LoginThrottle throttle,
    TimeProvider time)
{
    private const string EmailChange = "email-change";
    private const string PasswordReset = "password-reset";

    public async Task<AccountOutcome> RenameAsync(string userId, string displayName, CancellationToken cancellationToken) =>
        await users.UpdateAsync(userId, user => user with { DisplayName = displayName.Trim() }, cancellationToken) is null ? AccountService.Gone : AccountOutcome.Done;

    /// <summary>
    /// Needs the current password (throttled like a log-in) — or, for an account that has none yet
    /// (it signs in through a provider), a sign-in of the last ten minutes. Every session but this one ends.
    /// </summary>
    public async Task<AccountOutcome> ChangePasswordAsync(
        string userId, string currentSession, string? currentPassword, string newPassword, ClientInfo client, DateTimeOffset? signedInAt, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(userId, cancellationToken) is not { } user)
        {
            return AccountService.Gone;
        }
        if (user.PasswordHash.Length == 0)
        {
            if (!(signedInAt > time.GetUtcNow() - TimeSpan.FromMinutes(10)))
            {
                return AccountOutcome.Invalid("currentPassword", "Sign in again (within ten minutes) to set a password.");
            }
        }
        else if (throttle.TryAttempt(user.Email, client.Address) is { } wait)
        {
            return new AccountOutcome(AccountStatus.Throttled, "Too many wrong passwords; try again later.", RetryAfter: wait);
        }
        else if (!hasher.Verify(currentPassword ?? "", user.PasswordHash))
        {
            throttle.Failed(user.Email);
            return AccountOutcome.Invalid("currentPassword", "This is not your current password.");
        }
        if (passwords.Refuse(newPassword, user.Email, user.DisplayName) is { } reason)
        {
            return AccountOutcome.Invalid("newPassword", reason);
        }
        await users.UpdateAsync(userId, u => u with { PasswordHash = hasher.Hash(newPassword) }, cancellationToken);
        await sessions.EndAllAsync(userId, "password changed", cancellationToken, except: currentSession);
        return AccountOutcome.Done;
    }

    /// <summary>Sends a code to the new address; nothing changes until it comes back.</summary>
    public async Task<AccountOutcome> StartEmailChangeAsync(string userId, string email, CancellationToken cancellationToken)
    {
        if (AccountService.NormaliseEmail(email) is not { } address)
        {
            return AccountOutcome.Invalid("email", "Must be an e-mail address.");
        }
        if (await users.FindAsync(userId, cancellationToken) is not { } user)
        {
            return AccountService.Gone;
        }
        if (address == user.Email || await users.FindByEmailAsync(address, cancellationToken) is not null)
        {
            return new AccountOutcome(AccountStatus.Taken, "This address already belongs to an account.");
        }
        var (code, wait) = await codes.IssueAsync(userId, EmailChange, address, cancellationToken);
        if (code is null)
        {
            return new AccountOutcome(AccountStatus.Throttled, "A code was sent less than a minute ago.", RetryAfter: wait);
        }
        await mail.SendAsync(EmailTemplates.Verification(address, code), cancellationToken);
        return AccountOutcome.Done;
    }

    public async Task<AccountOutcome> ConfirmEmailChangeAsync(string userId, string code, CancellationToken cancellationToken)
    {
        var outcome = await codes.VerifyAsync(userId, EmailChange, code, cancellationToken);
        if (AccountService.CodeProblem(outcome) is { } problem)
        {
            return problem;
        }
        var (status, previous) = await users.ChangeEmailAsync(userId, outcome.Target!, cancellationToken);
        if (status != AccountStatus.Done)
        {
            return status == AccountStatus.Taken ? new AccountOutcome(AccountStatus.Taken, "This address was claimed by another account meanwhile.") : AccountService.Gone;
        }
        await mail.SendAsync(EmailTemplates.EmailChanged(previous!, outcome.Target!), cancellationToken);
        return AccountOutcome.Done;
    }

    /// <summary>Mails a reset code when the address has an account; answers the same either way.</summary>
    public async Task ForgotPasswordAsync(string email, CancellationToken cancellationToken)
    {
        if (AccountService.NormaliseEmail(email) is { } address && await users.FindByEmailAsync(address, cancellationToken) is { Record.Disabled: false } user)
        {
            var (code, _) = await codes.IssueAsync(user.Record.Id, PasswordReset, address, cancellationToken);
            if (code is not null)
            {
                await mail.SendAsync(EmailTemplates.PasswordReset(address, code), cancellationToken);
            }
        }
    }

    /// <summary>With the mailed code: the new password, the address proven, and every session ended.</summary>
    public async Task<AccountOutcome> ResetPasswordAsync(string email, string code, string newPassword, CancellationToken cancellationToken)
    {
        var address = AccountService.NormaliseEmail(email);
        var user = address is null ? null : await users.FindByEmailAsync(address, cancellationToken);
        if (user is null || user.Record.Disabled)
        {
            // The same answer as a wrong code: this endpoint does not tell who has an account.
            return new AccountOutcome(AccountStatus.WrongCode, "There is no pending code, or it expired. Ask for a new code.", "No pending code");
        }
        if (passwords.Refuse(newPassword, user.Record.Email, user.Record.DisplayName) is { } reason)
        {
            return AccountOutcome.Invalid("newPassword", reason);
        }
        if (AccountService.CodeProblem(await codes.VerifyAsync(user.Record.Id, PasswordReset, code, cancellationToken)) is { } problem)
        {
            return problem;
        }
        await users.UpdateAsync(user.Record.Id, u => u with { PasswordHash = hasher.Hash(newPassword), EmailVerified = true }, cancellationToken);
        await sessions.EndAllAsync(user.Record.Id, "password reset", cancellationToken);
        return AccountOutcome.Done;
    }
}
