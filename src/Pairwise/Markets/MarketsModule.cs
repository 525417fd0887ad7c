using Microsoft.Extensions.Options;
using Pairwise.Platform;

namespace Pairwise.Markets;

public static class MarketsModule
{
    public static WebApplicationBuilder AddMarkets(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<PairwiseOptions>>().Value;
            List<string> folders = [Path.Combine(AppContext.BaseDirectory, "markets")];
            if (!string.IsNullOrEmpty(options.MarketsDirectory))
            {
                folders.Add(Path.GetFullPath(options.MarketsDirectory));
            }
            return MarketCatalog.Load(folders);
        });
        return builder;
    }

    public static RouteGroupBuilder MapMarkets(this RouteGroupBuilder v1) => MarketEndpoints.Map(v1);
}
