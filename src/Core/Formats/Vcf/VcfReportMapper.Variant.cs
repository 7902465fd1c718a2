using System.Buffers.Text;
using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

public sealed partial class VcfReportMapper
{
    private const string Ensembl = "http://www.ensembl.org";
    private static readonly Coding CoordinateSystem = Coding.LoincCode("92822-6", "Genomic coordinate system");
    private static readonly CodedValue OneBased = new(Coding.LoincCode("LA30102-0", "1-based character counting"));

    /// <summary>
    /// The finding for ALT allele <paramref name="allele"/> (1-based) of the record on CHROM and its NC_ accession (null
    /// when the build does not name its sequence), or null with why it cannot be
    /// one (breakend, spanning deletion, an unknown symbolic allele, REF/ALT that are not bases).
    /// </summary>
    private PendingVariant? BuildVariant(
        VcfRecord record, int sample, (string Name, string? Accession) chromosome, GenomeBuild? build, int allele,
        VcfReportablePolicy policy, VcfAnnotationReader annotations, out string? why)
    {
        why = null;
        var accession = chromosome.Accession;
        var alt = record.AltAllele(allele - 1);
        var reference = record.Ref;
        if (alt.SequenceEqual("*"u8))
        {
            why = "ALT '*' is a deletion reported at another position, not a variant of its own";
            return null;
        }

        if (alt.IndexOfAny("[]"u8) >= 0 || (alt.Length > 1 && (alt[0] == (byte)'.' || alt[^1] == (byte)'.')))
        {
            why = "breakend ALT alleles are not written as Variant observations";
            return null;
        }

        // "chr1" and "1" in one file are one chromosome: one key, one resource id.
        var keyChromosome = RefSeqChromosomes.Normalise(chromosome.Name);
        var components = new List<ReportComponent>(20);
        var isSymbolic = alt.Length > 2 && alt[0] == (byte)'<' && alt[^1] == (byte)'>';
        long position, end;
        string key;
        KnownVariantQuery? query = null;
        if (isSymbolic)
        {
            if (StructuralType(record, alt) is not { } sv)
            {
                why = "the symbolic ALT allele is not one of <DEL>, <DUP>, <INV>, <INS>, <CNV>";
                return null;
            }

            if (record.InfoInteger("END"u8) is { } stated && stated < record.Position)
            {
                why = "INFO END is before POS: the structural variant's extent is unknown";
                return null;
            }

            position = record.Position;
            end = StructuralEnd(record, sv.Type, allele);
            key = string.Create(CultureInfo.InvariantCulture, $"{build?.Name ?? "unknown"}:{keyChromosome}:{position}:{Text(reference)}:<{sv.Type}>:{end}");
            AddLocation(components, accession);
            AddStructural(components, record, sample, sv, position, end);
            if (VcfAlleles.IsSequence(reference)) components.Add(new(Coding.LoincCode("69547-8", "Genomic ref allele [ID]"), new TextValue(Text(reference).ToUpperInvariant())));
        }
        else
        {
            if (!VcfAlleles.IsSequence(reference) || !VcfAlleles.IsSequence(alt))
            {
                why = "REF or ALT is not a sequence of A, C, G, T, N";
                return null;
            }

            var normalised = VcfAlleles.Normalise(record.Position, Text(reference), Text(alt));
            (position, end) = (normalised.Position, normalised.End);
            key = string.Create(CultureInfo.InvariantCulture, $"{build?.Name ?? "unknown"}:{keyChromosome}:{normalised.Position}:{normalised.Ref}:{normalised.Alt}");
            AddLocation(components, accession);
            components.Add(new(Coding.LoincCode("81254-5", "Genomic allele start-end"), new RangeValue(normalised.Position, normalised.End)));
            components.Add(new(Coding.LoincCode("69547-8", "Genomic ref allele [ID]"), new TextValue(normalised.Ref)));
            components.Add(new(Coding.LoincCode("69551-0", "Genomic alt allele [ID]"), new TextValue(normalised.Alt)));
            if (accession is not null)
                components.Add(new(Coding.LoincCode("81290-9", "Genomic DNA change (gHGVS)"), new CodedValue(new Coding(Coding.Hgvs, VcfAlleles.GenomicHgvs(accession, normalised)))));
            var (so, display) = VcfAlleles.ChangeType(normalised);
            components.Add(new(Coding.LoincCode("48019-4", "DNA change type"), new CodedValue(new Coding(Coding.SequenceOntology, so, display))));
            if (build is not null && accession is not null) query = new KnownVariantQuery(build.Name, accession, normalised.Position, normalised.Ref, normalised.Alt, null);
        }

        var transcripts = annotations.Read(record, alt);
        var representative = TranscriptAnnotation.Representative(transcripts);
        var gene = string.IsNullOrWhiteSpace(representative?.Gene) ? null : representative.Gene;
        if (query is not null) query = query with { Gene = gene };
        else if (gene is not null && build is not null && accession is not null) query = new KnownVariantQuery(build.Name, accession, position, Text(reference), Text(alt), gene);
        AddAnnotation(components, gene, representative?.CodingHgvs is not null || representative?.ProteinHgvs is not null ? representative : null);
        AddVariationCodes(components, record.Id);
        AddSampleFacts(components, record, sample, (build, chromosome.Name, position), allele, policy);

        var (phaseSet, orientation) = Phase(record, sample, chromosome.Name, allele, policy);
        var finding = new VariantFinding(key, VariantAssessment.Present, components, Structural: isSymbolic);
        return new PendingVariant(finding, query, phaseSet, orientation, position, Consequences(key, transcripts));
    }

