using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Pairwise.Storage;

/// <summary>
/// The Data Protection key ring kept in the item store, so that every node of a deployment (and
/// every worker) reads the same keys: what one node encrypts (a linked account's provider tokens),
/// another can decrypt. The keys themselves are written as the framework hands them over.
/// </summary>
public sealed class StoreKeyRing(IItemStore store) : IXmlRepository
{
    private const string Partition = "DATAPROTECTION";

    // The framework's repository contract is synchronous; it reads the ring once per refresh period (a day by default).
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var elements = new List<XElement>();
        string? cursor = null;
        do
        {
            var page = store.QueryAsync(new Query { Pk = Partition, Cursor = cursor }).GetAwaiter().GetResult();
            elements.AddRange(page.Items.Select(i => XElement.Parse(Encoding.UTF8.GetString(i.Data))));
            cursor = page.Cursor;
        }
        while (cursor is not null);
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName) =>
        store.PutAsync(new Item
        {
            Pk = Partition,
            Sk = friendlyName,
            Data = Encoding.UTF8.GetBytes(element.ToString(SaveOptions.DisableFormatting)),
            Version = 1,
        }, Condition.NotExists).GetAwaiter().GetResult();

    /// <summary>Makes the store the home of the key ring.</summary>
    public static void Use(IServiceCollection services) =>
        services.AddOptions<KeyManagementOptions>().Configure<IItemStore>((options, store) => options.XmlRepository = new StoreKeyRing(store));
}
