using Pairwise.Storage;

namespace Pairwise.Tests.Storage;

public sealed class SqliteItemStoreTests : ItemStoreContract
{
    private readonly string _folder = TempFolder.Create("sqlite");

    protected override IItemStore CreateStore(TimeProvider clock) => new SqliteItemStore(Path.Combine(_folder, "items.db"), clock);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        TempFolder.Delete(_folder);
    }

    [Fact]
    public async Task PurgingDeletesExpiredItemsFromTheFile()
    {
        for (var i = 0; i < 30; i++)
        {
            await Store.PutAsync(new Item { Pk = "TTL", Sk = $"k{i}", ExpiresAt = i < 20 ? Clock.GetUtcNow().AddSeconds(1) : null });
        }
        Clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(15, await Store.PurgeExpiredAsync(15));
        Assert.Equal(5, await Store.PurgeExpiredAsync(15));
        Assert.Equal(0, await Store.PurgeExpiredAsync(15));
        Assert.Equal(10, (await Store.QueryAsync(new Query { Pk = "TTL" })).Items.Count);
    }

    [Fact]
    public async Task WritesSurviveReopeningTheFile()
    {
        var path = Path.Combine(_folder, "reopen.db");
        using (var first = new SqliteItemStore(path, Clock))
        {
            await first.PutAsync(new Item { Pk = "P", Sk = "S", Version = 9 });
        }
        using var second = new SqliteItemStore(path, Clock);
        Assert.Equal(9, (await second.GetAsync(new ItemKey("P", "S")))!.Version);
    }
}
