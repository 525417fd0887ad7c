namespace Pairwise.Reviews;

public static class ReviewsModule
{
    public static WebApplicationBuilder AddReviews(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReviewService>();
        builder.Services.AddSingleton<Accounts.IPersonalData, ReviewPersonalData>();
        return builder;
    }

    public static RouteGroupBuilder MapReviews(this RouteGroupBuilder v1) => ReviewEndpoints.Map(v1);
}
