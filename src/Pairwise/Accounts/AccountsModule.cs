using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Pairwise.Accounts;

public static class AccountsModule
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<CommonPasswords>();
        services.AddSingleton<PasswordPolicy>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<Sessions>();
        services.AddSingleton<VerificationCodes>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<AccountLife>();
        services.AddSingleton<AccountDeletion>();
        services.AddSingleton<AccountExport>();
        services.AddHostedService(provider => provider.GetRequiredService<AccountExport>());
        services.AddSingleton<Blocks>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenService, Sessions>((options, tokens, sessions) =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = tokens.ValidationParameters();
            options.Events = new JwtBearerEvents
            {
                // Browsers cannot set headers on WebSocket requests; the real-time hub takes the token from the query.
                OnMessageReceived = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/v1/realtime") && context.Request.Query["access_token"] is [{ } token])
                    {
                        context.Token = token;
                    }
                    return Task.CompletedTask;
                },
                OnTokenValidated = async context =>
                {
                    // Read on every request: a session ended anywhere stops its token on the next one.
                    var family = context.Principal?.FindFirst(TokenService.FamilyClaim)?.Value;
                    var user = context.Principal?.FindFirst(Microsoft.IdentityModel.JsonWebTokens.JwtRegisteredClaimNames.Sub)?.Value;
                    if (family is null || user is null || !await sessions.IsActiveAsync(user, family, context.HttpContext.RequestAborted))
                    {
                        context.Fail("The session has ended.");
                    }
                },
            };
        });
        // Everything needs a signed-in user unless an endpoint says otherwise.
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(OperatorPolicy.Name, policy => policy.RequireAuthenticatedUser().AddRequirements(new OperatorPolicy.Requirement()));
        services.AddSingleton<IAuthorizationHandler, OperatorPolicy>();
        return builder;
    }

    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder v1) => AccountLifeEndpoints.Map(AccountEndpoints.Map(v1));
}
