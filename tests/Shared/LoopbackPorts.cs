using System.Net;
using System.Net.Sockets;

namespace DispatchBoard.Testing;

/// <summary>Ports for the servers a test starts of its own (SMTP, Redis, a stand-in collector): free on loopback now.</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
