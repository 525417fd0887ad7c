using Pairwise.Storage;

namespace Pairwise.Tests.Storage;

/// <summary>The same contract, on Amazon's DynamoDB Local: each test on a fresh table.</summary>
public sealed class DynamoDbItemStoreTests : ItemStoreContract
{
    private readonly string _table = $"t{Guid.NewGuid():N}";

    protected override IItemStore CreateStore(TimeProvider clock) => DynamoDbLocal.StoreAsync(clock, _table).GetAwaiter().GetResult();
}
