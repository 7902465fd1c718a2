namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// A VCF sample column that no explicit source ties to a patient: the unit is held for review (or waits for its
/// manifest), never written under a guessed patient. The message names the column by number and the sources tried,
/// never a name or identifier.
/// </summary>
public sealed class VcfIdentityMissingException : Exception
{
    public VcfIdentityMissingException(string reason, bool manifestMissing)
        : base(reason)
    {
        ManifestMissing = manifestMissing;
    }

    /// <summary>Whether no manifest was there: one arriving later may still name the column.</summary>
    public bool ManifestMissing { get; }
}
