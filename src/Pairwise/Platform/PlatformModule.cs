using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Pairwise.Platform;

/// <summary>The conventions every feature shares: problem details, JSON, OpenAPI, health, rate limits.</summary>
public static class PlatformModule
{
    public const long MaxJsonBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Bound and checked at start: a wrong setting stops the server with a line that names its key.
        services.AddOptions<PairwiseOptions>().Bind(builder.Configuration.GetSection(PairwiseOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), "Pairwise:DataDirectory must name a folder.")
            .Validate(o => o.Tokens.AccessTokenLifetime > TimeSpan.Zero, "Pairwise:Tokens:AccessTokenLifetime must be more than zero (e.g. 00:15:00).")
            .Validate(o => o.Tokens.RefreshTokenLifetime >= o.Tokens.AccessTokenLifetime,
                "Pairwise:Tokens:RefreshTokenLifetime must be at least the access token's lifetime.")
            .Validate(o => o.RateLimits.AuthPerIpPerMinute > 0, "Pairwise:RateLimits:AuthPerIpPerMinute must be at least 1.")
            .Validate(o => o.RateLimits.LoginsPerAccount > 0, "Pairwise:RateLimits:LoginsPerAccount must be at least 1.")
            .Validate(o => o.RateLimits.LoginWindow > TimeSpan.Zero, "Pairwise:RateLimits:LoginWindow must be more than zero.")
            .Validate(o => o.RateLimits.SendBurst > 0, "Pairwise:RateLimits:SendBurst must be at least 1.")
            .Validate(o => o.RateLimits.SendsPerMinute > 0, "Pairwise:RateLimits:SendsPerMinute must be at least 1.")
            .Validate(o => o.RateLimits is { ReportBurst: > 0, ReportsPerHour: > 0, ReviewBurst: > 0, ReviewsPerHour: > 0, ListingBurst: > 0, ListingsPerHour: > 0 },
                "Pairwise:RateLimits: every burst and rate must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        // The key ring itself is kept by the store (every node reads the same keys): see Storage.
        services.AddDataProtection().SetApplicationName("pairwise");

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // JSON endpoints need little; upload endpoints raise their own limit.
            kestrel.Limits.MaxRequestBodySize = MaxJsonBodyBytes;
            // Past the process's open-file limit the runtime fails hard ("Out of memory"): unless
            // configured (Kestrel:Limits:MaxConcurrentConnections), refuse connections before it,
            // leaving room for the store's files and outgoing sockets.
            if (kestrel.Limits.MaxConcurrentConnections is null && OpenFileLimit.Soft() is { } files)
            {
                kestrel.Limits.MaxConcurrentConnections = Math.Max(100, files - 1024);
            }
        });

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
            context.ProblemDetails.Detail ??= DefaultDetail(context.ProblemDetails.Status);
            // Built-in validation names fields as C# does (Password); clients see JSON names (password).
            if (context.ProblemDetails is HttpValidationProblemDetails validation)
            {
                validation.Errors = validation.Errors.ToDictionary(e => CamelCasePath(e.Key), e => e.Value);
            }
        });
        services.AddSingleton<IProblemDetailsWriter, AlwaysJsonProblemWriter>();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Turn binding failures into exceptions so the handler can say what was wrong.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddValidation();

        services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));

        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Pairwise API",
                    Version = "v1",
                    Description = "A self-hostable backend for two-sided matching platforms: markets, accounts, profiles, "
                        + "listings, ranked feeds, swipes, matches and conversations. Errors are RFC 9457 problem details; "
                        + "lists take `limit` and an opaque `cursor` and return `nextCursor`. Real time: a SignalR hub at `/v1/realtime` "
                        + "(bearer token, or `?access_token=` from browsers) sends the events `message`, `read`, `typing`, `match` and "
                        + "`notification` to the users they concern; its one method is `Typing(conversationId)`. Messages are sent over HTTP "
                        + "and stored before they are pushed: after a reconnect, list `messages?after=` the last id you have. "
                        + "The same operations as GraphQL: `/graphql` (POST, or GET for queries; subscriptions over WebSocket with "
                        + "`graphql-transport-ws`), schema at `/graphql/schema.graphql`, an explorer at `/graphql` in a browser.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "The accessToken from sign-up, log-in or refresh.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                // The fallback policy requires a signed-in user everywhere an endpoint does not allow anonymous callers.
                if (!metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] });
                }
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(OpenApiExampleExtensions.Apply);
        });

        services.AddHealthChecks();
        services.AddSingleton<UserRateLimits>();
        Edge.Register(services, builder.Configuration);

        return builder;
    }

    private static string? DefaultDetail(int? status) => status switch
    {
        StatusCodes.Status401Unauthorized => "Send a valid access token: Authorization: Bearer <accessToken>.",
        StatusCodes.Status403Forbidden => "This account may not do that.",
        StatusCodes.Status404NotFound => "There is nothing at this address.",
        StatusCodes.Status405MethodNotAllowed => "This address does not accept that method.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        _ => null,
    };

    private static string CamelCasePath(string path) =>
        string.Join('.', path.Split('.').Select(part => part.Length > 0 && char.IsUpper(part[0]) ? JsonNamingPolicy.CamelCase.ConvertName(part) : part));

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new WellFormedJsonElementConverter());
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        Edge.Use(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    public static WebApplication MapPlatform(this WebApplication app)
    {
        // One document; a fixed path means any other name is an ordinary 404 problem.
        app.MapOpenApi("/openapi/v1.json").AllowAnonymous();
        app.MapScalarApiReference("/docs", options => options.WithTitle("Pairwise API")).AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }

    /// <summary>The <c>/v1</c> group every feature maps into, behind the input guards every request passes.</summary>
    public static RouteGroupBuilder MapVersion1(this WebApplication app) => app.MapGroup("/v1").AddEndpointFilter(InputGuards.RouteValuesAsync);
}
