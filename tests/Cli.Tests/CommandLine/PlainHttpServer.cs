using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// A loopback web server that answers every request with the same small HTML page: a URL where something other than
/// the service a command expects is listening (a wrong port, a proxy's page). Made with <c>answers: false</c>, it reads
/// each request and never answers: a server that hangs.
/// </summary>
internal sealed class PlainHttpServer : IAsyncDisposable
{
    private static readonly byte[] Answer = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 27\r\nConnection: close\r\n\r\n<html>It works!</html>\n\n\n\n\n");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly bool _answers;

    public PlainHttpServer(bool answers = true)
    {
        _answers = answers;
        _listener.Start();
        _serving = ServeAsync(_stop.Token);
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = AnswerAsync(client, cancellationToken);
        }
    }

    private async Task AnswerAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var request = new StringBuilder();
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, cancellationToken);
                    if (read == 0) return;
                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                if (!_answers) await Task.Delay(Timeout.Infinite, cancellationToken);
                await stream.WriteAsync(Answer, cancellationToken);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The client went away: nothing to answer.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
