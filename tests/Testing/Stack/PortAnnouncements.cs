using System.Globalization;
using System.Text.RegularExpressions;

namespace PrecisionMed.Testing.Stack;

/// <summary>
/// Reads a service's ports from the lines it prints, one pattern a port (<see cref="NodeServiceLaunch.PortAnnouncements"/>),
/// and completes once every pattern matched.
/// </summary>
internal sealed class PortAnnouncements(IReadOnlyList<Regex> patterns)
{
    private readonly int?[] _ports = new int?[patterns.Count];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<IReadOnlyList<int>> _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every port, in the patterns' order, once each was announced.</summary>
    public Task<IReadOnlyList<int>> All => _all.Task;

    public void Read(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            for (var i = 0; i < patterns.Count; i++)
            {
                if (_ports[i] is not null || patterns[i].Match(line) is not { Success: true } match) continue;
                _ports[i] = int.Parse(match.Groups["port"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            }

            if (_ports.All(port => port is not null)) _all.TrySetResult([.. _ports.Select(port => port!.Value)]);
        }
    }

    /// <summary>What is still missing, for an error message.</summary>
    public string Missing()
    {
        lock (_gate)
        {
            return string.Join(", ", patterns.Where((_, i) => _ports[i] is null).Select(pattern => $"/{pattern}/"));
        }
    }
}
