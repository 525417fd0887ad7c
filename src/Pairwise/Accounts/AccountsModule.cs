using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
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
        services.AddSingleton<ShopVerifications>();

        services.AddSingleton<Identities>();
        AddIdentityProviders(services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(), builder.Configuration);
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

    public static RouteGroupBuilder MapAccounts(this RouteGroupBuilder v1) =>
        ShopVerificationEndpoints.Map(OidcEndpoints.Map(AccountLifeEndpoints.Map(AccountEndpoints.Map(v1))));

    /// <summary>
    /// One OpenID Connect handler per configured provider (code flow with PKCE; the ID token checked
    /// against the provider's published keys, issuer, audience, expiry and nonce), signing in to a
    /// short-lived cookie that only the completing endpoint reads.
    /// </summary>
    private static void AddIdentityProviders(AuthenticationBuilder authentication, ConfigurationManager configuration)
    {
        var providers = configuration.GetSection("Pairwise:Oidc:Providers").GetChildren().ToList();
        if (providers.Count == 0)
        {
            return;
        }
        authentication.AddCookie(OidcEndpoints.ExternalScheme, options =>
        {
            options.Cookie.Name = "pairwise.external";
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromMinutes(5);
        });
        foreach (var provider in providers)
        {
            var name = provider.Key;
            var settings = provider.Get<OidcProviderOptions>() ?? new();
            if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9-]{1,32}$")
                || !Uri.TryCreate(settings.Authority, UriKind.Absolute, out var authority) || string.IsNullOrWhiteSpace(settings.ClientId))
            {
                throw new Platform.ConfigurationProblemException($"{provider.Path}: a provider needs a lower-case name, an Authority URL and a ClientId.");
            }
            authentication.Services.Configure<OidcProviderOptions>(name, provider);
            authentication.AddOpenIdConnect(OidcEndpoints.SchemePrefix + name, options =>
            {
                options.Authority = settings.Authority;
                options.ClientId = settings.ClientId;
                options.ClientSecret = settings.ClientSecret;
                options.ResponseType = "code";
                // Back by a top-level GET redirect (not a cross-site form post), so the state cookies can be SameSite=Lax.
                options.ResponseMode = "query";
                options.UsePkce = true;
                options.CallbackPath = $"/v1/auth/oidc/{name}/callback";
                options.SignInScheme = OidcEndpoints.ExternalScheme;
                options.MapInboundClaims = false;
                options.SaveTokens = false;
                // Providers put e-mail and name in the ID token or only at the user info endpoint; read both.
                options.GetClaimsFromUserInfoEndpoint = true;
                options.ClaimActions.MapUniqueJsonKey("email", "email");
                options.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
                options.ClaimActions.MapUniqueJsonKey("name", "name");
                options.Scope.Clear();
                options.Scope.Add("openid");
                options.Scope.Add("email");
                options.Scope.Add("profile");
                // Plain HTTP only for a provider on this machine (development, tests).
                options.RequireHttpsMetadata = !authority.IsLoopback;
                options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
                options.Events = new OpenIdConnectEvents
                {
                    // Which provider vouched for the identity, for the completing endpoint.
                    OnTokenValidated = context =>
                    {
                        (context.Principal!.Identity as System.Security.Claims.ClaimsIdentity)!.AddClaim(new System.Security.Claims.Claim("idp", name));
                        return Task.CompletedTask;
                    },
                    // A wrong state, a replayed code, a bad token: back to the app with an error, never a 500.
                    OnRemoteFailure = context =>
                    {
                        context.Response.Redirect("/#error=failed");
                        context.HandleResponse();
                        return Task.CompletedTask;
                    },
                };
            });
        }
    }
}
