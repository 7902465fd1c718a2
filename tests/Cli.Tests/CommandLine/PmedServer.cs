using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// <c>pmed serve</c> as a shell starts it: the built <c>pmed.dll</c> as a child process, ready when it prints the address
/// it listens on; stopped with SIGINT (Ctrl+C), as a person stops it.
/// </summary>
internal sealed partial class PmedServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly List<string> _stdout = [];

    private PmedServer(Process process, Uri api)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
        Api = api;
        Http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The printed base address, <c>http://127.0.0.1:PORT/api/</c>.</summary>
    public Uri Api { get; }

    public HttpClient Http { get; }

    public static Task<PmedServer> StartAsync(params string[] args) => StartAsync(new Dictionary<string, string>(), args);

    /// <summary>With app settings in the environment (<c>Cds__TrustedIssuers</c>), as the function app reads them.</summary>
    public static async Task<PmedServer> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Pmed.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Pmed.PmedDll());
        start.ArgumentList.Add("serve");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var seen = new List<string>();
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.Add(line);
            if (Listening().Match(line) is { Success: true } match)
            {
                var server = new PmedServer(process, new Uri(match.Groups["api"].Value));
                server._stdout.AddRange(seen);
                return server;
            }
        }

        var stderr = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        throw new InvalidOperationException($"pmed serve exited {process.ExitCode} before listening\n{string.Join('\n', seen)}\n{stderr}");
    }

    /// <summary>
    /// Writes <paramref name="request"/> as it is on a connection of its own and reads the answer until the server closes
    /// it: a request HttpClient would not write (HTTP/1.0 without Host, a malformed chunk). Send <c>Connection: close</c>.
    /// </summary>
    public async Task<string> SendRawAsync(string request, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Api.Port, cancellationToken);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>Sends SIGINT and waits for the exit: the run as a person ends it with Ctrl+C.</summary>
    public async Task<PmedRun> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var rest = await _process.StandardOutput.ReadToEndAsync(timeout.Token);
        await _process.WaitForExitAsync(timeout.Token);
        return new PmedRun(_process.ExitCode, string.Join('\n', _stdout) + "\n" + rest, await _stderr);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (?<api>http://127\.0\.0\.1:\d+/api/)")]
    private static partial Regex Listening();
}
