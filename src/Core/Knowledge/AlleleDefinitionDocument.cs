namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// The allele definitions of a gene (PharmCAT <c>GENE_translation.json</c>): its defining positions in VCF terms and
/// each named allele's allele there. <see cref="Exemption"/> is the gene's entry of PharmCAT's <c>exemptions.json</c>
/// when it has one (imported as its own document and attached on lookup).
/// </summary>
/// <param name="Build">The genome build of <see cref="AlleleDefinitionPosition.Position"/> (GRCh38).</param>
/// <param name="SubAlleles">PharmCAT's sub-allele → core-allele renames applied to called names (empty for every gene today).</param>
public sealed record AlleleDefinitionDocument(
    string Gene,
    string Build,
    string Chromosome,
    string? RefSeqChromosome,
    IReadOnlyList<AlleleDefinitionPosition> Positions,
    IReadOnlyList<NamedAlleleDefinition> Alleles,
    string Source,
    AlleleDefinitionExemption? Exemption = null,
    IReadOnlyDictionary<string, string>? SubAlleles = null) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.AlleleDefinition(Gene);
}

/// <summary>A defining position: its VCF position, REF and the ALTs the definitions use (indels and repeats in VCF form, e.g. <c>CAT</c> → <c>CATAT</c>).</summary>
/// <param name="HgvsNames">Each ALT's genomic HGVS name (<c>g.94781859G&gt;A</c>), in ALT order: how a partial allele is named.</param>
public sealed record AlleleDefinitionPosition(long Position, string? RsId, string Ref, IReadOnlyList<string> Alts, IReadOnlyList<string>? HgvsNames = null);

/// <param name="Bases">
/// One entry per position, in VCF form (IUPAC ambiguity codes stand for any base they name); null where the allele
/// does not define the position (PharmCAT reads it as the reference allele's there).
/// </param>
/// <param name="Id">The allele's PharmGKB/CPIC id (e.g. <c>PA165980499</c>).</param>
/// <param name="StructuralVariant">Defined by a structural change positions cannot show (PharmCAT drops such alleles on import; the flag is kept for completeness).</param>
public sealed record NamedAlleleDefinition(string Name, bool Reference, IReadOnlyList<string?> Bases, string? Id = null, bool StructuralVariant = false);

/// <summary>
/// PharmCAT's per-gene exemptions: positions that must be present to call at all, extra positions reported beside the
/// call, diplotype picks for known unphased ambiguities (NAT2), and the AMP tier-1 alleles and positions whose absence
/// is flagged. Ignored positions and alleles are already left out of the definitions; they are kept to say so.
/// </summary>
public sealed record AlleleDefinitionExemption(
    IReadOnlyList<long> RequiredPositions,
    IReadOnlyList<AlleleDefinitionPosition> IgnoredPositions,
    IReadOnlyList<AlleleDefinitionPosition> ExtraPositions,
    IReadOnlyList<string> IgnoredAlleles,
    IReadOnlyList<UnphasedDiplotypePriority> UnphasedDiplotypePriorities,
    IReadOnlyList<string> Amp1Alleles,
    IReadOnlyList<long> Amp1Positions);

/// <summary>When unphased genotypes fit every diplotype of <paramref name="Diplotypes"/>, PharmCAT reports <paramref name="Pick"/> (the more frequent).</summary>
public sealed record UnphasedDiplotypePriority(IReadOnlyList<string> Diplotypes, string Pick);

/// <summary>A gene's exemptions as imported from <c>exemptions.json</c> (one document per gene).</summary>
public sealed record AlleleExemptionDocument(string Gene, AlleleDefinitionExemption Exemption, string Source) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.AlleleExemption(Gene);
}
