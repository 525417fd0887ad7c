using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Net.Http.Headers;

namespace Pairwise.WebApp;

/// <summary>
/// The reference web app at <c>/</c>: static files from <c>wwwroot</c>, compressed, revalidated with ETags.
/// It uses only the public API, so nothing here knows about it beyond serving files.
/// </summary>
public static class WebAppModule
{
    public static WebApplicationBuilder AddWebApp(this WebApplicationBuilder builder)
    {
        builder.Services.AddResponseCompression(options =>
        {
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "image/svg+xml", "application/problem+json"];
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        return builder;
    }

    /// <summary>Before authentication: the app's files are public, and a file request never reaches the endpoints.</summary>
    public static WebApplication UseWebApp(this WebApplication app)
    {
        app.UseResponseCompression();
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                // The vendored client changes only with a new build; the app's own files are small and revalidate (304).
                var vendored = context.Context.Request.Path.StartsWithSegments("/lib");
                context.Context.Response.Headers[HeaderNames.CacheControl] = vendored ? "public, max-age=86400" : "no-cache";
            },
        });
        return app;
    }
}