    /// <summary>
    /// One MolecularConsequence per transcript the allele lies in, as the caller annotated it (snpEff/VEP list a
    /// transcript once per consequence: their terms are merged). Transcripts the variant only lies near
    /// (upstream/downstream gene, intergenic) are not consequences for it. The Variant's own gene, transcript and
    /// HGVS come from one of them, <see cref="TranscriptAnnotation.Representative"/>.
    /// </summary>
    private static List<MolecularConsequenceFinding> Consequences(string variantKey, List<TranscriptAnnotation> transcripts)
    {
        var result = new List<MolecularConsequenceFinding>();
        var byTranscript = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var annotation in transcripts)
        {
            if (annotation.Transcript is not { Length: > 0 } transcript) continue;
            var terms = SequenceOntologyConsequences.Parse(annotation.Consequence);
            if (terms.Count > 0 && terms.TrueForAll(t => SequenceOntologyConsequences.IsOutsideTranscript(t.Text))) continue;
            if (terms.Count == 0 && annotation.CodingHgvs is null) continue;
            if (byTranscript.TryGetValue(transcript, out var index))
            {
                var known = result[index];
                var merged = known.FeatureConsequences.Concat(terms).DistinctBy(t => t.Text, StringComparer.Ordinal).ToList();
                result[index] = known with { FeatureConsequences = merged };
                continue;
            }

            byTranscript[transcript] = result.Count;
            var system = transcript.StartsWith("ENST", StringComparison.Ordinal) ? Ensembl : Coding.RefSeq;
            result.Add(new MolecularConsequenceFinding(
                $"{variantKey}|{transcript}",
                variantKey,
                new CodedValue(new Coding(system, transcript)),
                annotation.CodingHgvs is { Length: > 0 } c ? new CodedValue([], c) : null,
                annotation.ProteinHgvs is { Length: > 0 } p ? new CodedValue([], p) : null,
                terms));
        }

