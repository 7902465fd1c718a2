using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace PrecisionMed.Testing.Stack;

/// <summary>One running node child process: the ports it reported, its output tail, its readiness time, and its tree to kill.</summary>
internal sealed class NodeService : IAsyncDisposable
{
    private const string InstallHint = "run: npm ci --prefix dev";
    private const int OutputLines = 40;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private readonly NodeServiceLaunch _launch;
    private readonly Process _process;
    private readonly OutputTail _output;
    private readonly PortAnnouncements _announcements;
    private readonly string _commandLine;
    private readonly string _workingDirectory;
    private int _disposed;

    private NodeService(
        NodeServiceLaunch launch, Process process, OutputTail output, PortAnnouncements announcements, string commandLine, string workingDirectory)
    {
        _launch = launch;
        _process = process;
        _output = output;
        _announcements = announcements;
        _commandLine = commandLine;
        _workingDirectory = workingDirectory;
    }

    /// <summary>Time from process start until every probe answered.</summary>
    public TimeSpan Ready { get; private set; }

    /// <summary>The ports the process reported it listens on, in the order of <see cref="NodeServiceLaunch.PortAnnouncements"/>.</summary>
    public IReadOnlyList<int> Ports { get; private set; } = [];

    public static async Task<NodeService> StartAsync(
        NodeServiceLaunch launch,
        string? nodePath,
        string workingDirectory,
        HttpClient probeClient,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        string[] arguments = ["--import", OrphanGuard.ParentWatchdog, .. launch.Arguments];
        var commandLine = FormatCommandLine(nodePath ?? "node", arguments);
        if (nodePath is null)
        {
            throw Failure(launch, commandLine, workingDirectory, "node was not found on PATH", output: null);
        }

        var missing = launch.RequiredFiles.FirstOrDefault(file => !File.Exists(file));
        if (missing is not null)
        {
            throw Failure(launch, commandLine, workingDirectory, $"{missing} does not exist", output: null);
        }

        var startInfo = new ProcessStartInfo(nodePath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new OutputTail(OutputLines);
        var announcements = new PortAnnouncements(launch.PortAnnouncements);
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) =>
        {
            output.Add(e.Data);
            announcements.Read(e.Data);
        };
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);

        var stopwatch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw Failure(launch, commandLine, workingDirectory, $"the process could not be started ({ex.Message})", output: null, ex);
        }

        // Tracked from the start, so that a run ended while the services are still starting leaves none behind.
        OrphanGuard.Track(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new NodeService(launch, process, output, announcements, commandLine, workingDirectory);
        try
        {
            await service.WaitUntilReadyAsync(probeClient, timeout, cancellationToken);
            service.Ready = stopwatch.Elapsed;
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Asks the process to stop as a service manager does (SIGTERM, through <c>kill</c>: Linux and macOS) and
    /// waits until it exited; returns its exit code.
    /// </summary>
    public async Task<int> TerminateAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signal = new ProcessStartInfo("kill") { UseShellExecute = false };
        signal.ArgumentList.Add("-TERM");
        signal.ArgumentList.Add(_process.Id.ToString(CultureInfo.InvariantCulture));
        using (var kill = Process.Start(signal)!)
        {
            await kill.WaitForExitAsync(cancellationToken);
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure($"the process did not exit within {timeout.TotalSeconds} s of SIGTERM");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        OrphanGuard.Kill(_process);
        OrphanGuard.Untrack(_process);
        using (var wait = new CancellationTokenSource(ExitWait))
        {
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"{_launch.Name} (pid {_process.Id}) did not exit within {ExitWait.TotalSeconds} s of being killed.");
            }
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(HttpClient probeClient, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            Ports = await WaitForPortsAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure($"it did not report its port within {timeout.TotalSeconds} s (no line matched {_announcements.Missing()})");
        }

        var pending = new List<Uri>(_launch.Probes(Ports));
        var lastAnswer = "no probe sent yet";
        try
        {
            while (true)
            {
                await ThrowIfExitedAsync("answered", deadline.Token);
                for (var i = pending.Count - 1; i >= 0; i--)
                {
                    (var answered, lastAnswer) = await ProbeAsync(probeClient, pending[i], deadline.Token);
                    if (answered)
                    {
                        pending.RemoveAt(i);
                    }
                }

                if (pending.Count == 0)
                {
                    return;
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure($"{pending[0]} did not answer within {timeout.TotalSeconds} s (last probe: {lastAnswer})");
        }
    }

    private async Task<IReadOnlyList<int>> WaitForPortsAsync(CancellationToken cancellationToken)
    {
        while (!_announcements.All.IsCompleted)
        {
            await ThrowIfExitedAsync("reported its port", cancellationToken);
            await Task.WhenAny(_announcements.All, Task.Delay(PollInterval, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }

        return await _announcements.All;
    }

    private async Task ThrowIfExitedAsync(string before, CancellationToken cancellationToken)
    {
        if (!_process.HasExited) return;

        // Let the output readers drain so the tail holds the process's last words.
        await _process.WaitForExitAsync(cancellationToken);
        throw Failure($"the process exited with code {_process.ExitCode} before it {before}");
    }

    private async Task<(bool Answered, string Description)> ProbeAsync(HttpClient probeClient, Uri uri, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(ProbeTimeout);
        try
        {
            using var response = await probeClient.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var status = (int)response.StatusCode;
            var answered = !_launch.ProbeNeedsSuccess || response.IsSuccessStatusCode;
            return (answered, string.Create(CultureInfo.InvariantCulture, $"HTTP {status} from {uri}"));
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : ex.Message;
            return (false, $"{reason} from {uri}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"no answer from {uri} within {ProbeTimeout.TotalSeconds} s");
        }
    }

    private LocalStackStartException Failure(string reason) =>
        Failure(_launch, _commandLine, _workingDirectory, reason, _output);

    private static LocalStackStartException Failure(
        NodeServiceLaunch launch,
        string commandLine,
        string workingDirectory,
        string reason,
        OutputTail? output,
        Exception? inner = null)
    {
        var message = $"""
            {launch.Name} did not start: {reason}.
              command: {commandLine}
              working directory: {workingDirectory}
              last output:
            {output?.ToString() ?? "(not started)"}
              hint: {InstallHint}
            """;
        return inner is null ? new LocalStackStartException(message) : new LocalStackStartException(message, inner);
    }

    private static string FormatCommandLine(string program, IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Prepend(program).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
}
