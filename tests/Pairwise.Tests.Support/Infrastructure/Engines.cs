using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

namespace Pairwise.Tests.Infrastructure;

/// <summary>The storage engines every API test runs on, in the same run.</summary>
public enum Engine
{
    Sqlite,
    DynamoDb,
}

/// <summary>
/// Runs a theory once per storage engine, the engine first, then any further arguments (as
/// <c>[InlineData]</c> would give them): the engine is a test parameter, not a second run.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OnEachEngineAttribute(params object?[] data) : DataAttribute
{
    public IReadOnlyList<object?> Data { get; } = data;

    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker) =>
        new([.. Enum.GetValues<Engine>().Select(engine => (ITheoryDataRow)new TheoryDataRow([engine, .. Data]))]);

    public override bool SupportsDiscoveryEnumeration() => true;
}
