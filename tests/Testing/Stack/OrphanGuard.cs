using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PrecisionMed.Testing.Stack;

/// <summary>
/// Makes sure no node server outlives the test process: tracked process trees are killed on normal exit
/// (ProcessExit) and on SIGTERM/SIGHUP/SIGQUIT (which end a .NET process without raising ProcessExit), and
/// each child is preloaded with <see cref="ParentWatchdog"/> for the deaths nothing can intercept (SIGKILL).
/// </summary>
internal static class OrphanGuard
{
    /// <summary>
    /// A <c>node --import</c> preload: the child exits once its parent is gone (its parent pid changes
    /// when it is re-parented). The timer is unref'd so it never keeps node alive by itself.
    /// </summary>
    public const string ParentWatchdog =
        "data:text/javascript,const p=process.ppid;setInterval(()=>{if(process.ppid!==p)process.exit(0)},500).unref();";

    private static readonly Lock Gate = new();
    private static readonly HashSet<Process> Tracked = [];
    private static readonly List<PosixSignalRegistration> SignalRegistrations = [];

    static OrphanGuard()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        if (!OperatingSystem.IsWindows())
        {
            // Not cancelled: the signal's default action (ending this process) follows the kill.
            foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            {
                SignalRegistrations.Add(PosixSignalRegistration.Create(signal, _ => KillAll()));
            }
        }
    }

    public static void Track(Process process)
    {
        lock (Gate)
        {
            Tracked.Add(process);
        }
    }

    public static void Untrack(Process process)
    {
        lock (Gate)
        {
            Tracked.Remove(process);
        }
    }

    /// <summary>Kills the whole process tree; safe on a process that exited or was disposed.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited or disposed (ObjectDisposedException is an InvalidOperationException): nothing to stop.
        }
    }

    private static void KillAll()
    {
        Process[] snapshot;
        lock (Gate)
        {
            snapshot = [.. Tracked];
        }

        foreach (var process in snapshot)
        {
            Kill(process);
        }
    }
}
