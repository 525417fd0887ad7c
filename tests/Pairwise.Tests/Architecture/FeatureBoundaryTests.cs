using System.Reflection;
using NetArchTest.Rules;

namespace Pairwise.Tests.Architecture;

/// <summary>
/// The walls between feature folders (docs/decisions/0014-feature-boundaries.md), checked on the
/// compiled assembly: a feature depends only on features on lower floors, so the feature graph
/// has no cycle.
/// </summary>
public sealed class FeatureBoundaryTests
{
    /// <summary>Every feature, lowest floor first. A feature may use only those before it.</summary>
    public static readonly string[][] Floors =
    [
        ["Platform"],
        ["Storage", "Scheduling", "Observability", "Delivery"],
        ["Markets", "Accounts", "Profiles", "Listings"],
        ["Realtime", "Notifications", "Conversations", "Swipes", "Ranking"],
        ["Gigs", "Reviews", "Digests", "Safety"],
        ["Cli", "ScaleOut", "WebApp"],
    ];

    private static readonly string[] Order = [.. Floors.SelectMany(f => f)];

    private static readonly Assembly Server = typeof(Pairwise.Platform.Ids).Assembly;

    public static TheoryData<string> Features() => [.. Order];

    [Fact]
    public void EveryFeatureFolderHasAFloor()
    {
        var features = Server.GetTypes()
            .Select(t => t.Namespace?.Split('.') is ["Pairwise", var feature, ..] ? feature : null)
            .OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Empty(features.Except(Order));
    }

    [Theory]
    [MemberData(nameof(Features))]
    public void AFeatureUsesOnlyFeaturesOnLowerFloorsOrEarlierOnItsOwn(string feature)
    {
        var above = Order.SkipWhile(f => f != feature).Skip(1).Select(f => $"Pairwise.{f}").ToArray();

        var result = Types.InAssembly(Server).That().ResideInNamespace($"Pairwise.{feature}")
            .ShouldNot().HaveDependencyOnAny(above).GetResult();

        Assert.True(result.IsSuccessful, $"{feature} reaches up to a later feature from: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }
}
