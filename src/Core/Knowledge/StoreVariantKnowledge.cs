using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// The VCF path's questions (<see cref="IVariantKnowledge"/>) answered by the knowledge store, through the cached <see cref="KnowledgeLookup"/>: a
/// variant is known when the store has a classification at its build:chrom:pos:ref:alt (any significance: the
/// reportable set of a large file is what the store can say something about); the pharmacogenes are the
/// single-position-matcher genes PharmCAT calls this way, of which the store has allele definitions; the lab profile
/// is the one enrichment reads.
/// </summary>
public sealed class StoreVariantKnowledge(KnowledgeLookup knowledge) : IVariantKnowledge
{
    /// <summary>
    /// Genes whose star alleles PharmCAT's named-allele matcher calls from positions alone: every gene PharmCAT defines
    /// but CYP2D6 (copy number and hybrids, called outside PharmCAT; a lab states it), whose definitions the store holds.
    /// </summary>
    public static IReadOnlyList<string> PositionCalledGenes { get; } =
    [
        "ABCG2", "CACNA1S", "CFTR", "CYP2B6", "CYP2C19", "CYP2C9", "CYP3A4", "CYP3A5", "CYP4F2", "DPYD",
        "G6PD", "IFNL3", "NAT2", "NUDT15", "RYR1", "SLCO1B1", "TPMT", "UGT1A1", "VKORC1",
    ];

    public async ValueTask<bool> IsKnownAsync(KnownVariantQuery variant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variant);
        if (ReportEnricher.ChromosomeOf(variant.ChromosomeAccession) is not { } chromosome) return false;
        var location = new VariantLocation(variant.GenomeBuild, chromosome, variant.Position, variant.Ref, variant.Alt);
        return await knowledge.FindVariantAsync(location, cancellationToken) is not null;
    }

    public async ValueTask<IReadOnlyList<PharmacogenePositions>> PharmacogenePositionsAsync(string genomeBuild, CancellationToken cancellationToken)
    {
        var definitions = await PharmacogeneDefinitionsAsync(genomeBuild, cancellationToken);
        return [.. definitions.Select(d => new PharmacogenePositions(d.Gene, d.Chromosome, [.. d.Positions.Select(p => p.Position)]))];
    }

    /// <summary>The allele definitions of every pharmacogene called from genotypes at its defining positions, on a genome build.</summary>
    private async ValueTask<IReadOnlyList<AlleleDefinitionDocument>> PharmacogeneDefinitionsAsync(string genomeBuild, CancellationToken cancellationToken)
    {
        var build = KnowledgeIds.NormaliseBuild(genomeBuild);
        var definitions = new List<AlleleDefinitionDocument>();
        foreach (var gene in PositionCalledGenes)
        {
            if (await knowledge.FindAlleleDefinitionsAsync(gene, cancellationToken) is { } found && KnowledgeIds.NormaliseBuild(found.Build) == build)
                definitions.Add(found);
        }

        return definitions;
    }

    public async ValueTask<VcfLabProfile?> LabProfileAsync(string labId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labId);
        return ForVcf(await knowledge.FindLabProfileAsync(labId, cancellationToken));
    }

    /// <summary>What a lab profile says of the lab's VCFs; null for no profile.</summary>
    public static VcfLabProfile? ForVcf(LabProfileDocument? profile) => profile is null ? null : new VcfLabProfile(
        profile.GenomeBuild,
        profile.SourceClass,
        profile.VcfIdentity is { } identity ? new VcfIdentitySource(identity.Source, identity.IdentifierSystem) : null);
}
