using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using static PrecisionMed.Validation.Genomics.GenomicConsistencyRule;

namespace PrecisionMed.Validation.Genomics;

/// <summary>
/// Whether the parts of one Observation that describe a variant agree: the exact start-end with the ref allele's
/// length (in the stated coordinate system), the g. HGVS with the genomic reference sequence, the coordinates and the
/// alleles, the chromosome with its NC_ accession and that accession's version with the stated build, the c. HGVS with
/// the transcript, and a gene named in an HGVS expression with the genes studied. Parts that are absent are not checked.
/// </summary>
internal static partial class VariantAgreement
{
    private const string OneBasedCharacter = "LA30102-0";
    private const string ZeroBasedInterval = "LA30100-4";
    private const string ZeroBasedCharacter = "LA30101-2";

    public static void Check(JsonElement observation, List<ValidationIssue> issues)
    {
        var parts = VariantParts.Read(observation);
        if (parts.Count == 0) return;
        CheckRefLength(parts, issues);
        CheckGenomicReference(parts, issues);
        CheckGenomicHgvs(parts, issues);
        CheckTranscript(parts, issues);
        CheckGene(parts, issues);
    }

    /// <summary>The 1-based first and last position of the exact start-end, or null when the coordinate system is not stated.</summary>
    private static (decimal Start, decimal? End)? OneBased(VariantParts parts)
    {
        if (parts.Low is not { } low) return null;
        return parts.CoordinateSystem switch
        {
            OneBasedCharacter => (low, parts.High),
            ZeroBasedInterval => (low + 1, parts.High),
            ZeroBasedCharacter => (low + 1, parts.High + 1),
            _ => null,
        };
    }

    private static void CheckRefLength(VariantParts parts, List<ValidationIssue> issues)
    {
        if (OneBased(parts) is not ({ } start, { } end) || parts.Ref is not { Length: > 0 } reference || !IsBases(reference)) return;
        if (end - start + 1 != reference.Length)
        {
            issues.Add(Error(parts.Location("81254-5"),
                $"exact start-end {parts.Low}-{parts.High} ({parts.CoordinateSystem}) spans {end - start + 1} bases but the ref allele '{reference}' has {reference.Length}",
                "variant-ref-length"));
        }
    }

    private static void CheckGenomicReference(VariantParts parts, List<ValidationIssue> issues)
    {
        var genomic = HgvsExpression.Parse(parts.GenomicHgvs);
        // A g. change may be on a RefSeqGene (NG_) beside a chromosome reference, or the other way round: only two
        // chromosome accessions can be compared.
        if (genomic is not null && parts.GenomicReference is { } reference && genomic.Accession != reference
            && RefSeqChromosomeTable.Chromosome(genomic.Accession) is not null && RefSeqChromosomeTable.Chromosome(reference) is not null)
        {
            issues.Add(Error(parts.Location("81290-9"),
                $"the g. HGVS '{parts.GenomicHgvs}' is on {genomic.Accession} but the genomic reference sequence is {reference}", "variant-genomic-reference"));
        }

        var accession = new[] { parts.GenomicReference, genomic?.Accession }.FirstOrDefault(a => a is not null && RefSeqChromosomeTable.Chromosome(a) is not null);
        if (accession is null || RefSeqChromosomeTable.Chromosome(accession) is not { } chromosome) return;
        if (RefSeqChromosomeTable.Normalise(parts.Chromosome) is { } stated && stated != chromosome)
        {
            issues.Add(Error(parts.Location("48000-4"),
                $"chromosome '{parts.Chromosome}' is not {accession} (chromosome {chromosome})", "variant-chromosome"));
        }

        if (parts.BuildAnswer is { } build && !RefSeqChromosomeTable.IsOfBuild(build, chromosome, accession) && RefSeqChromosomeTable.Accession(build, chromosome) is { } expected)
        {
            issues.Add(Error(parts.Location(accession == parts.GenomicReference ? "48013-7" : "81290-9"),
                $"{accession} is not chromosome {chromosome} of the stated build ({build}), which is {expected}", "variant-build"));
        }
    }

