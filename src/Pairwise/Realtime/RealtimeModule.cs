using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Pairwise.Realtime;

public static class RealtimeModule
{
    public static WebApplicationBuilder AddRealtime(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR(options =>
        {
            options.MaximumReceiveMessageSize = 32 * 1024;
            options.EnableDetailedErrors = false;
            options.AddFilter<HubErrors>();
        });
        builder.Services.AddSingleton<HubErrors>();
        builder.Services.AddSingleton<HubSessions>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<HubSessions>());
        builder.Services.AddSingleton<IUserIdProvider, SubjectUserIdProvider>();
        builder.Services.AddSingleton<RealtimePublisher>();
        // The same JSON as the hub's, so every listener sees one shape of each event.
        builder.Services.AddSingleton(provider => new LocalLiveEvents(provider.GetRequiredService<IOptions<JsonHubProtocolOptions>>().Value.PayloadSerializerOptions));
        builder.Services.AddSingleton<ILiveEvents>(provider => provider.GetRequiredService<LocalLiveEvents>());
        return builder;
    }

    public static IEndpointRouteBuilder MapRealtime(this IEndpointRouteBuilder app)
    {
        app.MapHub<RealtimeHub>("/v1/realtime");
        return app;
    }
}
