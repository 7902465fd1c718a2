using System.Text.RegularExpressions;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Tests.Pipeline.Ledger;

/// <summary>What the transitions write beside the state: the history event and the fields each state carries.</summary>
[Trait("Tier", "Fast")]
public sealed partial class LedgerTransitionHistoryTests
{
    private static readonly DateTimeOffset Before = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset At = Before.AddMinutes(5);
    private static readonly LabFileProblem Problem = new(SourcePosition.None, "segment OBX-5: no value");

    [Fact]
    public void Claim_WaitingUnit_ClaimedAndTheWaitCleared_NothingRecorded()
    {
        var waiting = Unit(UnitState.Waiting) with { NextAttemptAt = At, FailingSince = Before, WaitingReason = "the FHIR service answered HTTP 503" };

        var claimed = waiting.Claim("def", 4, At.AddMinutes(10), At);

        Assert.Equal((UnitState.Processing, "def", 4, At.AddMinutes(10)), (claimed.State, claimed.ContentHash, claimed.Attempt, claimed.ClaimedUntil));
        Assert.Equal((null, null, null), (claimed.NextAttemptAt, claimed.FailingSince, claimed.WaitingReason));
        Assert.Equal(waiting.History, claimed.History);
    }

    [Fact]
    public void Wait_FirstOfARun_OneEventWithTheReason_AgainAddsNone()
    {
        var claimed = Unit(UnitState.Processing) with { ClaimedUntil = At };

        var waiting = claimed.Wait("the FHIR service answered HTTP 503", 5, At.AddMinutes(1), At);
        var again = waiting.Claim("abc", 5, At.AddMinutes(10), At).Wait("the FHIR service answered HTTP 503", 6, At.AddMinutes(2), At, again: true);

        Assert.Equal(new LedgerEvent(At, "Waiting: the FHIR service answered HTTP 503"), waiting.History[^1]);
        Assert.Equal((5, At.AddMinutes(1), "the FHIR service answered HTTP 503", (DateTimeOffset?)null), (waiting.Attempt, waiting.NextAttemptAt, waiting.WaitingReason, waiting.ClaimedUntil));
        Assert.Equal(waiting.History, again.History);
        Assert.Equal((UnitState.Waiting, 6), (again.State, again.Attempt));
    }

    [Fact]
    public void Replay_FailedUnit_PendingOneAttemptOnCountedAndRecorded()
    {
        var failed = Unit(UnitState.Failed) with { Problem = Problem, ReplayCount = 1 };

        var replayed = failed.Replay("Replay 2 of 3 requested by ops", At);

        Assert.Equal((UnitState.Pending, 4, 2, (LabFileProblem?)null), (replayed.State, replayed.Attempt, replayed.ReplayCount, replayed.Problem));
        Assert.Equal(new LedgerEvent(At, "Replay 2 of 3 requested by ops"), replayed.History[^1]);
    }

    [Fact]
    public void CompleteRejectHoldFail_RecordWhatHappenedWithoutTheProblemsText()
    {
        var claimed = Unit(UnitState.Processing) with { ClaimedUntil = At, ResourceCount = 12 };

        Assert.Equal("Completed: 12 resource(s) written", claimed.Complete(At).History[^1].What);
        Assert.Equal("Rejected", claimed.Reject(Problem, At).History[^1].What);
        Assert.Equal("Rejected in review", claimed.Hold(Problem, At).Reject(Problem, At, "Rejected in review").History[^1].What);
        Assert.Equal("Held for review", claimed.Hold(Problem, At).History[^1].What);
        Assert.Equal("Failed on every delivery attempt", claimed.Fail(Problem, "Failed on every delivery attempt", At).History[^1].What);
        Assert.All([claimed.Complete(At), claimed.Reject(Problem, At), claimed.Hold(Problem, At), claimed.Release(At)], u => Assert.Null(u.ClaimedUntil));
    }

    [Fact]
    public void FileTransitions_RecordTheirEvents()
    {
        var received = LedgerFile.Received("file-1", "lab-a", "2026/run.hl7", "abc", Before);

        var split = received.Split(3, At);
        var rejected = split.Reject(Problem, "rejected/lab-a/abc/run.hl7", At);
        var duplicate = rejected.Duplicate("rejected", At);

        Assert.Equal(["Received", "Split into 3 unit(s)", "Rejected: " + Problem, "Same content arrived again; copied to rejected"], duplicate.History.Select(e => e.What));
        Assert.Equal((FileState.Rejected, Problem, "rejected/lab-a/abc/run.hl7", 1), (duplicate.State, duplicate.Problem, duplicate.StoredAt, duplicate.DuplicateCount));
        Assert.Equal("A replay could not be queued: Held again", split.ReplayNotQueued(FileState.Held, At).History[^1].What);
    }

    /// <summary>The table is the only writer of states: no code under src/ sets a ledger state or history but the records' own (and the reinterpretation record's, which moves by the same table).</summary>
    [Fact]
    public void SourceTree_NoStateOrHistoryWrittenOutsideTheLedgerRecords()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        string[] records = ["LedgerRecords.cs", "LedgerFile.Transitions.cs", "LedgerUnit.Transitions.cs"];
        // The reinterpretation work items' records move through the same unit table (their Move is its only caller).
        var reinterpretationRecord = Path.Combine("Pipeline", "Reinterpretation", "ReinterpretationRecord.cs");
        var writes = new List<string>();
        foreach (var path in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            if (path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
            if (records.Contains(Path.GetFileName(path)) && Path.GetDirectoryName(path)!.EndsWith(Path.Combine("Pipeline", "Ledger"), StringComparison.Ordinal)) continue;
            if (path.EndsWith(reinterpretationRecord, StringComparison.Ordinal)) continue;
            var lines = System.IO.File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                // FileNames shows a record with file names withheld from its history's text: a projection, not a transition.
                if (LedgerWrite().IsMatch(lines[i]) && !(Path.GetFileName(path) == "FileNames.cs" && lines[i].Contains("History = Withhold(", StringComparison.Ordinal)))
                    writes.Add($"{Path.GetRelativePath(src, path)}:{i + 1}: {lines[i].Trim()}");
            }
        }

        Assert.Empty(writes);
    }

    // Object initialisers and `with` expressions of the ledger's state and history, and events made by hand.
    [GeneratedRegex(@"\b(State|History)\s*=[^=>]|new LedgerEvent\(")]
    private static partial Regex LedgerWrite();

    // The same record the table walk starts from: waiting once before, at attempt 3.
    private static LedgerUnit Unit(UnitState state) => LedgerTransitionTableTests.Unit(state, Before);

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (System.IO.File.Exists(Path.Combine(folder.FullName, "PrecisionMed.Serverless.sln"))) return folder.FullName;
        throw new InvalidOperationException("Cannot find the repository root (PrecisionMed.Serverless.sln) above " + AppContext.BaseDirectory);
    }
}
