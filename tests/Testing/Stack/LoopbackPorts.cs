using System.Net;
using System.Net.Sockets;

namespace PrecisionMed.Testing.Stack;

/// <summary>Loopback ports for tests.</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// A port nothing listens on right now (the system's pick, released at once): for a service a test starts on it,
    /// or for an address whose connections must be refused.
    /// </summary>
    public static int Unused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
