using PrecisionMed.Core.Formats.Vcf;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>
/// The annotation a Variant's gene, transcript and HGVS are written from: one annotation, chosen by VEP's flags, on
/// bcftools' split-vep.gene-list.vcf (tests/TestData/zoo, provenance in its README).
/// </summary>
[Trait("Tier", "Fast")]
public sealed class VcfRepresentativeAnnotationTests
{
    [Fact]
    public async Task Representative_VepCsqOfARealFile_GeneTranscriptAndHgvsFromOneAnnotation()
    {
        var chosen = await RepresentativesAsync("zoo/bcftools_split-vep.gene-list.vcf");

        // 1:1000 flags nothing: the first entry with an HGVS.
        Assert.Equal(("RNF13", "ENST00000344229.7", "ENST00000344229.7:c.92C>T"), chosen[1000]);
        // 1:2000: DMPK comes first but lies upstream (no HGVS); SIX5 is the MANE Select transcript the variant changes.
        Assert.Equal(("SIX5", "ENST00000317578.7", "ENST00000317578.7:c.14C>T"), chosen[2000]);
        // 1:3000: the canonical lncRNA names no gene; LZTR1's gene is not lent to it.
        Assert.Equal((null, "ENST00000479606.5", "ENST00000479606.5:n.1295+1G>T"), chosen[3000]);
        Assert.Equal(("DNASE1L1", "ENST00000014935.7", "ENST00000014935.7:c.525+1G>C"), chosen[4000]);
    }

    [Fact]
    public void Representative_PickedBeforeManeBeforeCanonicalBeforeOrder()
    {
        var first = new TranscriptAnnotation("A", "T1", "T1:c.1A>G", null, null);
        var canonical = new TranscriptAnnotation("B", "T2", "T2:c.1A>G", null, null) { Flags = TranscriptFlags.Canonical };
        var mane = new TranscriptAnnotation("C", "T3", "T3:c.1A>G", null, null) { Flags = TranscriptFlags.ManeSelect };
        var picked = new TranscriptAnnotation("D", "T4", "T4:c.1A>G", null, null) { Flags = TranscriptFlags.Picked };
        var pickedWithoutHgvs = new TranscriptAnnotation("E", "T5", null, null, null) { Flags = TranscriptFlags.Picked };

        Assert.Same(picked, TranscriptAnnotation.Representative([first, canonical, mane, picked, pickedWithoutHgvs]));
        Assert.Same(mane, TranscriptAnnotation.Representative([first, canonical, mane]));
        Assert.Same(canonical, TranscriptAnnotation.Representative([first, canonical]));
        Assert.Same(first, TranscriptAnnotation.Representative([pickedWithoutHgvs, first]));
        Assert.Same(pickedWithoutHgvs, TranscriptAnnotation.Representative([new TranscriptAnnotation(null, "T6", null, null, null), pickedWithoutHgvs]));
        Assert.Null(TranscriptAnnotation.Representative([]));
    }

    private static async Task<Dictionary<long, (string? Gene, string? Transcript, string? Hgvs)>> RepresentativesAsync(string file)
    {
        await using var stream = File.OpenRead(TestFiles.PathOf(file));
        var reader = await VcfReader.OpenAsync(stream, TestContext.Current.CancellationToken);
        var annotations = new VcfAnnotationReader(reader.Header);
        var result = new Dictionary<long, (string?, string?, string?)>();
        while (reader.Read())
        {
            var record = reader.Current;
            var chosen = TranscriptAnnotation.Representative(annotations.Read(record, record.AltAllele(0)));
            result[record.Position] = (chosen?.Gene, chosen?.Transcript, chosen?.CodingHgvs);
        }

        return result;
    }
}
