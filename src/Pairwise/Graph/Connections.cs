using GraphQL.Types;

namespace Pairwise.Graph;

/// <summary>One page of a list, Relay style: the items with their cursors, and where the next page starts.</summary>
public sealed record Page<T>(IReadOnlyList<Edge<T>> Edges, string? EndCursor) : IPage;

public static class Pages
{
    /// <summary>A page of <paramref name="items"/>: each edge's cursor from <paramref name="cursorOf"/> where the list can resume after any item, else the last one's is <paramref name="next"/>.</summary>
    public static Page<T> Of<T>(IReadOnlyList<T> items, string? next, Func<T, string?>? cursorOf = null) =>
        new([.. items.Select((item, i) => new Edge<T>(item, cursorOf?.Invoke(item) ?? (i == items.Count - 1 ? next : null)))], next);
}

public sealed record Edge<T>(T Node, string? Cursor);

public interface IPage
{
    string? EndCursor { get; }
}

/// <summary>
/// <c>XConnection { edges { cursor node } nodes pageInfo { hasNextPage endCursor } }</c>. Lists
/// go forward only (newest first, or best first for feeds): pass <c>pageInfo.endCursor</c> as
/// <c>after</c> for the next page.
/// </summary>
public sealed class ConnectionType<TNodeType, T> : ObjectGraphType<Page<T>> where TNodeType : IGraphType
{
    public ConnectionType()
    {
        var node = typeof(TNodeType).Name.Replace("Type", "", StringComparison.Ordinal);
        Name = $"{node}Connection";
        Description = $"A page of {node} items. Pass pageInfo.endCursor as after for the next page.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EdgeType<TNodeType, T>>>>>("edges").Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNodeType>>>>("nodes").Description("The items alone, when their cursors are not needed.")
            .Resolve(c => c.Source.Edges.Select(e => e.Node));
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(c => c.Source);
    }
}

public sealed class EdgeType<TNodeType, T> : ObjectGraphType<Edge<T>> where TNodeType : IGraphType
{
    public EdgeType()
    {
        var node = typeof(TNodeType).Name.Replace("Type", "", StringComparison.Ordinal);
        Name = $"{node}Edge";
        Field<NonNullGraphType<TNodeType>>("node").Resolve(c => c.Source.Node);
        Field<StringGraphType>("cursor").Description("Resume after this item (where the list allows it; pageInfo.endCursor always does).").Resolve(c => c.Source.Cursor);
    }
}

public sealed class PageInfoType : ObjectGraphType<IPage>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").Resolve(c => c.Source.EndCursor is not null);
        Field<StringGraphType>("endCursor").Resolve(c => c.Source.EndCursor);
    }
}
