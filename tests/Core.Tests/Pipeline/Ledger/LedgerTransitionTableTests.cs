using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Tests.Pipeline.Ledger;

/// <summary>
/// The ledger's state machine walked whole: every state × every transition, through the records' own methods. An allowed
/// one lands in the table's state and records its event; any other throws and writes nothing.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class LedgerTransitionTableTests
{
    private static readonly DateTimeOffset Before = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset At = Before.AddMinutes(5);
    private static readonly LabFileProblem Problem = new(SourcePosition.None, "segment OBX-5: no value");

    // The table as written down here: a change to the state machine shows in this test's diff, not only in the code's.
    public static TheoryData<UnitTransition, UnitState[], UnitState?> UnitTable => new()
    {
        { UnitTransition.Claim, Enum.GetValues<UnitState>(), UnitState.Processing },
        { UnitTransition.Release, [UnitState.Processing], UnitState.Pending },
        { UnitTransition.Complete, [UnitState.Processing], UnitState.Completed },
        { UnitTransition.Wait, [UnitState.Processing], UnitState.Waiting },
        { UnitTransition.WaitAgain, [UnitState.Processing], UnitState.Waiting },
        { UnitTransition.Reject, [UnitState.Processing, UnitState.Held], UnitState.Rejected },
        { UnitTransition.Hold, [UnitState.Processing], UnitState.Held },
        { UnitTransition.Fail, [UnitState.Pending, UnitState.Processing, UnitState.Waiting, UnitState.Failed], UnitState.Failed },
        { UnitTransition.Replay, [UnitState.Waiting, UnitState.Held, UnitState.Failed], UnitState.Pending },
        { UnitTransition.ReplayNotQueued, [UnitState.Waiting, UnitState.Held, UnitState.Failed], null },
    };

    public static TheoryData<FileTransition, FileState[], FileState?> FileTable => new()
    {
        { FileTransition.Split, [FileState.Received], FileState.Split },
        { FileTransition.Complete, [FileState.Received, FileState.Split, FileState.Held, FileState.Failed], FileState.Completed },
        { FileTransition.Reject, [FileState.Received, FileState.Split, FileState.Completed, FileState.Held, FileState.Failed], FileState.Rejected },
        { FileTransition.Hold, [FileState.Received, FileState.Split, FileState.Failed], FileState.Held },
        { FileTransition.Fail, [FileState.Received, FileState.Split, FileState.Held], FileState.Failed },
        { FileTransition.Replay, Enum.GetValues<FileState>(), FileState.Split },
        { FileTransition.ReplayNotQueued, [FileState.Split], null },
        { FileTransition.ReplayArrival, [FileState.Failed], FileState.Received },
        { FileTransition.Duplicate, [FileState.Split, FileState.Completed, FileState.Rejected, FileState.Held, FileState.Failed], null },
    };

    [Theory]
    [MemberData(nameof(UnitTable))]
    public void UnitTransition_EveryState_TheTablesTargetOrAnException(UnitTransition transition, UnitState[] from, UnitState? to)
    {
        Assert.Equal(from.Order(), LedgerTransitions.From(transition));
        foreach (var state in Enum.GetValues<UnitState>())
        {
            var unit = Unit(state);
            if (!from.Contains(state))
            {
                var refused = Assert.Throws<LedgerTransitionException>(() => Apply(unit, transition));
                Assert.Equal((nameof(LedgerUnit), state.ToString(), transition.ToString()), (refused.Record, refused.From, refused.Transition));
                continue;
            }

            var moved = Apply(unit, transition);
            Assert.Equal(to ?? state, moved.State);
            Assert.Equal(to ?? state, LedgerTransitions.UnitTarget(state, transition));
            Assert.Equal(At, moved.UpdatedAt);
            var added = moved.History.Skip(unit.History.Count).ToList();
            Assert.Equal(unit.History, moved.History.Take(unit.History.Count));
            if (LedgerTransitions.IsRecorded(transition)) Assert.Equal(At, Assert.Single(added).At);
            else Assert.Empty(added);
        }
    }

    [Theory]
    [MemberData(nameof(FileTable))]
    public void FileTransition_EveryState_TheTablesTargetOrAnException(FileTransition transition, FileState[] from, FileState? to)
    {
        Assert.Equal(from.Order(), LedgerTransitions.From(transition));
        foreach (var state in Enum.GetValues<FileState>())
        {
            var file = File(state);
            if (!from.Contains(state))
            {
                var refused = Assert.Throws<LedgerTransitionException>(() => Apply(file, transition));
                Assert.Equal((nameof(LedgerFile), state.ToString(), transition.ToString()), (refused.Record, refused.From, refused.Transition));
                continue;
            }

            var moved = Apply(file, transition);
            Assert.Equal(to ?? (transition == FileTransition.ReplayNotQueued ? FileState.Failed : state), moved.State);
            Assert.Equal(At, moved.UpdatedAt);
            Assert.Equal(file.History, moved.History.Take(file.History.Count));
            Assert.Equal(At, Assert.Single(moved.History.Skip(file.History.Count)).At);
        }
    }

    [Fact]
    public void Transitions_EveryTransitionHasARow()
    {
        Assert.Equal(Enum.GetValues<UnitTransition>(), UnitTable.Select(row => row.Data.Item1));
        Assert.Equal(Enum.GetValues<FileTransition>(), FileTable.Select(row => row.Data.Item1));
    }

    [Fact]
    public void ReplayNotQueued_BackToAStateAReplayDoesNotLeave_Throws()
    {
        var replayed = File(FileState.Split);
        foreach (var back in Enum.GetValues<FileState>()) Assert.Equal(back, replayed.ReplayNotQueued(back, At).State); // a replay leaves every state

        var refused = Assert.Throws<LedgerTransitionException>(() => File(FileState.Completed).ReplayNotQueued(FileState.Failed, At));
        Assert.Equal((nameof(LedgerFile), nameof(FileState.Completed)), (refused.Record, refused.From));
    }

    [Fact]
    public void LedgerTransitionException_NamesKindStateAndTransitionOnly()
    {
        var unit = Unit(UnitState.Completed) with { Accession = "DOE_JANE_19700101" };

        var refused = Assert.Throws<LedgerTransitionException>(() => unit.Hold(Problem, At));

        Assert.Equal("A LedgerUnit in state Completed cannot take the transition Hold: the ledger's transition table does not allow it.", refused.Message);
        Assert.DoesNotContain(unit.FileId, refused.Message, StringComparison.Ordinal);
    }

    internal static LedgerUnit Unit(UnitState state, DateTimeOffset? before = null) => new()
    {
        FileId = "file-1",
        UnitIndex = 2,
        ContentHash = "abc",
        State = state,
        UpdatedAt = before ?? Before,
        Attempt = 3,
        History = [new LedgerEvent(before ?? Before, "Waiting: the FHIR service answered HTTP 503")],
    };

    private static LedgerFile File(FileState state) =>
        LedgerFile.Received("file-1", "lab-a", "2026/run.hl7", "abc", Before) with { State = state };

    private static LedgerUnit Apply(LedgerUnit unit, UnitTransition transition) => transition switch
    {
        UnitTransition.Claim => unit.Claim("abc", 4, At.AddMinutes(10), At),
        UnitTransition.Release => unit.Release(At),
        UnitTransition.Complete => unit.Complete(At),
        UnitTransition.Wait => unit.Wait("the FHIR service answered HTTP 503", 4, At.AddMinutes(1), At),
        UnitTransition.WaitAgain => unit.Wait("the FHIR service answered HTTP 503", 4, At.AddMinutes(1), At, again: true),
        UnitTransition.Reject => unit.Reject(Problem, At),
        UnitTransition.Hold => unit.Hold(Problem, At),
        UnitTransition.Fail => unit.Fail(Problem, "Failed on every delivery attempt", At),
        UnitTransition.Replay => unit.Replay("Replay 1 of 3 requested by ops", At),
        UnitTransition.ReplayNotQueued => unit.ReplayNotQueued(At),
        _ => throw new ArgumentOutOfRangeException(nameof(transition)),
    };

    private static LedgerFile Apply(LedgerFile file, FileTransition transition) => transition switch
    {
        FileTransition.Split => file.Split(2, At),
        FileTransition.Complete => file.Complete("Completed; original archived", "archive/lab-a/x", At),
        FileTransition.Reject => file.Reject(Problem, "rejected/lab-a/x", At),
        FileTransition.Hold => file.Hold(At),
        FileTransition.Fail => file.Fail("Failed", At),
        FileTransition.Replay => file.Replay("Replay of 1 unit(s) requested by ops", At),
        FileTransition.ReplayNotQueued => file.ReplayNotQueued(FileState.Failed, At),
        FileTransition.ReplayArrival => file.ReplayArrival("Arrival replayed (1 of 3) by ops", At),
        FileTransition.Duplicate => file.Duplicate("archive", At),
        _ => throw new ArgumentOutOfRangeException(nameof(transition)),
    };
}
