namespace Pairwise.Notifications;

public static class NotificationsModule
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Notifier>();
        builder.Services.AddSingleton<Accounts.IPersonalData, NotificationPersonalData>();
        builder.Services.AddSingleton<NotificationTray>();
        builder.Services.AddSingleton<NotificationPreferenceStore>();
        builder.Services.AddSingleton<Delivery.IUnsubscribeHandler, NotificationUnsubscribe>();
        builder.Services.AddSingleton<Notices>();
        return builder;
    }

    public static RouteGroupBuilder MapNotifications(this RouteGroupBuilder v1) =>
        NoticeEndpoints.Map(NotificationPreferenceEndpoints.Map(NotificationEndpoints.Map(v1)));
}
