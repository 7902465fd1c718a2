namespace PrecisionMed.Testing.Stack;

/// <summary>How to run one local service under node and how to tell it answers.</summary>
/// <param name="Name">Service name used in messages.</param>
/// <param name="Arguments">Everything after <c>node</c> on the command line.</param>
/// <param name="RequiredFiles">Files that must exist before starting (the script and its packages).</param>
/// <param name="Probes">URLs that must all answer before the service counts as ready.</param>
/// <param name="ProbeNeedsSuccess">Whether a probe needs a 2xx status, or any HTTP answer will do.</param>
internal sealed record NodeServiceLaunch(
    string Name,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<string> RequiredFiles,
    IReadOnlyList<Uri> Probes,
    bool ProbeNeedsSuccess);
