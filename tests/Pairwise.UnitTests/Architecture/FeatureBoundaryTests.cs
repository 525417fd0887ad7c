using System.Reflection;
using NetArchTest.Rules;

namespace Pairwise.Tests.Architecture;

/// <summary>
/// The walls between feature folders (docs/decisions/0014-feature-boundaries.md), checked on the
/// compiled assembly: a feature depends only on features on lower floors, so the feature graph
/// has no cycle, and nobody reads another feature's keys, JSON context or endpoints.
/// </summary>
public sealed class FeatureBoundaryTests
{
    /// <summary>Every feature, lowest floor first. A feature may use only those before it.</summary>
    public static readonly string[][] Floors =
    [
        ["Platform"],
        ["Storage", "Scheduling", "Observability", "Delivery"],
        ["Markets", "Accounts", "Profiles", "Listings"],
        ["Realtime", "Notifications", "Conversations", "Swipes", "Ranking", "Payments"],
        ["Gigs", "Deals", "Reviews", "Digests", "Safety", "Social"],
        ["Graph", "Cli", "ScaleOut", "WebApp"],
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

    [Fact]
    public void NoFeatureReadsAnotherFeaturesKeysJsonOrEndpoints()
    {
        var privateParts = Server.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Pairwise.", StringComparison.Ordinal) == true && !t.IsNested
                && (t.Name.EndsWith("Keys", StringComparison.Ordinal) || t.Name.EndsWith("Endpoints", StringComparison.Ordinal)
                    || t.IsSubclassOf(typeof(System.Text.Json.Serialization.JsonSerializerContext))))
            .ToList();
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var part in privateParts)
        {
            var result = Types.InAssembly(Server).That().DoNotResideInNamespace(part.Namespace).And().ResideInNamespace("Pairwise")
                .ShouldNot().HaveDependencyOn(part.FullName).GetResult();
            foreach (var name in result.FailingTypeNames ?? [])
            {
                // Types outside the feature folders (Program, the composition root) may map every feature's endpoints.
                if (name.Split('.') is ["Pairwise", var feature, ..] && Order.Contains(feature))
                {
                    found.Add($"{feature} -> {part.Name}");
                }
            }
        }

        Assert.True(found.Count == 0, $"Reads of another feature's keys, JSON or endpoints (call its store or service instead): {string.Join(" | ", found)}");
    }

    [Fact]
    public void EachFeatureRegistersAndMapsItselfInItsOneModule()
    {
        var outside = Server.GetTypes()
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly)
                .Where(m => m.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute), false)
                    && m.GetParameters()[0].ParameterType == typeof(Microsoft.AspNetCore.Builder.WebApplicationBuilder))
                .Select(m => (Type: t, Method: m)))
            .Where(x => x.Type.Namespace?.Split('.') is not ["Pairwise", var feature, ..] || x.Type.Name != $"{feature}Module")
            .Select(x => $"{x.Type.FullName}.{x.Method.Name}")
            .ToList();

        Assert.True(outside.Count == 0, $"Registrations outside a feature's module: {string.Join(", ", outside)}");
    }

    [Fact]
    public void EndpointsTranslateAndNeverTouchTheStore()
    {
        var result = Types.InAssembly(Server).That().HaveNameEndingWith("Endpoints")
            .ShouldNot().HaveDependencyOn("Pairwise.Storage.IItemStore").GetResult();

        Assert.True(result.IsSuccessful, $"Endpoints that read or write the store themselves: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }
}
