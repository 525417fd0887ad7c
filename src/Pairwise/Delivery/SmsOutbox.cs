using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Pairwise.Storage;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Pairwise.Delivery;

/// <summary>The <c>Pairwise:Sms:Twilio</c> section. With an account id, text messages go out through Twilio.</summary>
public sealed class TwilioOptions
{
    public string? AccountSid { get; set; }

    public string? AuthToken { get; set; }

    /// <summary>The sending number (E.164) or messaging service id (MG…).</summary>
    public string? From { get; set; }

    /// <summary>Another API address (a proxy, or a stand-in in tests); empty: Twilio's own.</summary>
    public string? ApiBase { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(AccountSid);
}

public sealed record SmsRecord(string To, string Text);

/// <summary>
/// Text messages (phone codes) through Twilio, by way of the store outbox: stored first, then sent
/// with retries; a number Twilio says it can never reach (its 4xx error codes, e.g. 21211 invalid
/// number, 21610 opted out) is dropped at once, a busy or failing Twilio is tried again.
/// </summary>
public sealed class SmsOutbox(IItemStore store, IOptions<TwilioOptions> options, IHttpClientFactory http, TimeProvider time, ILogger<SmsOutbox> logger)
    : StoreOutbox<SmsRecord>(store, SmsJson.Default.OutboxEntrySmsRecord, time, logger), ISmsSender
{
    private readonly TwilioRestClient _twilio = new(options.Value.AccountSid, options.Value.AuthToken,
        httpClient: new Twilio.Http.SystemNetHttpClient(http.CreateClient(nameof(SmsOutbox))));

    protected override string Name => "SMSOUT";

    public Task SendAsync(string to, string text, CancellationToken cancellationToken = default) =>
        StoreAsync(new SmsRecord(to, text), TimeSpan.FromHours(1), cancellationToken);

    protected override async Task<DeliveryResult> DeliverAsync(SmsRecord message, int attempt, CancellationToken cancellationToken)
    {
        var from = options.Value.From!;
        var request = new CreateMessageOptions(new PhoneNumber(message.To)) { Body = message.Text };
        if (from.StartsWith("MG", StringComparison.Ordinal))
        {
            request.MessagingServiceSid = from;
        }
        else
        {
            request.From = new PhoneNumber(from);
        }
        try
        {
            await MessageResource.CreateAsync(request, _twilio);
            return DeliveryResult.Sent;
        }
        catch (ApiException e) when (e.Status is >= 400 and < 500 and not 429)
        {
            return DeliveryResult.Drop;
        }
    }
}

/// <summary>Sends Twilio's requests to <see cref="TwilioOptions.ApiBase"/> when one is set.</summary>
public sealed class TwilioBaseAddress(IOptions<TwilioOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(options.Value.ApiBase) && request.RequestUri is { } uri)
        {
            request.RequestUri = new Uri(new Uri(options.Value.ApiBase), uri.PathAndQuery);
        }
        return base.SendAsync(request, cancellationToken);
    }
}

[JsonSerializable(typeof(OutboxEntry<SmsRecord>))]
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
internal sealed partial class SmsJson : JsonSerializerContext;
