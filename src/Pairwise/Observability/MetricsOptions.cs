using System.Security.Cryptography;
using System.Text;

namespace Pairwise.Observability;

/// <summary><c>Pairwise:Metrics</c>: who may read <c>/metrics</c> (it names routes, rates and errors).</summary>
public sealed class MetricsOptions
{
    /// <summary>CIDR ranges of scrapers; loopback when none are given (a bound array adds to its default, so the default is empty).</summary>
#pragma warning disable CA1819 // Bound from configuration as an array.
    public string[] AllowedNetworks { get; set; } = [];
#pragma warning restore CA1819

    private static readonly string[] Loopback = ["127.0.0.0/8", "::1/128"];

    /// <summary>A secret a scraper elsewhere sends as <c>Authorization: Bearer …</c>; none by default.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// From an allowed network, or with the token. A request with no address (in-process, or a Unix
    /// socket, which the file system already guards) counts as local.
    /// </summary>
    public bool Allows(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null || (AllowedNetworks.Length > 0 ? AllowedNetworks : Loopback).Any(n => System.Net.IPNetwork.TryParse(n, out var network) && network.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)))
        {
            return true;
        }
        return Token is { Length: > 0 } token && context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..]), Encoding.UTF8.GetBytes(token));
    }
}
