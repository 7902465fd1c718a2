namespace PrecisionMed.Core.LabReports;

/// <summary>A variant as the knowledge store keys it: build, RefSeq chromosome accession, VCF position and alleles (normalised).</summary>
public sealed record KnownVariantQuery(string GenomeBuild, string ChromosomeAccession, long Position, string Ref, string Alt, string? Gene);
