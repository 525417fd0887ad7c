using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using GraphQL.Validation.Errors;
using GraphQL.Validation.Errors.Custom;

namespace Pairwise.Graph;

/// <summary>
/// The errors the gateway answers with, each with an <c>extensions.code</c> a client can branch
/// on (Apollo's names where they exist). Thrown by resolvers; the executor puts them beside the
/// data, with the field's path, and the field is null.
/// </summary>
public static class GraphErrors
{
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";
    public const string BadUserInput = "BAD_USER_INPUT";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string RateLimited = "RATE_LIMITED";
    public const string PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND";
    public const string BadRequest = "BAD_REQUEST";

    public static ExecutionError SignInFirst() =>
        Coded(Unauthenticated, "Sign in first: send Authorization: Bearer <accessToken> (over WebSocket: connection_init payload.authorization).");

    public static ExecutionError NotFoundError(string message) => Coded(NotFound, message);

    public static ExecutionError ForbiddenError(string message) => Coded(Forbidden, message);

    public static ExecutionError ConflictError(string message) => Coded(Conflict, message);

    /// <summary>A wrong argument or input field, named in <c>extensions.argument</c> (a path such as <c>input.price</c>).</summary>
    public static ExecutionError Invalid(string argument, string message)
    {
        var error = Coded(BadUserInput, $"{argument}: {message}");
        error.Extensions!["argument"] = argument;
        return error;
    }

    /// <summary>Every wrong field at once, as the REST validation problem lists them.</summary>
    public static ExecutionError Invalid(string prefix, IDictionary<string, string[]> errors)
    {
        var fields = errors.ToDictionary(e => Join(prefix, e.Key), e => (object?)e.Value);
        var first = fields.First();
        var error = Coded(BadUserInput, string.Join(" ", fields.Select(f => $"{f.Key}: {string.Join(" ", (string[])f.Value!)}")));
        error.Extensions!["argument"] = first.Key;
        error.Extensions["fields"] = fields;
        return error;
    }

    public static ExecutionError Limited(TimeSpan retryAfter, string message)
    {
        var error = Coded(RateLimited, message);
        error.Extensions!["retryAfter"] = (int)Math.Ceiling(retryAfter.TotalSeconds);
        return error;
    }

    public static ExecutionError Coded(string code, string message) =>
        new(message) { Code = code, Extensions = new Dictionary<string, object?>() };

    private static string Join(string prefix, string field) =>
        prefix.Length == 0 ? field : $"{prefix}.{char.ToLowerInvariant(field[0])}{field[1..]}";
}

/// <summary>
/// What a client sees of an error: the message and <c>extensions.code</c> (plus what our errors
/// add), never a stack trace or an exception's message; failures of our own say only that
/// something went wrong (they are logged).
/// </summary>
public sealed class GraphErrorInfoProvider : IErrorInfoProvider
{
    public ErrorInfo GetInfo(ExecutionError executionError)
    {
        var code = executionError switch
        {
            UnhandledError => "INTERNAL_SERVER_ERROR",
            SyntaxError => "GRAPHQL_PARSE_FAILED",
            InvalidVariableError or ArgumentsOfCorrectTypeError or ProvidedNonNullArgumentsError => GraphErrors.BadUserInput,
            ComplexityError => "QUERY_TOO_COMPLEX",
            ValidationError => "GRAPHQL_VALIDATION_FAILED",
            TimeoutError => "TIMEOUT",
            _ when executionError.Extensions is not null && executionError.Code is { } own => own,
            _ => GraphErrors.BadRequest,
        };
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (executionError.Extensions is { } own2 && executionError is not UnhandledError)
        {
            foreach (var (key, value) in own2)
            {
                extensions[key] = value;
            }
        }
        return new ErrorInfo
        {
            Message = executionError is UnhandledError ? "Something went wrong on our side. It has been logged." : executionError.Message,
            Extensions = extensions,
        };
    }
}
