using System.Net;
using System.Net.Sockets;

namespace PrecisionMed.Testing.Stack;

/// <summary>Loopback ports for tests. (Servers the tests start listen on port 0 and report the port they got.)</summary>
public static class LoopbackPorts
{
    // Bound for the whole run and never listening: the system answers a connection with a reset (refused), and no
    // other process can bind the port meanwhile, as it could one that was merely free when picked.
    private static readonly Socket ClosedSocket = BindWithoutListening();

    /// <summary>A loopback port whose connections are refused, for as long as the test process runs: a service that is down.</summary>
    public static int Closed => ((IPEndPoint)ClosedSocket.LocalEndPoint!).Port;

    private static Socket BindWithoutListening()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
