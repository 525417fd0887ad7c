using System.Text.Json;
using Microsoft.Extensions.Options;
using MimeKit;
using Pairwise.Platform;

namespace Pairwise.Delivery;

public sealed record EmailMessage(string To, string Subject, string Text, string? Html = null);

public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}

public interface ISmsSender
{
    Task SendAsync(string to, string text, CancellationToken cancellationToken = default);
}

public sealed class MailOptions
{
    public string From { get; set; } = "Pairwise <no-reply@pairwise.local>";
}

/// <summary>
/// The embedded default: each e-mail becomes an RFC 5322 <c>.eml</c> file in
/// <c>{data}/mail/pickup</c>, the folder an IIS/Exchange-style pickup service or a person reads.
/// Written to a temporary name and renamed, so a reader never sees half a message.
/// </summary>
public sealed class PickupFolderEmailSender(IOptions<PairwiseOptions> options, IOptions<MailOptions> mail, TimeProvider time) : IEmailSender
{
    private readonly string _folder = options.Value.DataPath("mail", "pickup");

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var mime = new MimeMessage { Subject = message.Subject, Date = time.GetUtcNow() };
        mime.From.Add(MailboxAddress.Parse(mail.Value.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("pairwise.local");
        var body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html };
        mime.Body = body.ToMessageBody();

        Directory.CreateDirectory(_folder);
        var name = $"{time.GetUtcNow():yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(_folder, name + ".tmp");
        await mime.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, Path.Combine(_folder, name + ".eml"));
    }
}

/// <summary>The embedded default for SMS: one JSON file per message in <c>{data}/sms/outbox</c>.</summary>
public sealed class OutboxFolderSmsSender(IOptions<PairwiseOptions> options, TimeProvider time) : ISmsSender
{
    private readonly string _folder = options.Value.DataPath("sms", "outbox");

    public async Task SendAsync(string to, string text, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_folder);
        var now = time.GetUtcNow();
        var name = $"{now:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}";
        var temporary = Path.Combine(_folder, name + ".tmp");
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(new SmsFile(to, text, now), DeliveryJson.Default.SmsFile), cancellationToken);
        File.Move(temporary, Path.Combine(_folder, name + ".json"));
    }
}

public sealed record SmsFile(string To, string Text, DateTimeOffset CreatedAt);

[System.Text.Json.Serialization.JsonSerializable(typeof(SmsFile))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class DeliveryJson : System.Text.Json.Serialization.JsonSerializerContext;

public static class DeliveryExtensions
{
    public static WebApplicationBuilder AddDelivery(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailOptions>().Bind(builder.Configuration.GetSection("Pairwise:Mail"));
        builder.Services.AddSingleton<IEmailSender, PickupFolderEmailSender>();
        builder.Services.AddSingleton<ISmsSender, OutboxFolderSmsSender>();
        return builder;
    }
}
