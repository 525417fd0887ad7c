using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Pairwise.Accounts;

public static class AccountsModule
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddMemoryCache();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<CommonPasswords>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<VerificationCodes>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<Blocks>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenService>((options, tokens) =>
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
                    var family = context.Principal?.FindFirst(TokenService.FamilyClaim)?.Value;
                    if (family is null || !await tokens.IsSessionActiveAsync(family, context.HttpContext.RequestAborted))
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

    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder v1) => AccountEndpoints.Map(v1);
}
