namespace Pairwise.Graph;

/// <summary>The explorer a browser gets at <c>/graphql</c>: GraphiQL from the app's own files, nothing fetched from elsewhere.</summary>
public static class Explorer
{
    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Pairwise GraphQL explorer</title>
          <link rel="stylesheet" href="/lib/graphiql/graphiql.min.css">
          <style>body { margin: 0; } #explorer { height: 100vh; }</style>
        </head>
        <body>
          <div id="explorer"></div>
          <script src="/lib/graphiql/react.production.min.js"></script>
          <script src="/lib/graphiql/react-dom.production.min.js"></script>
          <script src="/lib/graphiql/graphiql.min.js"></script>
          <script src="/js/graphql-explorer.js"></script>
        </body>
        </html>
        """;

    public static Task ServeAsync(HttpContext http)
    {
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        return http.Response.WriteAsync(Page, http.RequestAborted);
    }
}
