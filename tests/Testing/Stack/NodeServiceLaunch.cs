using System.Text.RegularExpressions;

namespace PrecisionMed.Testing.Stack;

/// <summary>How to run one local service under node, how it tells its ports, and how to tell it answers.</summary>
/// <param name="Name">Service name used in messages.</param>
/// <param name="Arguments">Everything after <c>node</c> on the command line.</param>
/// <param name="RequiredFiles">Files that must exist before starting (the script and its packages).</param>
/// <param name="PortAnnouncements">
/// One pattern per port the service listens on, each matching the line it prints once it listens there, with the
/// port in the group named <c>port</c>. The service is started on port 0 and the system's pick is read from these
/// lines: no port is chosen first and bound later, which another process could take in between.
/// </param>
/// <param name="Probes">The URLs that must all answer before the service counts as ready, from its ports in announcement order.</param>
/// <param name="ProbeNeedsSuccess">Whether a probe needs a 2xx status, or any HTTP answer will do.</param>
internal sealed record NodeServiceLaunch(
    string Name,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<string> RequiredFiles,
    IReadOnlyList<Regex> PortAnnouncements,
    Func<IReadOnlyList<int>, IReadOnlyList<Uri>> Probes,
    bool ProbeNeedsSuccess);
