namespace Pairwise.Gigs;

public static class GigsModule
{
    public static WebApplicationBuilder AddGigs(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SelectionService>();
        builder.Services.AddSingleton<Shifts>();
        builder.Services.AddSingleton<JobAnnouncer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JobAnnouncer>());
        return builder;
    }

    public static RouteGroupBuilder MapGigs(this RouteGroupBuilder v1) => ShiftEndpoints.Map(SelectionEndpoints.Map(v1));
}
