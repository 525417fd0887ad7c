using Pairwise.Delivery;
using Pairwise.Scheduling;

namespace Pairwise.Digests;

public static class DigestsModule
{
    public static WebApplicationBuilder AddDigests(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DigestService>();
        builder.Services.AddSingleton<IUnsubscribeHandler>(services => services.GetRequiredService<DigestService>());
        builder.Services.AddSingleton<Accounts.IPersonalData, DigestPersonalData>();
        builder.Services.AddScheduledJob<DigestJob>("digests", "0 * * * *");
        return builder;
    }

    public static RouteGroupBuilder MapDigests(this RouteGroupBuilder v1) => DigestEndpoints.Map(v1);
}
