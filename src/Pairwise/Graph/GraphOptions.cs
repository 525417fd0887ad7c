using System.ComponentModel.DataAnnotations;

namespace Pairwise.Graph;

/// <summary>
/// The <c>Pairwise:GraphQL</c> section: the limits every document meets before it runs,
/// introspection included (the schema is public, the limits still apply to it).
/// </summary>
public sealed class GraphOptions
{
    /// <summary>The longest document, in characters (the introspection query is about 2,000).</summary>
    [Range(1_000, 1_000_000)]
    public int MaxDocumentLength { get; set; } = 16_384;

    /// <summary>The largest request body, variables included.</summary>
    [Range(4_096, 10_000_000)]
    public int MaxRequestBytes { get; set; } = 262_144;

    /// <summary>The deepest selection (the introspection query nests about 13 levels).</summary>
    [Range(2, 100)]
    public int MaxDepth { get; set; } = 16;

    /// <summary>
    /// The largest estimated cost: each field costs 1, a list multiplies its selection by its
    /// <c>first</c> (or 10). A page of 100 listings with their owners and images costs about 8,000;
    /// the full introspection query about 10,000.
    /// </summary>
    [Range(10, 10_000_000)]
    public int MaxComplexity { get; set; } = 50_000;

    /// <summary>The most aliased fields in one document.</summary>
    [Range(0, 10_000)]
    public int MaxAliases { get; set; } = 50;

    /// <summary>How long an operation may run before it is cut off with a TIMEOUT error.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Subscriptions one WebSocket connection may hold at once.</summary>
    [Range(1, 1_000)]
    public int MaxSubscriptionsPerConnection { get; set; } = 50;

    /// <summary>How long a new WebSocket has to send connection_init.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
