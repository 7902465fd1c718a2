
namespace PrecisionMed.Core.LabReports;

/// <summary>
/// Gives every HGVS component of a report its reference sequence, whatever format the report came from: a bare
/// c./n. change takes the transcript (51958-7) of the same variant (one HL7 v2 OBX-4 group, one annotation), a bare
/// p. change the protein sequence beside it, a bare g. change the genomic sequence (48013-7) or the RefSeq NC_ accession
/// of the variant's chromosome in the report's build. A change whose reference sequence is unknown, or a value that is
/// no HGVS expression at all (a SPDI, free text), names no variant as HGVS: it is never written as an HGVS code, and
/// since the IG's HGVS components take only HGVS codes (a required binding), its text is kept in the finding's notes
/// (Observation.note). Expressions that already name their reference sequence are kept exactly as written.
/// </summary>
public static class HgvsCompletion
{
    private const string TranscriptCode = "51958-7";
    private const string GenomicReferenceCode = "48013-7";
    private const string ChromosomeCode = "48000-4";
    private const string BuildCode = "62374-4";
    private const string ProteinReferenceCode = "protein-ref-seq";

    /// <summary>The report with its HGVS components completed and counted in <see cref="LabReport.Hgvs"/>; a completed report as it is.</summary>
    public static LabReport Complete(LabReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Hgvs is not null) return report;
        var counts = new int[3];
        var variants = new VariantFinding[report.Variants.Count];
        for (var i = 0; i < variants.Length; i++) variants[i] = CompleteVariant(report.Variants[i], report.GenomeBuild, counts);
        var consequences = new MolecularConsequenceFinding[report.MolecularConsequences.Count];
        for (var i = 0; i < consequences.Length; i++) consequences[i] = CompleteConsequence(report.MolecularConsequences[i], counts);
        var genotypes = new GenotypeFinding[report.Genotypes.Count];
        for (var i = 0; i < genotypes.Length; i++) genotypes[i] = report.Genotypes[i] with { Value = OnlyCompleteHgvs(report.Genotypes[i].Value) };
        return report with
        {
            Variants = variants,
            MolecularConsequences = consequences,
            Genotypes = genotypes,
            Hgvs = new HgvsCounts(counts[0], counts[1], counts[2]),
        };
    }

    /// <summary>One variant with its HGVS components completed (as in <see cref="Complete(LabReport)"/>), uncounted.</summary>
    /// <param name="variant">The variant as reported.</param>
    /// <param name="reportBuild">The report's genome build (LOINC 62374-4 answer), for a bare g. change on a chromosome.</param>
    public static VariantFinding Complete(VariantFinding variant, CodedValue? reportBuild)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return CompleteVariant(variant, reportBuild, new int[3]);
    }

    private static VariantFinding CompleteVariant(VariantFinding variant, CodedValue? reportBuild, int[] counts)
    {
        List<ReportComponent>? completed = null;
        List<string>? notes = null;
        for (var i = 0; i < variant.Components.Count; i++)
        {
            var component = variant.Components[i];
            if (Kinds(component.Code) is not { } kinds)
            {
                // Another component may carry an HGVS coding too (a variation code, 81252-9, sent as c.5266dupC^...^HGVS):
                // only one that names its reference sequence stays an HGVS code; the rest keeps its text.
                if (component.Value is CodedValue coded && OnlyCompleteHgvs(coded) is var kept && !ReferenceEquals(kept, coded))
                {
                    completed ??= [.. variant.Components.Take(i)];
                    completed.Add(component with { Value = kept });
                }
                else
                {
                    completed?.Add(component);
                }

                continue;
            }

            var (value, note) = Complete(component.Value, kinds, kind => ReferenceFor(variant, kind, reportBuild), counts);
            if (ReferenceEquals(value, component.Value))
            {
                completed?.Add(component);
                continue;
            }

            completed ??= [.. variant.Components.Take(i)];
            if (value is not null) completed.Add(component with { Value = value });
            if (note is not null) (notes ??= [.. variant.Notes ?? []]).Add(note);
        }

        return completed is null ? variant : variant with { Components = completed, Notes = notes ?? variant.Notes };
    }

    private static MolecularConsequenceFinding CompleteConsequence(MolecularConsequenceFinding consequence, int[] counts)
    {
        var transcript = consequence.Transcript is null ? null : Identifier(consequence.Transcript);
        var notes = consequence.Notes is null ? new List<string>() : [.. consequence.Notes];
        var (coding, codingNote) = consequence.CodingHgvs is null ? (null, null) : Complete(consequence.CodingHgvs, "cn", _ => transcript, counts);
        var (protein, proteinNote) = consequence.ProteinHgvs is null ? (null, null) : Complete(consequence.ProteinHgvs, "p", _ => null, counts);
        if (codingNote is not null) notes.Add(codingNote);
        if (proteinNote is not null) notes.Add(proteinNote);
        return consequence with
        {
            CodingHgvs = (CodedValue?)coding,
            ProteinHgvs = (CodedValue?)protein,
            Notes = notes.Count > 0 ? notes : consequence.Notes,
        };
    }

    /// <summary>The HGVS kinds a component holds: 48004-6 c. (n. on a non-coding transcript), 48005-3 p., 81290-9 g. (m.).</summary>
    private static string? Kinds(Coding code) => code.System is null or Coding.Loinc
        ? code.Code switch
        {
            "48004-6" => "cn",
            "48005-3" => "p",
            "81290-9" => "gm",
            _ => null,
        }
        : null;

    /// <summary>
    /// The value as an HGVS code on its reference sequence (as sent, or completed), or no value and the note that keeps
    /// its text; counted in <paramref name="counts"/> (as sent, completed, text). The IG binds these components to HGVS
    /// (a required binding), so a value that is no complete HGVS expression cannot stay in the component, even as text.
    /// </summary>
    private static (ReportedValue? Value, string? Note) Complete(ReportedValue value, string kinds, Func<char, string?> reference, int[] counts)
    {
        if (Expression(value) is not { Length: > 0 } expression) return (value, null);
        if (HgvsAccessions.TrySplit(expression, out var accession, out var kind))
        {
            if (kinds.Contains(kind, StringComparison.Ordinal) && HgvsAccessions.Fits(kind, accession))
            {
                counts[0]++;
                return value is CodedValue coded && coded.Codings.Any(c => c.System == Coding.Hgvs && c.Code == expression)
                    ? (value, null)
                    : (new CodedValue([new Coding(Coding.Hgvs, expression)], (value as CodedValue)?.Text), null);
            }
        }

        var bare = HgvsAccessions.BareKind(expression);
        if (kinds.Contains(bare, StringComparison.Ordinal) && reference(bare) is { } found && HgvsAccessions.Fits(bare, found))
        {
            counts[1]++;
            return (new CodedValue(new Coding(Coding.Hgvs, $"{found}:{expression}")), null);
        }

        counts[2]++;
        var label = kinds[0] switch
        {
            'c' => "DNA change (c.HGVS)",
            'p' => "Amino acid change (p.HGVS)",
            _ => "Genomic DNA change (g.HGVS)",
        };
        return (null, bare != '\0'
            ? $"{label} as reported, without its reference sequence (so not coded as HGVS): {expression}"
            : $"{label} as reported, not an HGVS expression on a reference sequence (so not coded as HGVS): {expression}");
    }

    /// <summary>A genotype named by a complex variant's HGVS keeps that coding only when it names its reference sequence.</summary>
    private static CodedValue OnlyCompleteHgvs(CodedValue value)
    {
        if (!value.Codings.Any(c => c.System == Coding.Hgvs && !IsComplete(c.Code))) return value;
        var kept = value.Codings.Where(c => c.System != Coding.Hgvs || IsComplete(c.Code)).ToList();
        var text = value.Text ?? value.Codings.FirstOrDefault(c => c.System == Coding.Hgvs)?.Code;
        return new CodedValue(kept, text);

        static bool IsComplete(string? code) => code is not null && HgvsAccessions.TrySplit(code, out _, out _);
    }

    /// <summary>The expression a lab or annotation wrote: an HGVS code, else any code, else the text.</summary>
    private static string? Expression(ReportedValue value) => value switch
    {
        TextValue text => text.Text.Trim(),
        CodedValue coded => (coded.Codings.FirstOrDefault(c => c.System == Coding.Hgvs && !string.IsNullOrWhiteSpace(c.Code))?.Code
            ?? coded.Codings.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c.Code))?.Code
            ?? coded.Text)?.Trim(),
        _ => null,
    };

    /// <summary>The reference sequence a bare change of <paramref name="kind"/> in this variant is on, or null.</summary>
    private static string? ReferenceFor(VariantFinding variant, char kind, CodedValue? reportBuild)
    {
        switch (kind)
        {
            case 'c' or 'n':
                return Single(variant, TranscriptCode);
            case 'p':
                return Single(variant, ProteinReferenceCode);
            default:
                if (Single(variant, GenomicReferenceCode) is { } genomic) return genomic;
                var build = GenomeBuildOf(Component(variant, BuildCode) as CodedValue ?? reportBuild);
                var chromosome = Component(variant, ChromosomeCode) is { } value ? ChromosomeName(value) : null;
                return build is null || chromosome is null ? null : RefSeqChromosomes.Accession(build, chromosome);
        }
    }

    /// <summary>The one reference sequence of that code in the variant; none when there are several (which one is meant is unknown).</summary>
    private static string? Single(VariantFinding variant, string code)
    {
        string? found = null;
        foreach (var component in variant.Components)
        {
            if (component.Code.Code != code || Identifier(component.Value) is not { } id) continue;
            if (found is not null && found != id) return null;
            found = id;
        }

        return found;
    }

    private static ReportedValue? Component(VariantFinding variant, string code) =>
        variant.Components.FirstOrDefault(c => c.Code.Code == code)?.Value;

    private static string? Identifier(ReportedValue value)
    {
        var id = value switch
        {
            TextValue text => text.Text,
            CodedValue coded => coded.Codings.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c.Code))?.Code ?? coded.Text,
            _ => null,
        };
        return string.IsNullOrWhiteSpace(id) ? null : id.Trim();
    }

    private static GenomeBuild? GenomeBuildOf(CodedValue? build)
    {
        if (build is null) return null;
        foreach (var coding in build.Codings)
        {
            if (coding.Code == GenomeBuild.Grch37.LoincAnswer) return GenomeBuild.Grch37;
            if (coding.Code == GenomeBuild.Grch38.LoincAnswer) return GenomeBuild.Grch38;
        }

        return GenomeBuild.FromName(build.Text ?? (build.Codings.Count > 0 ? build.Codings[0].Display : null));
    }

    /// <summary>"Chromosome 7", "chr7", "7" → "7" (the answer list's display, or the lab's text).</summary>
    private static string? ChromosomeName(ReportedValue value)
    {
        var text = value switch
        {
            TextValue t => t.Text,
            CodedValue c => c.Codings.FirstOrDefault(x => !string.IsNullOrWhiteSpace(x.Display))?.Display ?? c.Text ?? (c.Codings.Count > 0 ? c.Codings[0].Code : null),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (text.StartsWith("Chromosome ", StringComparison.OrdinalIgnoreCase)) text = text["Chromosome ".Length..];
        var name = RefSeqChromosomes.Normalise(text);
        return name.Length is > 0 and <= 2 ? name : null;
    }
}
