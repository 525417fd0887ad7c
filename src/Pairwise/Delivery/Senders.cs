using System.Text.Json;
using Microsoft.Extensions.Options;
using Pairwise.Platform;

namespace Pairwise.Delivery;

/// <param name="Headers">Extra headers (List-Unsubscribe and List-Unsubscribe-Post for mail people can turn off).</param>
public sealed record EmailMessage(string To, string Subject, string Text, string? Html = null, IReadOnlyDictionary<string, string>? Headers = null);

public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}

public interface ISmsSender
{
    Task SendAsync(string to, string text, CancellationToken cancellationToken = default);
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
