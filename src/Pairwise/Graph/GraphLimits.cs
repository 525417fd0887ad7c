using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Pairwise.Graph;

/// <summary>Refuses a document with more aliased fields than allowed (thousands of aliases of one field are a cheap way to make a server work).</summary>
public sealed class AliasLimit(IOptions<GraphOptions> options) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        var max = options.Value.MaxAliases;
        var seen = 0;
        return new(new MatchingNodeVisitor<GraphQLField>((field, validation) =>
        {
            if (field.Alias is not null && ++seen == max + 1)
            {
                validation.ReportError(new ValidationError(validation.Document.Source, "ALIASES", $"At most {max} aliased fields in one document.", field));
            }
        }));
    }
}

/// <summary>
/// Parsed and validated documents by their text, so a client repeating a query (most do) skips
/// parsing and the document rules; rules that depend on variables (the cost) still run each time.
/// Bounded by the total length of the documents kept.
/// </summary>
public sealed class DocumentCache : IConfigureExecution, IDisposable
{
    private readonly MemoryCache _documents = new(new MemoryCacheOptions { SizeLimit = 4_000_000 });

    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.Document is not null || options.Query is not { } query)
        {
            return await next(options);
        }
        if (_documents.TryGetValue(query, out GraphQLDocument? cached))
        {
            options.Document = cached;
            options.ValidationRules = options.CachedDocumentValidationRules ?? [];
            return await next(options);
        }
        var result = await next(options);
        if (result.Executed && result.Document is { } document)
        {
            _documents.Set(query, document, new MemoryCacheEntryOptions { Size = query.Length, SlidingExpiration = TimeSpan.FromHours(1) });
        }
        return result;
    }

    public bool TryGet(string query, out GraphQLDocument? document) => _documents.TryGetValue(query, out document);

    public void Dispose() => _documents.Dispose();
}
