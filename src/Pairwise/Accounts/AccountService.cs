using System.Net.Mail;
using System.Text.RegularExpressions;
using Pairwise.Delivery;
using Pairwise.Markets;
using Pairwise.Observability;
using Pairwise.Platform;

namespace Pairwise.Accounts;

public enum AccountStatus
{
    Done,
    Invalid,
    Taken,
    Unauthorized,
    Throttled,
    NotFound,
    NoProfile,
    WrongCode,
}

/// <summary>What an account operation did; <see cref="Field"/> names the input that was wrong.</summary>
public sealed record AccountOutcome(AccountStatus Status, string? Detail = null, string? Field = null, TimeSpan RetryAfter = default)
{
    public static readonly AccountOutcome Done = new(AccountStatus.Done);

    public static AccountOutcome Invalid(string field, string detail) => new(AccountStatus.Invalid, detail, field);
}

/// <summary>Sign-up, log-in, verification and mode: the rules of an account's life.</summary>
public sealed partial class AccountService(
    UserStore users, PasswordHasher hasher, PasswordPolicy passwords, TokenService tokens, VerificationCodes codes,
    IEmailSender mail, ISmsSender sms, LoginThrottle throttle, IAccountProfiles profiles, MarketCatalog markets, Stats stats,
    Microsoft.Extensions.Options.IOptionsMonitor<PairwiseOptions> options, TimeProvider time)
{
    public async Task<(AccountOutcome Outcome, TokenPair? Session)> SignUpAsync(string email, string password, string displayName, ClientInfo client, CancellationToken cancellationToken)
    {
        if (NormaliseEmail(email) is not { } address)
        {
            return (AccountOutcome.Invalid("email", "Must be an e-mail address."), null);
        }
        if (passwords.Refuse(password, address, displayName) is { } reason)
        {
            return (AccountOutcome.Invalid("password", reason), null);
        }
        var user = new UserRecord
        {
            Id = Ids.New(Ids.User, time),
            Email = address,
            DisplayName = displayName.Trim(),
            PasswordHash = hasher.Hash(password),
            CreatedAt = time.GetUtcNow(),
        };
        if (!await users.CreateAsync(user, cancellationToken))
        {
            return (new AccountOutcome(AccountStatus.Taken, "An account with this e-mail address already exists. Log in instead."), null);
        }
        var (code, _) = await codes.IssueAsync(user.Id, "email", address, cancellationToken);
        if (code is not null)
        {
            await mail.SendAsync(EmailTemplates.Verification(address, code), cancellationToken);
        }
        var session = await tokens.StartSessionAsync(user.Id, client.UserAgent, cancellationToken);
        await stats.CountAsync(Stats.AllMarkets, "signups", cancellationToken);
        return (AccountOutcome.Done, session);
    }

    public async Task<(AccountOutcome Outcome, TokenPair? Session)> LogInAsync(string email, string password, ClientInfo client, CancellationToken cancellationToken)
    {
        var address = NormaliseEmail(email) ?? email.Trim().ToLowerInvariant();
        if (throttle.TryAttempt(address, client.Address) is { } wait)
        {
            return (new AccountOutcome(AccountStatus.Throttled, "Too many log-in attempts for this account from your address; try again later.", RetryAfter: wait), null);
        }
        if (throttle.SlowdownFor(address) is { Ticks: > 0 } slowdown)
        {
            // Real time on purpose: the slowdown is felt by whoever is guessing, whatever the app's clock says.
            await Task.Delay(slowdown, cancellationToken);
        }
        var user = await users.FindByEmailAsync(address, cancellationToken);
        // Verify against a dummy hash when there is no such user, so both answers take as long.
        if (!hasher.Verify(password, user?.Record.PasswordHash) || user is null || user.Record.Disabled)
        {
            throttle.Failed(address);
            return (new AccountOutcome(AccountStatus.Unauthorized, "The e-mail address or the password is wrong."), null);
        }
        return (AccountOutcome.Done, await tokens.StartSessionAsync(user.Record.Id, client.UserAgent, cancellationToken));
    }

    public async Task<AccountOutcome> VerifyEmailAsync(string userId, string code, CancellationToken cancellationToken)
    {
        var outcome = await codes.VerifyAsync(userId, "email", code, cancellationToken);
        if (CodeProblem(outcome) is { } problem)
        {
            return problem;
        }
        var updated = await users.UpdateAsync(userId, user => user.Email == outcome.Target ? user with { EmailVerified = true } : user, cancellationToken);
        return updated is null ? Gone : AccountOutcome.Done;
    }

    public async Task<AccountOutcome> ResendEmailCodeAsync(string userId, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(userId, cancellationToken) is not { } user)
        {
            return Gone;
        }
        if (user.EmailVerified)
        {
            return new AccountOutcome(AccountStatus.Taken, "The e-mail address is already verified.");
        }
        var (code, wait) = await codes.IssueAsync(user.Id, "email", user.Email, cancellationToken);
        if (code is null)
        {
            return new AccountOutcome(AccountStatus.Throttled, "A code was sent less than a minute ago.", RetryAfter: wait);
        }
        await mail.SendAsync(EmailTemplates.Verification(user.Email, code), cancellationToken);
        return AccountOutcome.Done;
    }

    public async Task<AccountOutcome> StartPhoneVerificationAsync(string userId, string phoneNumber, CancellationToken cancellationToken)
    {
        var phone = PhoneSeparators().Replace(phoneNumber, "");
        if (!E164().IsMatch(phone))
        {
            return AccountOutcome.Invalid("phone", "Must be an international number in E.164 form, e.g. +85291234567.");
        }
        var (code, wait) = await codes.IssueAsync(userId, "phone", phone, cancellationToken);
        if (code is null)
        {
            return new AccountOutcome(AccountStatus.Throttled, "A code was sent less than a minute ago.", RetryAfter: wait);
        }
        await sms.SendAsync(phone, $"Your Pairwise code is {code}. It expires in 15 minutes.", cancellationToken);
        return AccountOutcome.Done;
    }

    public async Task<AccountOutcome> VerifyPhoneAsync(string userId, string code, CancellationToken cancellationToken)
    {
        var outcome = await codes.VerifyAsync(userId, "phone", code, cancellationToken);
        if (CodeProblem(outcome) is { } problem)
        {
            return problem;
        }
        var phone = outcome.Target!;
        // One verified number belongs to one account.
        if (!await users.ClaimPhoneAsync(phone, userId, cancellationToken))
        {
            return new AccountOutcome(AccountStatus.Taken, "This phone number is verified on another account.");
        }
        var updated = await users.UpdateAsync(userId, user => user with { Phone = phone, PhoneVerified = true }, cancellationToken);
        return updated is null ? Gone : AccountOutcome.Done;
    }

    public async Task<AccountOutcome> SetModeAsync(string userId, string market, string side, CancellationToken cancellationToken)
    {
        if (markets.Find(market)?.FindSide(side) is null)
        {
            return new AccountOutcome(AccountStatus.NotFound, $"There is no side '{side}' in a market '{market}'.");
        }
        if (!await profiles.HasProfileAsync(userId, market, side, cancellationToken))
        {
            return new AccountOutcome(AccountStatus.NoProfile, $"Create a {side} profile in {market} before switching to it.");
        }
        var updated = await users.UpdateAsync(userId, user => user with { Mode = new CurrentMode(market, side) }, cancellationToken);
        return updated is null ? Gone : AccountOutcome.Done;
    }

    /// <summary>The account as its owner sees it, with its profiles; null when it no longer exists.</summary>
    public async Task<MeResponse?> MeAsync(string userId, CancellationToken cancellationToken) =>
        await users.FindAsync(userId, cancellationToken) is { } user
            ? new MeResponse(user.Id, user.Email, user.DisplayName, user.EmailVerified, user.PhoneVerified, user.Phone, user.Mode,
                await profiles.ListAsync(user.Id, cancellationToken), user.CreatedAt, user.ShopVerifiedAt is not null,
                OperatorPolicy.IsOperator(user, options.CurrentValue.Operators))
            : null;

    /// <summary>Lower-cased and trimmed, or null when it is not an address.</summary>
    public static string? NormaliseEmail(string email)
    {
        var trimmed = email.Trim().ToLowerInvariant();
        return trimmed.Length <= 254 && MailAddress.TryCreate(trimmed, out var parsed) && parsed.Address == trimmed && trimmed.Contains('.', StringComparison.Ordinal)
            ? trimmed
            : null;
    }

    internal static readonly AccountOutcome Gone = new(AccountStatus.NotFound, "The account no longer exists.");

    internal static AccountOutcome? CodeProblem(VerificationOutcome outcome) => outcome.Status switch
    {
        VerificationStatus.Verified => null,
        VerificationStatus.WrongCode => new AccountOutcome(AccountStatus.WrongCode, $"The code is wrong. {outcome.AttemptsLeft} tries left.", "Wrong code"),
        VerificationStatus.TooManyAttempts => new AccountOutcome(AccountStatus.WrongCode, "Too many wrong codes. Ask for a new code.", "Code locked"),
        _ => new AccountOutcome(AccountStatus.WrongCode, "There is no pending code, or it expired. Ask for a new code.", "No pending code"),
    };

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"[\s\-().]")]
    private static partial Regex PhoneSeparators();
}