        return result;
    }

    private static void AddLocation(List<ReportComponent> components, string? accession)
    {
        // Never the file's own "chr1": without a build there is no accession to name.
        if (accession is not null) components.Add(new(Coding.LoincCode("48013-7", "Genomic reference sequence ID"), new CodedValue(new Coding(Coding.RefSeq, accession))));
        components.Add(new(CoordinateSystem, OneBased));
    }

    private static void AddAnnotation(List<ReportComponent> components, string? gene, TranscriptAnnotation? annotation)
    {
        if (gene is not null) components.Add(new(Coding.LoincCode("48018-6", "Gene studied [ID]"), new CodedValue([], gene)));
        if (annotation is null) return;
        if (annotation.Transcript is { Length: > 0 } transcript)
        {
            var system = transcript.StartsWith("ENST", StringComparison.Ordinal) ? Ensembl : Coding.RefSeq;
            components.Add(new(Coding.LoincCode("51958-7", "Transcript reference sequence [ID]"), new CodedValue(new Coding(system, transcript))));
        }

        // As annotated: a bare change takes the transcript above as its reference sequence when the report is built.
        if (annotation.CodingHgvs is { Length: > 0 } c)
            components.Add(new(Coding.LoincCode("48004-6", "DNA change (c.HGVS)"), new TextValue(c)));
        if (annotation.ProteinHgvs is { Length: > 0 } p)
            components.Add(new(Coding.LoincCode("48005-3", "Amino acid change (pHGVS)"), new TextValue(p)));
    }

    /// <summary>ID: rs numbers are dbSNP, COSV/COSM are COSMIC; anything else is kept as text.</summary>
    private static void AddVariationCodes(List<ReportComponent> components, ReadOnlySpan<byte> ids)
    {
        if (ids.IsEmpty || ids.SequenceEqual("."u8)) return;
        foreach (var id in Text(ids).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var value = id.StartsWith("rs", StringComparison.Ordinal) && id.Length > 2 && id[2..].All(char.IsAsciiDigit)
                ? new CodedValue(new Coding(Coding.DbSnp, id))
                : id.StartsWith("COS", StringComparison.Ordinal)
                    ? new CodedValue(new Coding("http://cancer.sanger.ac.uk/cancergenome/projects/cosmic", id))
                    : new CodedValue([], id);
            components.Add(new(Coding.LoincCode("81252-9", "Discrete genetic variant"), value));
        }
    }

    /// <summary>Genomic source class, allelic state (germline only), allele frequency and depth for the sample.</summary>
    private void AddSampleFacts(
        List<ReportComponent> components, VcfRecord record, int sample, (GenomeBuild? Build, string Chromosome, long Position) locus, int allele, VcfReportablePolicy policy)
    {
        if (SourceClass(policy.SourceClass) is { } source) components.Add(new(Coding.LoincCode("48002-0", "Genomic source class [Type]"), source));

        var readDepth = SampleNumber(record, sample, "AD"u8, allele);
        var depth = SampleNumber(record, sample, "DP"u8, 0) ?? SumOf(record, sample, "AD"u8);
        var frequency = SampleNumber(record, sample, "AF"u8, allele - 1) ?? SampleNumber(record, sample, "VAF"u8, allele - 1)
            ?? (readDepth is { } ad && depth is > 0 ? Math.Round(ad / depth.Value, 4) : null);

        if (policy.IsGermline && AllelicState(locus, allele, policy, readDepth, depth) is { } state)
            components.Add(new(Coding.LoincCode("53034-5", "Allelic state"), state));
        if (frequency is { } f && f is >= 0 and <= 1)
            components.Add(new(Coding.LoincCode("81258-6", "Sample variant allelic frequency [NFr]"), new QuantityValue(f, "relative frequency", Coding.Ucum, "1")));
        if (readDepth is { } reads)
            components.Add(new(Coding.LoincCode("82121-5", "Allelic read depth"), new QuantityValue(reads, "reads", Coding.Ucum, "1")));
    }

    private static CodedValue? SourceClass(string sourceClass) => sourceClass.Trim().ToUpperInvariant() switch
    {
        "GERMLINE" => new CodedValue(Coding.LoincCode("LA6683-2", "Germline")),
        "SOMATIC" => new CodedValue(Coding.LoincCode("LA6684-0", "Somatic")),
        "UNKNOWN" => new CodedValue(Coding.LoincCode("LA18197-6", "Unknown genomic origin")),
        _ => null,
    };

    /// <summary>
    /// vcf2fhir's rules: chrM by AD/DP (homoplasmic above the ratio, its Manual's "> 99%"); haploid hemizygous; else homo/heterozygous,
    /// except that a male's homozygous call on X or Y outside the pseudo-autosomal regions is hemizygous (many callers
    /// write every call diploid; a male has one copy there).
    /// </summary>
    private CodedValue? AllelicState((GenomeBuild? Build, string Chromosome, long Position) locus, int allele, VcfReportablePolicy policy, decimal? readDepth, decimal? depth)
    {
        if (RefSeqChromosomes.IsMitochondrial(locus.Chromosome))
        {
            if (readDepth is not { } ad || depth is not > 0) return null;
            return ad / depth.Value > _options.HomoplasmicRatio
                ? new CodedValue(Coding.LoincCode("LA6704-6", "Homoplasmic"))
                : new CodedValue(Coding.LoincCode("LA6703-8", "Heteroplasmic"));
        }

        if (policy.Ploidy == 1) return new CodedValue(Coding.LoincCode("LA6707-9", "Hemizygous"));
        for (var i = 0; i < policy.Ploidy; i++)
        {
            // A male's 0/1 off the PARs stays heterozygous as called: it questions the call or the stated sex, not ours to settle.
            if (policy.Alleles[i] != allele) return new CodedValue(Coding.LoincCode("LA6706-1", "Heterozygous"));
        }

        if (_options.SampleSex == SampleSex.Male && RefSeqChromosomes.IsSexChromosome(locus.Chromosome)
            && !RefSeqChromosomes.IsPseudoautosomal(locus.Build, locus.Chromosome, locus.Position))
        {
            return new CodedValue(Coding.LoincCode("LA6707-9", "Hemizygous"));
        }

        return new CodedValue(Coding.LoincCode("LA6705-3", "Homozygous"));
    }

    /// <summary>
    /// The phase set and which haplotype carries the ALT, for a phased heterozygous diploid call. A phase set is one
    /// chromosome's (VCF 4.2 to 4.5, FORMAT PS: "phased genotypes ... on the same chromosome and have the same PS value are
    /// in the same phased set"); a phased call with no PS value belongs to the chromosome's one set of such calls ("all
    /// phased genotypes that do not contain a PS subfield are assumed to belong to the same phased set"). A PS that is no
    /// integer names no set the spec defines: no phase is claimed for it.
    /// </summary>
    private static (string? PhaseSet, int Orientation) Phase(VcfRecord record, int sample, string chromosome, int allele, VcfReportablePolicy policy)
    {
        if (policy.Ploidy != 2 || !policy.Phased[1]) return (null, -1);
        var (first, second) = (policy.Alleles[0], policy.Alleles[1]);
        if (first == second) return (null, -1);
        var ps = record.SampleValue(sample, record.FormatIndex("PS"u8));
        string set;
        if (ps.IsEmpty || ps.SequenceEqual("."u8)) set = "no PS";
        else if (Utf8Parser.TryParse(ps, out long number, out var used) && used == ps.Length) set = number.ToString(CultureInfo.InvariantCulture);
        else return (null, -1);
        return ($"{RefSeqChromosomes.Normalise(chromosome)}:{set}", first == allele ? 0 : second == allele ? 1 : -1);
    }

    private static decimal? SampleNumber(VcfRecord record, int sample, ReadOnlySpan<byte> key, int index)
    {
        var value = VcfRecord.Nth(record.SampleValue(sample, record.FormatIndex(key)), (byte)',', index);
        return !value.IsEmpty && Utf8Parser.TryParse(value, out decimal number, out var used, 'G') && used == value.Length ? number : null;
    }

    private static decimal? SumOf(VcfRecord record, int sample, ReadOnlySpan<byte> key)
    {
        var list = record.SampleValue(sample, record.FormatIndex(key));
        if (list.IsEmpty) return null;
        decimal total = 0;
        for (var i = 0; ; i++)
        {
            var item = VcfRecord.Nth(list, (byte)',', i);
            if (item.IsEmpty) return i == 0 ? null : total;
            if (!Utf8Parser.TryParse(item, out decimal n, out var used) || used != item.Length) return null;
            total += n;
        }
    }
}
