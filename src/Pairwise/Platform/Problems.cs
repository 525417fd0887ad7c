using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Pairwise.Platform;

/// <summary>Typed problem results for expected outcomes, so handlers declare them in their signatures.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static ProblemHttpResult TooManyRequests(HttpContext context, TimeSpan retryAfter, string detail)
    {
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
    }

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors);

    /// <summary>The same 400 as <see cref="Invalid(string, string)"/>, as a problem result, for handlers that map one outcome type in one place.</summary>
    public static ProblemHttpResult InvalidField(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] }) { Status = StatusCodes.Status400BadRequest });
}

/// <summary>
/// Maps what escapes a handler to problem details. Malformed bodies and bad parameters arrive
/// here as <see cref="BadHttpRequestException"/> (we ask minimal APIs to throw them) and get a
/// 4xx that says what was wrong; anything else is our bug, a 500 that reveals nothing.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var context = httpContext;
        var (status, title, detail, errors) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } bad => (bad.StatusCode, "Malformed request body", DescribeJson(json), JsonErrors(json)),
            BadHttpRequestException bad => (bad.StatusCode, TitleFor(bad.StatusCode), Describe(bad), null),
            ConcurrencyConflictException conflict => (StatusCodes.Status409Conflict, "Conflict", conflict.Message, null),
            StoreRuleException => (StatusCodes.Status400BadRequest, "Bad request", "A value in the request is longer than this API accepts.", null),
            DependencyUnavailableException unavailable => (StatusCodes.Status503ServiceUnavailable, "Service unavailable", unavailable.Message, null),
            InvalidCursorException cursor => (StatusCodes.Status400BadRequest, "Bad cursor", cursor.Message, new Dictionary<string, string[]> { ["cursor"] = [cursor.Message] }),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The client went away.", null),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "Something went wrong on our side. It has been logged.", null),
        };
        if (exception is DependencyUnavailableException)
        {
            // Not our bug: the storage behind us is away; the client is told to come back shortly.
            LogUnavailable(logger, exception, context.Request.Method, context.Request.Path);
            context.Response.Headers.RetryAfter = "5";
        }
        else if (status >= 500)
        {
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
        }
        else if (exception is StoreRuleException rule)
        {
            // Input that validation should have refused earlier: worth fixing, but the caller's fault, not ours.
            LogStoreRule(logger, context.Request.Method, context.Request.Path, rule.Message);
        }
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static string TitleFor(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Request body too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "Request headers too large",
        _ => "Bad request",
    };

    private static string Describe(BadHttpRequestException bad) => bad.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        // Binding messages name the parameter and what was expected; they reveal no internals.
        _ => bad.Message,
    };

    private static string DescribeJson(JsonException json)
    {
        // Syntax errors come from the reader; everything else is a value that does not fit its property.
        if (json.InnerException?.GetType().Name == "JsonReaderException" || json.Path is null)
        {
            return $"The body is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).";
        }
        if (json.Path == "$")
        {
            return "The body must be a JSON object with the fields this endpoint documents.";
        }
        return json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? $"Unknown property '{json.Path}'."
            : $"The value at '{json.Path}' has the wrong type or format.";
    }

    private static Dictionary<string, string[]>? JsonErrors(JsonException json) =>
        json.Path is null or "$" || json.InnerException?.GetType().Name == "JsonReaderException"
            ? null
            : new() { [json.Path.TrimStart('$', '.')] = [DescribeJson(json)] };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A request to {Method} {Path} reached a store limit: {Rule}")]
    private static partial void LogStoreRule(ILogger logger, string method, string path, string rule);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A request to {Method} {Path} found a service unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}

/// <summary>
/// Writes problem details as JSON whatever the client said it accepts (the built-in writer
/// declines when <c>Accept</c> names only XML or HTML, and the error would go out as plain text).
/// Registered after the built-in writer, so it only takes what that one declines.
/// </summary>
public sealed class AlwaysJsonProblemWriter(IOptions<ProblemDetailsOptions> options, IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Status ??= context.HttpContext.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var typeInfo = json.Value.SerializerOptions.GetTypeInfo(problem.GetType());
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(problem, typeInfo, "application/problem+json", context.HttpContext.RequestAborted));
    }
}
