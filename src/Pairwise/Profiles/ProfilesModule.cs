namespace Pairwise.Profiles;

public static class ProfilesModule
{
    public static WebApplicationBuilder AddProfiles(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ProfileStore>();
        builder.Services.AddSingleton<Accounts.IPersonalData, ProfilePersonalData>();
        builder.Services.AddSingleton<ProfileService>();
        builder.Services.AddSingleton<ProfilePhotos>();
        builder.Services.AddSingleton<Accounts.IAccountProfiles, AccountProfiles>();
        return builder;
    }

    public static RouteGroupBuilder MapProfiles(this RouteGroupBuilder v1) => ProfilePhotoEndpoints.Map(ProfileEndpoints.Map(v1));
}
