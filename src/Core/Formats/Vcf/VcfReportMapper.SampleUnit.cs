using System.Globalization;
using System.Text;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

public sealed partial class VcfReportMapper
{
    /// <summary>A variant the cheap rules let through, waiting for the gene / knowledge rule.</summary>
    private sealed record PendingVariant(
        VariantFinding Finding, KnownVariantQuery? Query, string? PhaseSet, int Orientation, long Position, List<MolecularConsequenceFinding> Consequences)
    {
        /// <summary>The record's sample fields its facts could not be read from (<see cref="VcfSampleNumbers"/>), listed when the record is reported.</summary>
        public IReadOnlyList<LabFileProblem> Unread { get; init; } = [];
    }

    /// <summary>The state of mapping one sample: counts, findings, phase sets, problems.</summary>
    private sealed class SampleUnit(
        VcfReportMapper mapper, VcfHeader header, int sample, GenomeBuild? build, VcfReportablePolicy policy, PharmacogeneGenotypes pharmacogenes)
    {
        private readonly VcfReportablePolicy _policy = policy;
        private readonly VcfAnnotationReader _annotations = new(header);
        private readonly HashSet<string> _genes = new(mapper._options.Genes.Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g.Trim()), StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
        private readonly List<VariantFinding> _variants = [];
        private readonly List<MolecularConsequenceFinding> _consequences = [];
        private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
        private readonly HashSet<string> _unplaced = new(StringComparer.Ordinal);
        private readonly List<(string PhaseSet, long Position, int Orientation, string Key)> _phased = [];
        private readonly List<LabFileProblem> _problems = [];
        private readonly SortedSet<string> _genesSeen = new(StringComparer.Ordinal);
        private readonly LabDiplotypes _labDiplotypes = new(mapper._options.DiplotypeInfoKey, header);
        private string? _placedChromosome;
        private Action<LabFileProblem>? _problemSink;
        private long _problemCount;

        private Action<LabFileProblem> ProblemSink => _problemSink ??= Problem;

        private bool RestrictsGenesOrKnowledge => _genes.Count > 0 || mapper._options.OnlyKnownVariants;

        public void Count(string outcome, long count = 1)
        {
            if (count > 0) _counts[outcome] = _counts.GetValueOrDefault(outcome) + count;
        }

        public void Problem(LabFileProblem problem)
        {
            _problemCount++;
            if (_problems.Count < MaxListedProblems) _problems.Add(problem);
        }

        /// <summary>The lab's own diplotypes the header states, before any record's.</summary>
        public void ReadHeaderDiplotypes() => _labDiplotypes.ReadHeader(ProblemSink);

        /// <summary>
        /// Every record, whatever the policy says of it, may carry a genotype at a pharmacogene's defining position or
        /// a diplotype the lab called; either leaves the record's count to the policy.
        /// </summary>
        public void CollectPharmacogenes(VcfRecord record)
        {
            if (!pharmacogenes.IsEmpty) pharmacogenes.Collect(record, _policy.Chromosome(record), sample);
            _labDiplotypes.Collect(record, ProblemSink);
        }

        /// <summary>The variants of the record that pass the cheap rules, or null (the record is then counted).</summary>
        public List<PendingVariant>? Select(VcfRecord record)
        {
            var gtIndex = record.FormatIndex("GT"u8);
            if (_policy.Judge(record, sample, gtIndex) is { } reason)
            {
                Count(reason);
                return null;
            }

            var chromosome = _policy.Chromosome(record);
            var accession = AccessionOf(record, chromosome);
            if (accession is null && VcfMitochondrion.Applies(build, chromosome)) return null;
            var unread = VcfSampleNumbers.Unreadable(record, sample);
            var pending = new List<PendingVariant>(2);
            string? unsupported = null;
            var ploidy = _policy.Ploidy;
            for (var i = 0; i < ploidy; i++)
            {
                var allele = _policy.Alleles[i];
                if (allele <= 0 || IsRepeat(allele, i)) continue;
                if (allele > record.AltCount)
                {
                    unsupported = "the GT names an ALT allele the record does not have";
                    continue;
                }

                var built = mapper.BuildVariant(record, sample, (chromosome, accession), build, allele, _policy, _annotations, out var why);
                if (built is null)
                {
                    unsupported ??= why;
                    continue;
                }

                pending.Add(unread.Count == 0 ? built : built with { Unread = unread });
            }

            if (pending.Count == 0)
            {
                Count(VcfRecordOutcome.UnsupportedAllele);
                Problem(new LabFileProblem(new SourcePosition { Line = record.LineNumber, Column = record.ColumnStart(4) }, unsupported ?? "no reportable ALT allele"));
                return null;
            }

            CheckPlaced(record, chromosome, accession);
            return pending;
        }

        /// <summary>
        /// The NC_ accession of CHROM in the build, or null. GRCh37's mitochondrion is told by the header
        /// (<see cref="VcfMitochondrion"/>); when it cannot be, the record is counted and not reported, said once per CHROM.
        /// </summary>
        private string? AccessionOf(VcfRecord record, string chromosome)
        {
            if (build is null) return null;
            if (!VcfMitochondrion.Applies(build, chromosome)) return RefSeqChromosomes.Accession(build, chromosome);
            if (VcfMitochondrion.Grch37Accession(header, chromosome) is { } accession) return accession;
            Count(VcfRecordOutcome.MitochondrialSequenceUnknown);
            if (_unplaced.Add(chromosome))
                Problem(new LabFileProblem(new SourcePosition { Line = record.LineNumber, Column = record.ColumnStart(0) }, VcfMitochondrion.UnknownReason(header, chromosome)));
            return null;
        }

        /// <summary>
        /// A build's chromosome names the Variant's place (its NC_ accession); a CHROM the build does not know (an alt,
        /// decoy or unplaced contig, a name of the lab's own) leaves its Variants with a position on no named sequence:
        /// said once per such CHROM, at its first reported record. (Without a build, the whole-file problem says it.)
        /// </summary>
        private void CheckPlaced(VcfRecord record, string chromosome, string? accession)
        {
            if (build is null || ReferenceEquals(chromosome, _placedChromosome)) return;
            if (accession is not null)
            {
                _placedChromosome = chromosome;
                return;
            }

            if (!_unplaced.Add(chromosome)) return;
            Problem(new LabFileProblem(new SourcePosition { Line = record.LineNumber, Column = record.ColumnStart(0) }, string.Create(CultureInfo.InvariantCulture,
                $"CHROM is no {build.Name} chromosome (1-22, X, Y or MT, with or without 'chr'): the Variants on it carry no RefSeq chromosome accession nor g.HGVS")));
        }

        private bool IsRepeat(int allele, int index)
        {
            for (var j = 0; j < index; j++)
            {
                if (_policy.Alleles[j] == allele) return true;
            }

            return false;
        }

        public async Task AcceptAsync(List<PendingVariant> pending, CancellationToken cancellationToken)
        {
            var accepted = 0;
            var duplicate = false;
            foreach (var variant in pending)
            {
                if (RestrictsGenesOrKnowledge && !await IsWantedAsync(variant, cancellationToken)) continue;
                if (!_keys.Add(variant.Finding.Key))
                {
                    duplicate = true; // the same CHROM/POS/REF/ALT again (one row per transcript in some lab exports)
                    continue;
                }

                if (_variants.Count >= mapper._options.MaxReportableVariants) throw TooMany();
                _variants.Add(variant.Finding);
                _consequences.AddRange(variant.Consequences);
                accepted++;
                if (variant.PhaseSet is not null && variant.Orientation >= 0)
                    _phased.Add((variant.PhaseSet, variant.Position, variant.Orientation, variant.Finding.Key));
                foreach (var gene in variant.Finding.Components.Where(c => c.Code.Code == "48018-6").Select(c => (c.Value as CodedValue)?.Text))
                {
                    if (gene is not null) _genesSeen.Add(gene);
                }
            }

            Count(accepted > 0 ? VcfRecordOutcome.Reported : duplicate ? VcfRecordOutcome.DuplicateRecord : VcfRecordOutcome.NotInGenesOrKnowledge);
            if (accepted > 0) foreach (var unread in pending[0].Unread) Problem(unread);
        }

        private async ValueTask<bool> IsWantedAsync(PendingVariant variant, CancellationToken cancellationToken)
        {
            var gene = variant.Query?.Gene;
            if (gene is not null && _genes.Contains(gene)) return true;
            return mapper._options.OnlyKnownVariants && variant.Query is not null && await mapper._knowledge.IsKnownAsync(variant.Query, cancellationToken);
        }

        private LabFileRejectedException TooMany()
        {
            var most = mapper._options.MaxReportableVariants.ToString("N0", CultureInfo.InvariantCulture);
            var which = (sample + 1).ToString(CultureInfo.InvariantCulture);
            return new(SourcePosition.None,
                $"sample {which} has more than {most} reportable variants, the most written as Variant observations "
                + "(nothing is truncated): report fewer with regions (option Vcf:RegionsBed, pmed ingest --regions), genes (Vcf:Genes, --gene) "
                + "or known variants only (Vcf:OnlyKnownVariants, --known-only), or raise Vcf:MaxReportableVariants (--max-variants)");
        }

        public LabReport ToReport(ReportProvenance provenance, SampleIdentity identity, BedRegions? studied)
        {
            var fileDate = header.Meta.GetValueOrDefault("fileDate");
            var effective = fileDate is { Length: 8 } && fileDate.All(char.IsAsciiDigit) ? $"{fileDate[..4]}-{fileDate[4..6]}-{fileDate[6..]}" : null;
            return new LabReport
            {
                Accession = identity.Accession,
                Patient = identity.Patient,
                GenomicTest = true,
                TestCode = identity.TestCode,
                Specimen = identity.Specimen is { } specimen ? new SpecimenDetails("specimen", specimen, null) : null,
                Status = ReportStatus.Final,
                StatusStatedByLab = false,
                Effective = effective,
                GenomeBuild = build?.ToCodedValue(),
                GenesStudied = [.. _genesSeen.Select(g => new CodedValue([], g))],
                RegionsStudied = studied is null ? [] : RegionsText(studied),
                Variants = _variants,
                MolecularConsequences = _consequences,
                PharmacogeneGenotypes = pharmacogenes.Observed(),
                LabDiplotypes = _labDiplotypes.Stated(),
                PhaseRelationships = PhaseRelationships(),
                Skipped = _problems,
                UnlistedProblems = _problemCount - _problems.Count,
                RecordCounts = _counts,
            };
        }

        /// <summary>
        /// vcf2fhir's rule: phased calls sorted by phase set (one chromosome's, with or without PS, see <c>Phase</c>) and
        /// position; neighbours in one set are Cis when the ALT is on the same haplotype, else Trans.
        /// </summary>
        private List<PhaseRelationshipFinding> PhaseRelationships()
        {
            var result = new List<PhaseRelationshipFinding>();
            var ordered = _phased.OrderBy(p => p.PhaseSet, StringComparer.Ordinal).ThenBy(p => p.Position).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var (a, b) = (ordered[i - 1], ordered[i]);
                if (a.PhaseSet != b.PhaseSet) continue;
                result.Add(new PhaseRelationshipFinding($"phase:{a.Key}|{b.Key}", a.Orientation == b.Orientation ? "Cis" : "Trans", [a.Key, b.Key]));
            }

            return result;
        }

        private static List<string> RegionsText(BedRegions regions)
        {
            const int listed = 200;
            var text = regions.Described.Take(listed).ToList();
            if (regions.Described.Count > listed)
                text.Add(string.Create(CultureInfo.InvariantCulture, $"and {regions.Described.Count - listed} more regions"));
            return text;
        }
    }

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
