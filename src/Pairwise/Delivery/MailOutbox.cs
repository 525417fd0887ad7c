using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Pairwise.Platform;
using Pairwise.Storage;

namespace Pairwise.Delivery;

public sealed class MailOptions
{
    [Required(ErrorMessage = "Pairwise:Mail:From must name the sender, e.g. Pairwise <no-reply@example.com>.")]
    public string From { get; set; } = "Pairwise <no-reply@pairwise.local>";
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    [Range(1, 65535, ErrorMessage = "Pairwise:Smtp:Port must be 1–65535.")]
    public int Port { get; set; } = 587;

    /// <summary><c>auto</c> (STARTTLS when offered), <c>starttls</c>, <c>ssl</c> (TLS on connect, port 465) or <c>none</c>.</summary>
    [RegularExpression("^(auto|starttls|ssl|none)$", ErrorMessage = "Pairwise:Smtp:Security must be auto, starttls, ssl or none.")]
    public string Security { get; set; } = "auto";
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>How long one delivery may take; a claimed mail is retried by any node after twice this.</summary>
    [Range(1, 3600, ErrorMessage = "Pairwise:Smtp:TimeoutSeconds must be 1–3600.")]
    public int TimeoutSeconds { get; set; } = 60;
}

/// <summary>Where mail finally goes: an SMTP server, or the pickup folder.</summary>
public interface IMailTransport
{
    /// <summary>Hands one message over; throws <see cref="PermanentMailException"/> when the address must not be tried again.</summary>
    Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>The receiving server refused the address for good (a 5xx bounce).</summary>
public sealed class PermanentMailException(string message, Exception inner) : Exception(message, inner);

public sealed record MailRecord(
    string Id, string MessageId, string To, string Subject, string Text, string? Html, DateTimeOffset CreatedAt,
    int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset? LeaseUntil, string? LastError, IReadOnlyDictionary<string, string>? Headers = null);

public sealed record SuppressionRecord(string Email, string Reason, DateTimeOffset At);

[JsonSerializable(typeof(MailRecord))]
[JsonSerializable(typeof(SuppressionRecord))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class MailJson : JsonSerializerContext;

public static class MailKeys
{
    public const int Shards = 4;

    /// <summary>A mail waiting to be delivered; spread over a few partitions so no one partition takes every send.</summary>
    public static ItemKey Pending(string mailId) => new(Shard(ShardOf(mailId)), mailId);
    public static string Shard(int shard) => $"OUTBOX#{shard}";

    /// <summary>An address that bounced or complained: nothing more is sent to it.</summary>
    public static ItemKey Suppression(string email) => new($"SUPPRESS#{email.ToUpperInvariant()}", "SUPPRESS");
    public const string SuppressionIndex = "SUPPRESSIONS";

    private static int ShardOf(string mailId) => (int)((uint)StringComparer.Ordinal.GetHashCode(mailId[^8..]) % Shards);
}

/// <summary>
/// The durable mail outbox. Sending stores the mail (with its Message-ID) and returns; a
/// dispatcher on every node delivers it — at once when it is stored here, else on its next pass —
/// and deletes it once the transport accepted it. A node claims a mail with a lease before
/// delivering, so two nodes do not send it together, and a node that dies mid-send leaves a
/// lease that lapses so another (or the restarted one) sends it again, with the same Message-ID.
/// The one window for a duplicate is between the server's 250 after DATA and the delete.
/// </summary>
public sealed partial class MailOutbox(
    IItemStore store, IMailTransport transport, IOptions<MailOptions> mail, IOptions<SmtpOptions> smtp, TimeProvider time, ILogger<MailOutbox> logger)
    : BackgroundService, IEmailSender
{
    public const int MaxAttempts = 8;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private readonly Channel<string> _stored = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    private TimeSpan Lease => TimeSpan.FromSeconds(2 * Math.Max(1, smtp.Value.TimeoutSeconds));

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        if (await PrepareAsync(message, cancellationToken) is { } write)
        {
            await store.TransactAsync([write], cancellationToken);
            Kick();
        }
    }

    /// <summary>
    /// The write that puts a mail in the outbox, to commit with whatever decided to send it (so the
    /// mail exists exactly when that decision does); null for a suppressed address. Call
    /// <see cref="Kick"/> after the commit.
    /// </summary>
    public async Task<WriteOperation?> PrepareAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        if (await IsSuppressedAsync(message.To, cancellationToken))
        {
            LogSuppressed(logger, message.To);
            return null;
        }
        var now = time.GetUtcNow();
        var id = Ids.New("mail", time);
        var domain = MailboxAddress.Parse(mail.Value.From).Domain;
        var record = new MailRecord(id, $"{id}@{domain}", message.To, message.Subject, message.Text, message.Html, now, 0, now, null, null, message.Headers);
        var key = MailKeys.Pending(id);
        return new WriteOperation.Put(new Item { Pk = key.Pk, Sk = key.Sk, Version = 1, Data = ItemJson.Serialize(record, MailJson.Default.MailRecord) }, Condition.NotExists);
    }

