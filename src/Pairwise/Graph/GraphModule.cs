using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;
using Microsoft.Extensions.Options;
using Pairwise.Platform;

namespace Pairwise.Graph;

/// <summary>
/// The GraphQL gateway at <c>/graphql</c> (seed 002): a second way into the same services as the
/// REST API, not a second copy of them. HTTP and WebSocket transports are ours (ADR 17); the
/// executor, validation and schema are graphql-dotnet's.
/// </summary>
public static partial class GraphModule
{
    public const string Path = "/graphql";

    public static WebApplicationBuilder AddGraph(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = $"{PairwiseOptions.Section}:GraphQL";
        services.AddSettings<GraphOptions>(builder.Configuration, section);
        var settings = builder.Configuration.GetSection(section).Get<GraphOptions>() ?? new();
        services.AddGraphQL(graph => graph
            .AddSchema<PairwiseSchema>()
            .AddSystemTextJson()
            .AddErrorInfoProvider<GraphErrorInfoProvider>()
            .AddGraphTypes(typeof(GraphModule).Assembly)
            .AddValidationRule<AliasLimit>()
            .AddValidationRule<ComplexityValidationRule>(useForCachedDocuments: true)
            .ConfigureExecutionOptions(execution =>
            {
                var logger = execution.RequestServices!.GetRequiredService<ILogger<PairwiseSchema>>();
                execution.UnhandledExceptionDelegate = context =>
                {
                    LogUnhandled(logger, context.OriginalException, context.FieldContext?.FieldDefinition.Name ?? "(document)");
                    return Task.CompletedTask;
                };
            })
            .WithTimeout(settings.Timeout));
        services.AddOptions<ComplexityOptions>().Configure<IOptions<GraphOptions>>((complexity, graph) =>
        {
            complexity.MaxDepth = graph.Value.MaxDepth;
            complexity.MaxComplexity = graph.Value.MaxComplexity;
            complexity.DefaultListImpactMultiplier = 10;
            // Introspection is bounded by the schema, not by what a caller asks (and by the depth limit):
            // it costs nothing here, so client tools keep reading the schema however large it grows
            // (counted like data, the full introspection query had reached 51,000 with this schema).
            var standard = complexity.DefaultComplexityImpactDelegate;
            complexity.DefaultComplexityImpactDelegate = field =>
            {
                var impact = standard(field);
                return field.ParentType.Name.StartsWith("__", StringComparison.Ordinal) || field.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal)
                    ? new FieldComplexityResult(0, 1)
                    : impact;
            };
        });
        services.AddSingleton<ComplexityOptions>(provider => provider.GetRequiredService<IOptions<ComplexityOptions>>().Value);
        services.AddTransient(typeof(ConnectionType<,>));
        services.AddTransient(typeof(EdgeType<,>));
        // The parser's own depth limit: a document nested thousands deep is refused before it is walked.
        services.AddSingleton<IDocumentBuilder>(provider => new GraphQLDocumentBuilder { MaxDepth = provider.GetRequiredService<IOptions<GraphOptions>>().Value.MaxDepth * 4 });
        services.AddSingleton<DocumentCache>();
        services.AddSingleton<GraphQL.DI.IConfigureExecution>(provider => provider.GetRequiredService<DocumentCache>());
        services.AddSingleton<PersistedQueries>();
        services.AddSingleton<GraphHttp>();
        services.AddSingleton<GraphSockets>();
        return builder;
    }

    public static IEndpointRouteBuilder MapGraph(this IEndpointRouteBuilder app)
    {
        var http = app.ServiceProvider.GetRequiredService<GraphHttp>();
        var sockets = app.ServiceProvider.GetRequiredService<GraphSockets>();
        // WebSockets only on this address, like the hub's own pipeline.
        var pipeline = app.CreateApplicationBuilder();
        pipeline.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        pipeline.Run(context =>
            context.WebSockets.IsWebSocketRequest ? sockets.HandleAsync(context)
            : IsBrowser(context) ? Explorer.ServeAsync(context)
            : http.HandleAsync(context));
        app.Map(Path, pipeline.Build()).AllowAnonymous().WithDisplayName("GraphQL");
        app.MapGet(Path + "/schema.graphql", (PairwiseSchema schema) => Results.Text(schema.Print(), "text/plain; charset=utf-8")).AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>A browser opening the address (no query, asking for HTML) gets the explorer.</summary>
    private static bool IsBrowser(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) && !context.Request.Query.ContainsKey("query") && !context.Request.Query.ContainsKey("extensions")
        && context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Error, Message = "A GraphQL field failed: {Field}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string field);
}