    /// <summary>A g. substitution, deletion, insertion or delins against the start and the alleles (VCF's anchor base dropped).</summary>
    private static void CheckGenomicHgvs(VariantParts parts, List<ValidationIssue> issues)
    {
        if (HgvsExpression.Parse(parts.GenomicHgvs) is not { Kind: 'g' } genomic) return;
        var match = SimpleChange().Match(genomic.Change);
        if (!match.Success || OneBased(parts) is not { } coordinates) return;
        var first = decimal.Parse(match.Groups["first"].Value, CultureInfo.InvariantCulture);
        decimal? last = match.Groups["last"].Success ? decimal.Parse(match.Groups["last"].Value, CultureInfo.InvariantCulture) : null;
        var change = match.Groups["op"].Value;
        var sequence = match.Groups["seq"].Value;

        var (start, reference, alternate) = (coordinates.Start, parts.Ref, parts.Alt);
        if (reference is { Length: > 0 } r && alternate is { Length: > 0 } a && r.Length != a.Length && r[0] == a[0])
            (start, reference, alternate) = (start + 1, r[1..], a[1..]);

        string? disagreement = change switch
        {
            ">" when first != start => $"starts at {first}, the coordinates at {start}",
            ">" when reference is not null && !string.Equals(reference, match.Groups["from"].Value, StringComparison.OrdinalIgnoreCase) => $"changes '{match.Groups["from"].Value}', the ref allele is '{reference}'",
            ">" when alternate is not null && !string.Equals(alternate, sequence, StringComparison.OrdinalIgnoreCase) => $"gives '{sequence}', the alt allele is '{alternate}'",
            "del" or "delins" when first != start => $"starts at {first}, the coordinates at {start}",
            "del" or "delins" when reference is { Length: > 0 } && (last ?? first) - first + 1 != reference.Length => $"spans {(last ?? first) - first + 1} bases, the ref allele (anchor base dropped) {reference.Length}",
            "delins" when alternate is not null && !string.Equals(alternate, sequence, StringComparison.OrdinalIgnoreCase) => $"inserts '{sequence}', the alt allele (anchor base dropped) is '{alternate}'",
            "ins" when last != first + 1 => "an insertion lies between two neighbouring positions",
            "ins" when reference is { Length: 0 } && last != start => $"inserts before {last}, the coordinates say {start}",
            "ins" when reference is { Length: 0 } && alternate is not null && !string.Equals(alternate, sequence, StringComparison.OrdinalIgnoreCase) => $"inserts '{sequence}', the alt allele (anchor base dropped) is '{alternate}'",
            _ => null,
        };
        if (disagreement is not null)
            issues.Add(Error(parts.Location("81290-9"), $"the g. HGVS '{parts.GenomicHgvs}' {disagreement}", "variant-genomic-hgvs"));
    }

    private static void CheckTranscript(VariantParts parts, List<ValidationIssue> issues)
    {
        if (parts.Transcript is not { } transcript || HgvsExpression.Parse(parts.CodingHgvs) is not { } coding) return;
        var named = coding.Inner is not null && coding.GeneSymbol is null ? coding.Inner : coding.Accession;
        if (SameSequence(named, transcript)) return;

        // Another version of the same transcript (the IG's own oncology example has one) names the same gene region:
        // a warning. Another transcript altogether is an error.
        var message = $"the c. HGVS '{parts.CodingHgvs}' is on {named} but the transcript reference sequence is {transcript}";
        issues.Add(named.Split('.')[0] == transcript.Split('.')[0]
            ? new ValidationIssue(ValidationSeverity.Warning, parts.Location("48004-6"), message + " (another version of it)", "variant-transcript")
            : Error(parts.Location("48004-6"), message, "variant-transcript"));
    }

    private static void CheckGene(VariantParts parts, List<ValidationIssue> issues)
    {
        if (parts.Genes.Count == 0) return;
        foreach (var (code, expression) in new[] { ("48004-6", parts.CodingHgvs), ("48005-3", parts.ProteinHgvs), ("81290-9", parts.GenomicHgvs) })
        {
            if (HgvsExpression.Parse(expression)?.GeneSymbol is { } symbol && !parts.Genes.Contains(symbol, StringComparer.OrdinalIgnoreCase))
            {
                issues.Add(Error(parts.Location(code),
                    $"the HGVS '{expression}' names gene {symbol}, which is not a gene studied ({string.Join(", ", parts.Genes)})", "variant-gene"));
            }
        }
    }

    /// <summary>The same sequence: equal, or equal but for a version only one of them states.</summary>
    private static bool SameSequence(string a, string b)
    {
        if (a == b) return true;
        var (baseA, baseB) = (a.Split('.')[0], b.Split('.')[0]);
        return baseA == baseB && (!a.Contains('.', StringComparison.Ordinal) || !b.Contains('.', StringComparison.Ordinal));
    }

    private static bool IsBases(string allele) => allele.All(c => c is 'A' or 'C' or 'G' or 'T' or 'N' or 'a' or 'c' or 'g' or 't' or 'n');

    [GeneratedRegex(@"^(?<first>\d+)(?:_(?<last>\d+))?(?:(?<from>[ACGTN])(?<op>>)(?<seq>[ACGTN])|(?<op>delins|del|ins)(?<seq>[ACGTN]*))$", RegexOptions.CultureInvariant)]
    private static partial Regex SimpleChange();
}
