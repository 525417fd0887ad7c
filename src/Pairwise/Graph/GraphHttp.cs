using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQLParser;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Pairwise.Graph;

/// <summary>
/// GraphQL over HTTP (the GraphQL-over-HTTP draft): POST with a JSON body, GET for queries only.
/// Answers <c>application/graphql-response+json</c> when the client accepts it (then a document
/// that cannot run is a 400), otherwise <c>application/json</c> (200 with errors, as older clients
/// expect). What is not a GraphQL request at all (not JSON, too big, a batch, a mutation over GET)
/// is an RFC 9457 problem that also carries an <c>errors</c> list, so either kind of client reads it.
/// </summary>
public sealed class GraphHttp(
    IDocumentExecuter<PairwiseSchema> executer, IGraphQLTextSerializer serializer, PersistedQueries persisted, DocumentCache documents, IOptions<GraphOptions> options)
{
    public const string ResponseMediaType = "application/graphql-response+json";

    public async Task HandleAsync(HttpContext http)
    {
        var limits = options.Value;
        if (http.Request.Headers.Authorization.Count > 0 && http.User.Identity?.IsAuthenticated != true)
        {
            await ProblemAsync(http, StatusCodes.Status401Unauthorized, GraphErrors.Unauthenticated,
                "The access token is not valid, has expired, or its session has ended: refresh it or sign in again.");
            return;
        }
        var (request, problem) = HttpMethods.IsPost(http.Request.Method) ? await ReadBodyAsync(http, limits)
            : HttpMethods.IsGet(http.Request.Method) ? ReadQueryString(http)
            : (null, (StatusCodes.Status405MethodNotAllowed, "GraphQL takes POST (any operation) or GET (queries only)."));
        if (request is null)
        {
            if (problem.Status == StatusCodes.Status405MethodNotAllowed)
            {
                http.Response.Headers.Allow = HttpMethods.IsGet(http.Request.Method) ? "POST" : "GET, POST";
            }
            await ProblemAsync(http, problem.Status, GraphErrors.BadRequest, problem.Detail);
            return;
        }

        if (request.Query?.Length > limits.MaxDocumentLength)
        {
            await ProblemAsync(http, StatusCodes.Status413PayloadTooLarge, GraphErrors.BadRequest, $"The document is longer than {limits.MaxDocumentLength} characters.");
            return;
        }
        var (query, apqError) = await persisted.ResolveAsync(request.Query, request.Extensions, http.RequestAborted);
        if (apqError is not null)
        {
            await WriteAsync(http, new ExecutionResult { Errors = [apqError] }, StatusCodes.Status200OK);
            return;
        }
        if (query is null)
        {
            await ProblemAsync(http, StatusCodes.Status400BadRequest, GraphErrors.BadRequest, "Send a GraphQL document as query (or a persisted query's hash in extensions).");
            return;
        }
        if (HttpMethods.IsGet(http.Request.Method) && !IsQuery(query, request.OperationName))
        {
            http.Response.Headers.Allow = "POST";
            await ProblemAsync(http, StatusCodes.Status405MethodNotAllowed, GraphErrors.BadRequest, "Mutations and subscriptions are not sent over GET: use POST (subscriptions: a WebSocket).");
            return;
        }

        var result = await executer.ExecuteAsync(execution =>
        {
            execution.Query = query;
            execution.OperationName = request.OperationName;
            execution.Variables = request.Variables;
            execution.Extensions = request.Extensions;
            execution.RequestServices = http.RequestServices;
            execution.User = http.User;
            execution.UserContext = new GraphCaller(http.User, http.Connection.RemoteIpAddress, Platform.Caller.Device(http), http.RequestServices);
            execution.CancellationToken = http.RequestAborted;
        });
        if (result.Streams is not null)
        {
            result = new ExecutionResult { Errors = [GraphErrors.Coded(GraphErrors.BadRequest, "Subscriptions run over a WebSocket at this address (subprotocol graphql-transport-ws).")] };
        }
        var strict = AcceptsGraphQLResponse(http);
        await WriteAsync(http, result, strict && !result.Executed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private async Task<(GraphQLRequest? Request, (int Status, string Detail) Problem)> ReadBodyAsync(HttpContext http, GraphOptions limits)
    {
        if (!(http.Request.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var media) && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, (StatusCodes.Status415UnsupportedMediaType, "Send the request as application/json: {\"query\": \"…\", \"variables\": {…}}."));
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limits.MaxRequestBytes;
        }
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            buffer.Position = 0;
            using var document = await JsonDocument.ParseAsync(buffer, new JsonDocumentOptions { MaxDepth = 64 }, http.RequestAborted);
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                return (null, (StatusCodes.Status400BadRequest, "Batched requests are not accepted: send one operation per request (they share a connection anyway)."));
            }
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, (StatusCodes.Status400BadRequest, "The body must be a JSON object: {\"query\": \"…\"}."));
            }
            return (serializer.Deserialize<GraphQLRequest>(document.RootElement.GetRawText()), default);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, (StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {limits.MaxRequestBytes} bytes."));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException or OverflowException)
        {
            return (null, (StatusCodes.Status400BadRequest, "The body is not a GraphQL request in JSON: " + Describe(e)));
        }
    }

    private (GraphQLRequest? Request, (int Status, string Detail) Problem) ReadQueryString(HttpContext http)
    {
        var parameters = http.Request.Query;
        if (parameters.Keys.Any(k => k is not ("query" or "variables" or "operationName" or "extensions")) || parameters.Any(p => p.Value.Count > 1))
        {
            return (null, (StatusCodes.Status400BadRequest, "GET takes query, variables, operationName and extensions, each once."));
        }
        try
        {
            return (new GraphQLRequest
            {
                Query = parameters["query"] is [{ Length: > 0 } query] ? query : null,
                OperationName = parameters["operationName"] is [{ Length: > 0 } name] ? name : null,
                Variables = parameters["variables"] is [{ Length: > 0 } variables] ? serializer.Deserialize<Inputs>(variables) : null,
                Extensions = parameters["extensions"] is [{ Length: > 0 } extensions] ? serializer.Deserialize<Inputs>(extensions) : null,
            }, default);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException or OverflowException)
        {
            return (null, (StatusCodes.Status400BadRequest, "variables and extensions must be JSON objects: " + Describe(e)));
        }
    }

    /// <summary>Whether the operation that would run is a query (a document that does not parse is left to the executor to report).</summary>
    private bool IsQuery(string query, string? operationName)
    {
        GraphQLDocument? document;
        if (!documents.TryGet(query, out document))
        {
            try
            {
                document = Parser.Parse(query, new ParserOptions { MaxDepth = options.Value.MaxDepth * 4 });
            }
            catch (GraphQLParser.Exceptions.GraphQLParserException)
            {
                return true;
            }
        }
        var operations = document!.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var operation = operationName is null ? operations.Count == 1 ? operations[0] : null : operations.FirstOrDefault(o => o.Name?.Value == operationName);
        return operation is null || operation.Operation == OperationType.Query;
    }

    private static bool AcceptsGraphQLResponse(HttpContext http) =>
        http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(ResponseMediaType, StringComparison.OrdinalIgnoreCase));

    private async Task WriteAsync(HttpContext http, ExecutionResult result, int status)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = (AcceptsGraphQLResponse(http) ? ResponseMediaType : "application/json") + "; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private static async Task ProblemAsync(HttpContext http, int status, string code, string detail)
    {
        var problem = TypedResults.Problem(detail, statusCode: status, extensions: new Dictionary<string, object?>
        {
            ["errors"] = new[] { new { message = detail, extensions = new { code } } },
        });
        await problem.ExecuteAsync(http);
    }

    private static string Describe(Exception e) => e is JsonException { Path: { Length: > 0 } path } ? $"{e.Message.Split('.')[0]} (at {path})." : "it does not parse.";
}
