using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Pairwise.Social;

/// <summary>An address a user gave that leads into a network the server must not reach for them.</summary>
public sealed class RefusedAddressException(string host) : IOException(
    $"'{host}' resolves to a loopback, private or link-local address, which this server does not fetch for users.")
{
    public string Host { get; } = host;
}

/// <summary>
/// The SSRF guard of every request a connector makes to an address a user gave: the connection is
/// opened by <see cref="ConnectAsync"/>, which resolves the host itself and connects only to public
/// addresses, so the check holds after DNS, on every redirect (each new host is a new connection)
/// and against DNS rebinding (the checked address is the one connected to). Hosts in
/// <see cref="SocialOptions.AllowedFeedHosts"/> are exempt.
/// </summary>
public sealed class OutboundGuard(IOptions<SocialOptions> options)
{
    public bool IsAllowedHost(string host) =>
        options.Value.AllowedFeedHosts.Any(h => string.Equals(h.Trim().TrimStart('[').TrimEnd(']'), host.TrimStart('[').TrimEnd(']'), StringComparison.OrdinalIgnoreCase));

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var usable = IsAllowedHost(host) ? addresses : [.. addresses.Where(IsPublic)];
        if (usable.Length == 0)
        {
            throw new RefusedAddressException(host);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(usable, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>False for loopback, private, link-local, shared, multicast, reserved and unspecified addresses (IPv4, IPv6 and IPv4 inside IPv6).</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] is >= 64 and <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 198 && b[1] is 18 or 19)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
            || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
        {
            return false;
        }
        var bytes = address.GetAddressBytes();
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that must be public too.
        if (bytes is [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, ..])
        {
            return IsPublic(new IPAddress(bytes.AsSpan(12, 4)));
        }
        if (bytes is [0x20, 0x02, ..])
        {
            return IsPublic(new IPAddress(bytes.AsSpan(2, 4)));
        }
        // Documentation (2001:db8::/32) and the deprecated IPv4-compatible form (::a.b.c.d).
        return !(bytes is [0x20, 0x01, 0x0d, 0xb8, ..]) && !bytes.AsSpan(0, 12).SequenceEqual(new byte[12]);
    }
}
