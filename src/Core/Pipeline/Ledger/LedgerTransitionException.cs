namespace PrecisionMed.Core.Pipeline.Ledger;

/// <summary>A ledger record was asked for a transition its state does not allow: names the record kind, state and transition only.</summary>
public sealed class LedgerTransitionException(string record, string from, string transition)
    : InvalidOperationException($"A {record} in state {from} cannot take the transition {transition}: the ledger's transition table does not allow it.")
{
    public string Record { get; } = record;

    public string From { get; } = from;

    public string Transition { get; } = transition;
}
