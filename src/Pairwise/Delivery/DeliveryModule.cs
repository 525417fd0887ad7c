using Pairwise.Platform;

namespace Pairwise.Delivery;

public static class DeliveryModule
{
    public static WebApplicationBuilder AddDelivery(this WebApplicationBuilder builder)
    {
        builder.Services.AddSettings<MailOptions>(builder.Configuration, "Pairwise:Mail");
        builder.Services.AddSettings<SmtpOptions>(builder.Configuration, "Pairwise:Smtp");
        // SMTP when a host is configured (Amazon SES works through its SMTP interface); else the pickup folder.
        if (!string.IsNullOrEmpty(builder.Configuration["Pairwise:Smtp:Host"]))
        {
            builder.Services.AddSingleton<IMailTransport, SmtpTransport>();
        }
        else
        {
            builder.Services.AddSingleton<IMailTransport, PickupFolderTransport>();
        }
        builder.Services.AddSingleton<MailOutbox>();
        builder.Services.AddSingleton<UnsubscribeLinks>();
        builder.Services.AddSingleton<IEmailSender>(services => services.GetRequiredService<MailOutbox>());
        builder.Services.AddHostedService(services => services.GetRequiredService<MailOutbox>());
        // Text messages: through Twilio when an account is configured (stored, then sent with retries); else the outbox folder.
        builder.Services.AddSettings<TwilioOptions>(builder.Configuration, "Pairwise:Sms:Twilio")
            .Validate(t => !t.Enabled || (!string.IsNullOrEmpty(t.AuthToken) && !string.IsNullOrEmpty(t.From)), "Pairwise:Sms:Twilio needs AuthToken and From with AccountSid.");
        if (!string.IsNullOrEmpty(builder.Configuration["Pairwise:Sms:Twilio:AccountSid"]))
        {
            builder.Services.AddTransient<TwilioBaseAddress>();
            builder.Services.AddHttpClient(nameof(SmsOutbox), client => client.Timeout = TimeSpan.FromSeconds(15)).AddHttpMessageHandler<TwilioBaseAddress>();
            builder.Services.AddSingleton<SmsOutbox>();
            builder.Services.AddSingleton<ISmsSender>(services => services.GetRequiredService<SmsOutbox>());
            builder.Services.AddHostedService(services => services.GetRequiredService<SmsOutbox>());
        }
        else
        {
            builder.Services.AddSingleton<ISmsSender, OutboxFolderSmsSender>();
        }
        builder.Services.AddSettings<PushOptions>(builder.Configuration, "Pairwise:Push");
        builder.Services.AddHttpClient(nameof(PushOutbox), client => client.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<PushSubscriptions>();
        builder.Services.AddSingleton<PushOutbox>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PushOutbox>());
        return builder;
    }

    public static RouteGroupBuilder MapDelivery(this RouteGroupBuilder v1) => UnsubscribeEndpoints.Map(PushEndpoints.Map(MailEndpoints.Map(v1)));
}
