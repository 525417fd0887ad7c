using System.Threading.Channels;

namespace Pairwise.Listings;

/// <summary>
/// Ids of listings that changed, published after each committed write, for the candidate indexes:
/// this node's, and (once <see cref="Share"/> is called, with Redis) every other node's.
/// </summary>
public sealed class ListingChanges
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private Channel<string>? _outgoing;
    private int _pending;

    /// <summary>Changes published and not yet applied to the indexes.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>A change made on this node: applied here and, when shared, sent to the other nodes.</summary>
    public void Publish(string listingId)
    {
        Receive(listingId);
        _outgoing?.Writer.TryWrite(listingId);
    }

    /// <summary>A change made on another node: applied here only.</summary>
    public void Receive(string listingId)
    {
        Interlocked.Increment(ref _pending);
        _channel.Writer.TryWrite(listingId);
    }

    /// <summary>
    /// From now on, every change published here is also queued for the other nodes. The queue is
    /// bounded: when the link stays down that long, the oldest changes are dropped (the other
    /// nodes then see those listings at their next restart).
    /// </summary>
    public ChannelReader<string> Share()
    {
        _outgoing ??= Channel.CreateBounded<string>(new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        return _outgoing.Reader;
    }

    public ChannelReader<string> Reader => _channel.Reader;

    public void Applied() => Interlocked.Decrement(ref _pending);
}
