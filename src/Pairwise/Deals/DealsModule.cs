namespace Pairwise.Deals;

public static class DealsModule
{
    public static WebApplicationBuilder AddDeals(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DealService>();
        builder.Services.AddSingleton<Accounts.IPersonalData, DealPersonalData>();
        return builder;
    }

    public static RouteGroupBuilder MapDeals(this RouteGroupBuilder v1) => DealEndpoints.Map(v1);
}
