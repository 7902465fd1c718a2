namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>Turns a call's matches into its result: the flags the sample gives, the exemptions' picks, PharmCAT's renames.</summary>
internal sealed class Outcome
{
    private readonly SampleAlleles _sample;
    private readonly AlleleDefinitionExemption? _exemption;

    public Outcome(SampleAlleles sample, StarAlleleOptions options)
    {
        _sample = sample;
        _exemption = options.WithExemptions ? sample.Index.Definitions.Exemption : null;
        MissingRequired = [.. sample.Missing.Where(sample.Index.Required.Contains)];
        MissingAmp1 = _exemption is null ? [] : [.. sample.Missing.Where(sample.Index.Amp1.Contains)];
        UnphasedPriorityMode = !sample.EffectivelyPhased && _exemption is { UnphasedDiplotypePriorities.Count: > 0 };
        if (_exemption is null) MissingRequired.Clear();
    }

    public List<long> MissingRequired { get; }

    private List<long> MissingAmp1 { get; }

    /// <summary>Unphased genotypes of a gene with exemption picks: all candidates are kept so a pick can be found among them.</summary>
    public bool UnphasedPriorityMode { get; }

    public GeneCallResult NoCall(NoCallReason reason) => Result([], [], reason, null);

    public GeneCallResult Haplotypes(IReadOnlyList<string> haplotypes) =>
        Result([], haplotypes, haplotypes.Count == 0 ? NoCallReason.NoMatch : NoCallReason.None, null);

    public GeneCallResult Diplotypes(List<DiplotypeMatch> matches)
    {
        if (_sample.Index.Definitions.SubAlleles is { Count: > 0 } subAlleles)
        {
            foreach (var match in matches) match.Rename(subAlleles);
        }

        List<DiplotypeCandidate> candidates = [.. matches.Select(m => m.ToCandidate())];
        List<DiplotypeCandidate>? all = null;
        if (candidates.Count > 1 && !_sample.EffectivelyPhased && _exemption is not null)
        {
            var names = candidates.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var priority in _exemption.UnphasedDiplotypePriorities.OrderBy(p => string.Join('|', p.Diplotypes), StringComparer.Ordinal))
            {
                if (!priority.Diplotypes.All(names.Contains)) continue;
                all = candidates;
                candidates = [candidates.First(c => c.Name == priority.Pick)];
                break;
            }
        }

        return Result(candidates, [], candidates.Count == 0 ? NoCallReason.NoMatch : NoCallReason.None, all);
    }

    private GeneCallResult Result(IReadOnlyList<DiplotypeCandidate> diplotypes, IReadOnlyList<string> haplotypes, NoCallReason reason, IReadOnlyList<DiplotypeCandidate>? all) => new(
        _sample.Index.Gene,
        diplotypes,
        haplotypes,
        _sample.Missing,
        reason,
        _sample.Present.Length > 0 && _sample.Phased,
        _sample.Present.Length > 0 && _sample.EffectivelyPhased,
        _sample.Haploid,
        MissingRequired,
        MissingAmp1,
        all,
        _sample.Undocumented,
        _sample.UndocumentedAsReference);
}
