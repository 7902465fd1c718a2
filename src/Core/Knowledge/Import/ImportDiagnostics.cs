using System.Collections.Concurrent;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>Rows an importer could not use, with their line and reason; the first <see cref="MaxListed"/> are kept.</summary>
public sealed class ImportDiagnostics(string file)
{
    public const int MaxListed = 100;

    private readonly ConcurrentQueue<LabFileProblem> _problems = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public IReadOnlyCollection<LabFileProblem> Listed => _problems;

    public void Add(long line, string? field, string reason) => Add(file, line, field, reason);

    /// <summary>A problem in one file of a set: <paramref name="entry"/> is its name within the set.</summary>
    public void Add(string entry, long line, string? field, string reason)
    {
        if (Interlocked.Increment(ref _count) <= MaxListed)
            _problems.Enqueue(new LabFileProblem(new SourcePosition { Path = entry == file ? file : $"{file}/{entry}", Line = line, Field = field }, reason));
    }
}
