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
        Http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(100) }; // HttpClient's default: a loaded machine (every test project at once) answered one request in over 30 s
    }

    /// <summary>The printed base address, <c>http://127.0.0.1:PORT/api/</c>.</summary>
    public Uri Api { get; }

    public HttpClient Http { get; }

    public static Task<PmedServer> StartAsync(params string[] args) => StartAsync(new Dictionary<string, string>(), args);

    /// <summary>With app settings in the environment (<c>Cds__TrustedIssuers</c>), as the function app reads them.</summary>
    public static Task<PmedServer> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartAsync(environment, ignoreSigint: false, args);

    /// <param name="ignoreSigint">
    /// Start it with SIGINT ignored (<c>trap '' INT</c>), as a process started by a runner in the background inherits: for the
    /// tests of <see cref="StopAsync(TimeSpan)"/> itself.
    /// </param>
    internal static async Task<PmedServer> StartAsync(IReadOnlyDictionary<string, string> environment, bool ignoreSigint, params string[] args)
    {
        var start = new ProcessStartInfo(ignoreSigint ? "/bin/sh" : Pmed.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        if (ignoreSigint)
        {
            // exec keeps the disposition: the runtime leaves a SIGINT it inherits ignored as it is.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("trap '' INT; exec \"$0\" \"$@\"");
            start.ArgumentList.Add(Pmed.DotnetHost());
        }

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
    public Task<PmedRun> StopAsync() => StopAsync(TimeSpan.FromSeconds(30));

    /// <summary>
    /// Sends SIGINT and waits <paramref name="wait"/> for the exit. A server still running then is stopped with SIGTERM
    /// (and killed if that does nothing either), and the test fails saying SIGINT appears ignored: a process inherits an
    /// ignored SIGINT from a runner started in the background (<c>nohup ... &amp;</c>), and .NET leaves it ignored.
    /// </summary>
    internal async Task<PmedRun> StopAsync(TimeSpan wait)
    {
        if (await SignalAndWaitAsync("INT", wait)) return await OutputAsync();

        var sigint = SigintDisposition();
        var afterTerm = await SignalAndWaitAsync("TERM", TimeSpan.FromSeconds(10)) ? "it exited on SIGTERM" : "it was killed: SIGTERM did not stop it either";
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        var run = await OutputAsync();
        Assert.Fail(
            $"pmed serve did not exit within {wait.TotalSeconds:F0} s of SIGINT: SIGINT appears ignored ({sigint}; a process started "
            + $"in the background, as by 'nohup ./test.sh &', inherits SIGINT ignored and its children with it: run the tests in the "
            + $"foreground); {afterTerm}.\n{run}");
        return run;
    }

    /// <returns>Whether the process has exited within <paramref name="wait"/> of the signal.</returns>
    private async Task<bool> SignalAndWaitAsync(string signal, TimeSpan wait)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>What the system says of the process's SIGINT: ignored (its SigIgn mask has signal 2) or not.</summary>
    private string SigintDisposition()
    {
        var status = $"/proc/{_process.Id}/status";
        var ignored = File.Exists(status)
            ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } line
                && (ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) & 0b10) != 0
            : (bool?)null;
        return ignored switch
        {
            true => $"{status} lists it among the signals ignored",
            false => $"{status} does not list it among the signals ignored: the server may be hung instead",
            null => "no /proc to ask",
        };
    }

    private async Task<PmedRun> OutputAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var rest = await _process.StandardOutput.ReadToEndAsync(timeout.Token);
        return new PmedRun(_process.ExitCode, string.Join('\n', _stdout) + "\n" + rest, await _stderr.WaitAsync(timeout.Token));
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
