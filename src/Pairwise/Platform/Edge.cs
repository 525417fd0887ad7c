using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Pairwise.Platform;

/// <summary>
/// <c>Pairwise:Proxy</c>: the load balancers and reverse proxies in front of the nodes. Only a
/// request from one of them may say who the client is (<c>X-Forwarded-For</c>) and whether it came
/// over HTTPS (<c>X-Forwarded-Proto</c>); from anyone else those headers are ignored, so per-address
/// limits cannot be dodged by sending them.
/// </summary>
public sealed class ProxyOptions
{
    /// <summary>CIDR ranges of trusted proxies, e.g. <c>10.0.0.0/8</c>.</summary>
    [CidrList]
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c>.</summary>
    [AddressList]
    public string[] KnownProxies { get; set; } = [];
}

/// <summary><c>Pairwise:Cors</c>: the web origins (another front end) allowed to call the API from a browser.</summary>
public sealed class CorsSettings
{
    /// <summary>Exact origins such as <c>https://app.example.com</c>; none means no cross-origin access.</summary>
    [OriginList]
    public string[] Origins { get; set; } = [];
}

/// <summary>
/// The edge of every request: the client's real address behind trusted proxies, cross-origin
/// access for configured origins only, and the headers that keep browsers strict (a content
/// security policy with no inline scripts, no framing, no sniffing, no referrer).
/// </summary>
public static class Edge
{
    // The web app and every API answer: scripts, styles and connections only from this origin.
    private const string AppPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
        + "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    // The API reference page (/docs) is a generated page with an inline start-up script.
    private const string DocsPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
        + "font-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    // The GraphQL explorer (/graphql in a browser) is GraphiQL, whose editor sets inline styles.
    private const string ExplorerPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ProxyOptions>(configuration, $"{PairwiseOptions.Section}:Proxy");
        services.AddSettings<CorsSettings>(configuration, $"{PairwiseOptions.Section}:Cors");
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((options, proxies) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Trust only what is configured (the defaults trust loopback), through any number of trusted hops.
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            options.ForwardLimit = null;
            foreach (var network in proxies.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
            foreach (var proxy in proxies.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<CorsSettings>>((options, cors) =>
            options.AddDefaultPolicy(policy => policy
                .WithOrigins(cors.Value.Origins)
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key")
                .WithExposedHeaders("ETag", "Location", "Retry-After", "Idempotent-Replayed")
                .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
    }

    /// <summary>First in the pipeline: everything after it sees the real client and answers with the strict headers.</summary>
    public static void Use(WebApplication app)
    {
        app.UseForwardedHeaders();
        app.Use((context, next) =>
        {
            // When the response starts: an error page written after a failure gets them too.
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/docs") ? DocsPolicy
                    : http.Request.Path.Equals("/graphql", StringComparison.Ordinal) ? ExplorerPolicy
                    : AppPolicy;
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
        // Only over HTTPS (directly or as the trusted proxy says), and never for localhost.
        app.UseHsts();
        app.UseCors();
    }
}

[AttributeUsage(AttributeTargets.Property)]
internal sealed class CidrListAttribute() : ValidationAttribute("Each entry must be a network in CIDR form, such as 10.0.0.0/8.")
{
    public override bool IsValid(object? value) => value is not string[] list || list.All(entry => System.Net.IPNetwork.TryParse(entry, out _));
}

[AttributeUsage(AttributeTargets.Property)]
internal sealed class AddressListAttribute() : ValidationAttribute("Each entry must be an IP address, such as 10.0.0.5.")
{
    public override bool IsValid(object? value) => value is not string[] list || list.All(entry => IPAddress.TryParse(entry, out _));
}

[AttributeUsage(AttributeTargets.Property)]
internal sealed class OriginListAttribute() : ValidationAttribute("Each entry must be an origin such as https://app.example.com (scheme, host and port; no path).")
{
    public override bool IsValid(object? value) => value is not string[] list || list.All(entry =>
        Uri.TryCreate(entry, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && !entry.EndsWith('/'));
}
