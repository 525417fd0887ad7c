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
        builder.Services.AddSingleton<IEmailSender>(services => services.GetRequiredService<MailOutbox>());
        builder.Services.AddHostedService(services => services.GetRequiredService<MailOutbox>());
        builder.Services.AddSingleton<ISmsSender, OutboxFolderSmsSender>();
        builder.Services.AddSettings<PushOptions>(builder.Configuration, "Pairwise:Push");
        builder.Services.AddHttpClient(nameof(PushOutbox), client => client.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<PushSubscriptions>();
        builder.Services.AddSingleton<PushOutbox>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PushOutbox>());
        return builder;
    }

    public static RouteGroupBuilder MapDelivery(this RouteGroupBuilder v1) => PushEndpoints.Map(MailEndpoints.Map(v1));
}