    /// <summary>Wakes this node's dispatcher for mail just committed.</summary>
    public void Kick() => _stored.Writer.TryWrite("");

    public async Task<bool> IsSuppressedAsync(string email, CancellationToken cancellationToken) =>
        await store.GetAsync(MailKeys.Suppression(email), cancellationToken) is not null;

    /// <summary>A page of suppressed addresses, by address.</summary>
    public async Task<(IReadOnlyList<SuppressionRecord> Items, string? Cursor)> SuppressionsAsync(string? cursor, CancellationToken cancellationToken)
    {
        var page = await store.QueryAsync(new Query { Index = ItemIndex.Gsi1, Pk = MailKeys.SuppressionIndex, Limit = 100, Cursor = cursor }, cancellationToken);
        return ([.. page.Items.Select(i => ItemJson.Deserialize(i, MailJson.Default.SuppressionRecord))], page.Cursor);
    }

    /// <summary>Allows mail to an address again; false when it was not suppressed.</summary>
    public Task<bool> LiftAsync(string email, CancellationToken cancellationToken) =>
        store.DeleteAsync(MailKeys.Suppression(email), Condition.Exists, cancellationToken);

    public async Task SuppressAsync(string email, string reason, CancellationToken cancellationToken)
    {
        var key = MailKeys.Suppression(email);
        var record = new SuppressionRecord(email, reason, time.GetUtcNow());
        await store.PutAsync(new Item
        {
            Pk = key.Pk,
            Sk = key.Sk,
            Gsi1Pk = MailKeys.SuppressionIndex,
            Gsi1Sk = email.ToUpperInvariant(),
            Version = 1,
            Data = ItemJson.Serialize(record, MailJson.Default.SuppressionRecord),
        }, Condition.None, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Mail stored by a process that died is found by the first pass.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(logger, e);
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(Poll);
            try
            {
                await _stored.Reader.WaitToReadAsync(wait.Token);
                while (_stored.Reader.TryRead(out _))
                {
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The poll interval passed with nothing stored here.
            }
        }
    }

    /// <summary>Delivers every mail that is due and not claimed by another node; returns how many were delivered.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        for (var shard = 0; shard < MailKeys.Shards; shard++)
        {
            await foreach (var item in store.QueryAllAsync(new Query { Pk = MailKeys.Shard(shard), Limit = 100 }, cancellationToken))
            {
                delivered += await TryDeliverAsync(item, cancellationToken) ? 1 : 0;
            }
        }
        return delivered;
    }

