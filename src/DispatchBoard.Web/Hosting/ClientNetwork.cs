using System.Net;
using System.Net.Sockets;

namespace DispatchBoard.Web.Hosting;

/// <summary>
/// The key that per-client limits and quotas count by: an IPv4 address as it is, an IPv6 address by its /64 (one home or
/// phone network hands out a whole /64 and a client may rotate within it at will), an IPv4-mapped IPv6 address as its IPv4.
/// The address is the one the forwarded-headers middleware settled on, so behind a trusted proxy it is the real client's.
/// </summary>
public static class ClientNetwork
{
    public const string Unknown = "unknown";

    /// <summary>The client's address as text (after the forwarded-headers middleware), or null when the server has none.</summary>
    public static string? AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    /// <summary>The key of an address given as text (a circuit's cascaded address); unparsable text counts as unknown.</summary>
    public static string KeyOf(string? address) =>
        IPAddress.TryParse(address, out var parsed) ? KeyOf(parsed) : Unknown;
}
