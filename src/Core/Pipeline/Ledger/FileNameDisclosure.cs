namespace PrecisionMed.Core.Pipeline.Ledger;

/// <summary>
/// Whether a status answer carries the lab's file name. Labs often name files after patients or sample ids, so the
/// name is withheld from status answers unless an operator asks for it.
/// </summary>
public enum FileNameDisclosure
{
    /// <summary>No file name, and no path or text that quotes it.</summary>
    Withheld,

    /// <summary>The file name and where the original is, for an operator who asked.</summary>
    Shown,
}
