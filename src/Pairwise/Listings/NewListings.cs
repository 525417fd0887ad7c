using System.Threading.Channels;

namespace Pairwise.Listings;

/// <summary>
/// Listings just posted live in a selection market (a new job), for whoever announces them: the
/// gigs matching window reads this queue (seed 001: the best available members hear at once).
/// </summary>
public sealed class NewListings
{
    private readonly Channel<string> _posted = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Posted(string listingId) => _posted.Writer.TryWrite(listingId);

    public ChannelReader<string> Reader => _posted.Reader;
}