    private async Task<bool> TryDeliverAsync(Item item, CancellationToken cancellationToken)
    {
        var record = ItemJson.Deserialize(item, MailJson.Default.MailRecord);
        var now = time.GetUtcNow();
        if (record.NextAttemptAt > now || record.LeaseUntil > now)
        {
            return false;
        }
        var claimed = record with { Attempts = record.Attempts + 1, LeaseUntil = now + Lease };
        var claimedItem = item with { Data = ItemJson.Serialize(claimed, MailJson.Default.MailRecord), Version = item.Version + 1 };
        if (!await store.PutAsync(claimedItem, Condition.VersionIs(item.Version), cancellationToken))
        {
            return false;
        }
        try
        {
            if (await IsSuppressedAsync(record.To, cancellationToken))
            {
                await store.DeleteAsync(item.Key, Condition.VersionIs(claimedItem.Version), cancellationToken);
                return false;
            }
            await transport.DeliverAsync(Compose(record), cancellationToken);
            await store.DeleteAsync(item.Key, Condition.VersionIs(claimedItem.Version), cancellationToken);
            Telemetry.Emails.Add(1, new KeyValuePair<string, object?>("outcome", "sent"));
            return true;
        }
        catch (PermanentMailException e)
        {
            LogBounced(logger, record.To, e.Message);
            Telemetry.Emails.Add(1, new KeyValuePair<string, object?>("outcome", "bounced"));
            await SuppressAsync(record.To, "bounce", cancellationToken);
            await store.DeleteAsync(item.Key, Condition.VersionIs(claimedItem.Version), cancellationToken);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Transient: connection refused, timeout, 4xx. Back off: 30 s, 2 min, 8 min… then give up.
            var retry = now + TimeSpan.FromSeconds(30 * Math.Pow(4, Math.Min(claimed.Attempts - 1, 6)));
            LogDeferred(logger, e, record.Id, claimed.Attempts);
            Telemetry.Emails.Add(1, new KeyValuePair<string, object?>("outcome", "deferred"));
            if (claimed.Attempts >= MaxAttempts)
            {
                await store.DeleteAsync(item.Key, Condition.VersionIs(claimedItem.Version), cancellationToken);
                return false;
            }
            var deferred = claimed with { NextAttemptAt = retry, LeaseUntil = null, LastError = e.Message };
            await store.PutAsync(claimedItem with { Data = ItemJson.Serialize(deferred, MailJson.Default.MailRecord), Version = claimedItem.Version + 1 },
                Condition.VersionIs(claimedItem.Version), cancellationToken);
            return false;
        }
    }

    private MimeMessage Compose(MailRecord record)
    {
        var message = new MimeMessage { Subject = record.Subject, Date = record.CreatedAt, MessageId = record.MessageId };
        message.From.Add(MailboxAddress.Parse(mail.Value.From));
        message.To.Add(MailboxAddress.Parse(record.To));
        message.Body = new BodyBuilder { TextBody = record.Text, HtmlBody = record.Html }.ToMessageBody();
        foreach (var (name, value) in record.Headers ?? new Dictionary<string, string>())
        {
            message.Headers.Add(name, value);
        }
        return message;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Not mailing {Email}: the address bounced or complained before")]
    private static partial void LogSuppressed(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Email} bounced for good ({Reason}); no more mail goes to it")]
    private static partial void LogBounced(ILogger logger, string email, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MailId} deferred after attempt {Attempt}")]
    private static partial void LogDeferred(ILogger logger, Exception exception, string mailId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A mail delivery pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

/// <summary>
/// The embedded default: each e-mail becomes an RFC 5322 <c>.eml</c> file in
/// <c>{data}/mail/pickup</c>, the folder an IIS/Exchange-style pickup service or a person reads.
/// Named by the mail's id and written to a temporary name then renamed, so a reader never sees
/// half a message and a repeated delivery replaces rather than duplicates.
/// </summary>
public sealed class PickupFolderTransport(IOptions<PairwiseOptions> options, TimeProvider time) : IMailTransport
{
    private readonly string _folder = options.Value.DataPath("mail", "pickup");

    public async Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_folder);
        var name = $"{message.Date.UtcDateTime:yyyyMMddTHHmmssfff}-{(message.MessageId ?? "").Split('@')[0]}";
        var temporary = Path.Combine(_folder, $"{name}.{time.GetTimestamp()}.tmp");
        await message.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, Path.Combine(_folder, name + ".eml"), overwrite: true);
    }
}

/// <summary>SMTP with MailKit: TLS as configured, credentials when given.</summary>
public sealed class SmtpTransport(IOptions<SmtpOptions> options) : IMailTransport
{
    public async Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        var security = settings.Security.ToUpperInvariant() switch
        {
            "NONE" => SecureSocketOptions.None,
            "STARTTLS" => SecureSocketOptions.StartTls,
            "SSL" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        };
        await client.ConnectAsync(settings.Host ?? "localhost", settings.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
        }
        try
        {
            await client.SendAsync(message, cancellationToken);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500 && e.ErrorCode == SmtpErrorCode.RecipientNotAccepted)
        {
            throw new PermanentMailException($"{(int)e.StatusCode} {e.Message}", e);
        }
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
