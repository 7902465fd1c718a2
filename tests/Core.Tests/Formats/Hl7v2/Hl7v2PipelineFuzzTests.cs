using System.Diagnostics;
using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;
using PrecisionMed.Testing.Fuzzing;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>
/// Fixed-seed fuzzing of the whole HL7 v2 path a lab file takes (detect, split, parse, map, build FHIR):
/// every mutated file is either ingested, unit by unit, or rejected with a positioned
/// <see cref="LabFileRejectedException"/>; no other exception escapes.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2PipelineFuzzTests
{
    private static readonly int Cases = FuzzCases.Of(10_000);

    private static readonly DateTimeOffset ReceivedAt = new(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task PlanAndBuild_MutatedCorpusAndAuthoredMessages_OnlyPositionedRejectionsEscape()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var random = new Random(3);
        var inputs = Inputs();
        var intake = new LabFileIntake([new Hl7v2Format()]);
        var (filesIngested, filesRejected, unitsIngested, unitsRejected, resources) = (0, 0, 0, 0, 0L);
        var stopwatch = Stopwatch.StartNew();

        for (var i = 0; i < Cases; i++)
        {
            var bytes = Mutate(inputs[random.Next(inputs.Count)], random);
            OpenLabFile open = _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
            try
            {
                var plan = await intake.PlanAsync(open, cancellationToken);
                var rejectedUnits = 0;
                for (var unit = 0; unit < plan.UnitCount; unit++)
                {
                    var provenance = new ReportProvenance("lab-a", "incoming/lab-a/fuzz.hl7", plan.ContentHash, "fuzz.hl7",
                        unit, plan.UnitCount, ReceivedAt, "fuzz");
                    try
                    {
                        var transaction = await intake.BuildUnitAsync(open, provenance, cancellationToken);
                        Assert.NotEmpty(transaction.Bundles);
                        resources += transaction.ResourceCount;
                        unitsIngested++;
                    }
                    catch (LabFileRejectedException ex)
                    {
                        AssertPositioned(i, ex);
                        unitsRejected++;
                        rejectedUnits++;
                    }
                }

                if (rejectedUnits == plan.UnitCount) filesRejected++;
                else filesIngested++;
            }
            catch (LabFileRejectedException ex)
            {
                AssertPositioned(i, ex);
                filesRejected++;
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException and not OperationCanceledException)
            {
                Assert.Fail($"Case {i}: {ex.GetType().Name} escaped the pipeline: {ex}");
            }
        }

        var summary = $"{Cases} mutated files in {stopwatch.Elapsed.TotalSeconds:F1} s: {filesIngested} ingested (at least one unit), "
            + $"{filesRejected} rejected; units: {unitsIngested} ingested ({resources} resources), {unitsRejected} rejected";
        TestContext.Current.SendDiagnosticMessage(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);

        // Both outcomes must be frequent, or the mutations prove little.
        Assert.True(unitsIngested > Cases / 10, summary);
        Assert.True(filesRejected > Cases / 10, summary);
    }

    [Fact]
    public void Map_ObservationDateShorterThanAYear_IsNoDateRatherThanAnException()
    {
        // Found by the fuzz (case 421 of seed 3): OBX-14 "20" threw ArgumentOutOfRangeException.
        var text = string.Join('\r', Header, "PID|1||MRN-1^^^HOSP^MR", "OBR|1|PL-1|FL-1|24331-1^Lipid panel^LN",
            "OBX|1|NM|2093-3^Cholesterol^LN||185|mg/dL|||||F|||20");

        var report = Hl7v2ReportMapper.Map(Parse(text), "lab-a");

        Assert.Null(Assert.Single(report.LabResults).Effective);
    }

    [Fact]
    public void Map_ComplexVariantWhoseMembersAreInDifferentGenes_GivesAGenotypeWithoutAGene()
    {
        // Found by the fuzz (case 2868 of seed 3): members in two genes threw from SingleOrDefault.
        var text = string.Join('\r', Header, "PID|1||MRN-1^^^HOSP^MR", "OBR|1|PL-1|FL-1|81247-9^Genetic panel^LN",
            "OBX|1|CWE|81260-2^Complex variant ID^LN|5a|RCV000000001^Example^ClinVar||||||F",
            "OBX|2|CWE|48018-6^Gene studied^LN|5a.1|HGNC:1100^BRCA1^HGNC||||||F",
            "OBX|3|CWE|48004-6^DNA change (c.HGVS)^LN|5a.1|NM_007294.4:c.68_69del^^HGVS||||||F",
            "OBX|4|CWE|48018-6^Gene studied^LN|5a.2|HGNC:11998^TP53^HGNC||||||F",
            "OBX|5|CWE|48004-6^DNA change (c.HGVS)^LN|5a.2|NM_000546.6:c.215C>G^^HGVS||||||F");

        var report = Hl7v2ReportMapper.Map(Parse(text), "lab-a");

        var genotype = Assert.Single(report.Genotypes);
        Assert.Empty(genotype.Genes);
        Assert.Equal(["5a.1", "5a.2"], genotype.DerivedFromKeys);
    }

    /// <summary>Every corpus copy and authored message; OBX-only fragments also wrapped in a header so their rows get mapped.</summary>
    private static List<byte[]> Inputs()
    {
        var files = CorpusFiles().Concat(Hl7v2ReportMapperCorpusTests.AuthoredFiles(".hl7"))
            .Where(f => Path.GetExtension(f) is ".hl7" or ".txt")
            .Select(Corpus)
            .ToList();
        var wrapped = files.Where(f => f.AsSpan().StartsWith("OBX"u8))
            .Select(f => (byte[])[.. Bytes(Header + "\nPID|1||X^^^HOSP^MR\nOBR|1|PL-1|FL-1\n"), .. f]);
        return [.. files, .. wrapped];
    }

    private static void AssertPositioned(int i, LabFileRejectedException ex)
    {
        Assert.False(string.IsNullOrWhiteSpace(ex.Problem.Reason), $"case {i}: empty reason");
        Assert.True(ex.Problem.Position != SourcePosition.None && ex.Problem.Position.ToString() != "(whole file)",
            $"case {i}: rejection without a position: {ex.Problem.Reason}");
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var position = random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0:
                    bytes[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(position, (byte)random.Next(256));
                    break;
                case 2:
                    bytes.RemoveRange(position, Math.Min(random.Next(1, 16), bytes.Count - position));
                    break;
                case 3:
                    bytes.RemoveRange(position, bytes.Count - position);
                    break;
                case 4:
                    DuplicateSegment(bytes, random);
                    break;
                case 5:
                    DropSegment(bytes, random);
                    break;
                default:
                    SwapInsideObx(bytes, random);
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>(start, length including the terminator) of every segment.</summary>
    private static List<(int Start, int Length)> Segments(List<byte> bytes)
    {
        var segments = new List<(int, int)>();
        var start = 0;
        for (var i = 0; i < bytes.Count; i++)
        {
            if (bytes[i] is not ((byte)'\r' or (byte)'\n')) continue;
            if (i + 1 < bytes.Count && bytes[i] == '\r' && bytes[i + 1] == '\n') i++;
            segments.Add((start, i + 1 - start));
            start = i + 1;
        }

        if (start < bytes.Count) segments.Add((start, bytes.Count - start));
        return segments;
    }

    private static void DuplicateSegment(List<byte> bytes, Random random)
    {
        var segments = Segments(bytes);
        var (start, length) = segments[random.Next(segments.Count)];
        var copy = bytes.GetRange(start, length);
        var target = segments[random.Next(segments.Count)].Start;
        bytes.InsertRange(target, copy);
    }

    private static void DropSegment(List<byte> bytes, Random random)
    {
        var segments = Segments(bytes);
        var (start, length) = segments[random.Next(segments.Count)];
        bytes.RemoveRange(start, length);
    }

    /// <summary>Inside one OBX: swap two fields, or turn a field separator into a component/repetition one (or back).</summary>
    private static void SwapInsideObx(List<byte> bytes, Random random)
    {
        var obx = Segments(bytes).Where(s => s.Length > 3 && bytes[s.Start] == 'O' && bytes[s.Start + 1] == 'B' && bytes[s.Start + 2] == 'X').ToList();
        if (obx.Count == 0) return;
        var (start, length) = obx[random.Next(obx.Count)];
        var bars = Enumerable.Range(start, length).Where(i => bytes[i] == '|').ToList();
        if (bars.Count < 3) return;

        if (random.Next(2) == 0)
        {
            bytes[bars[random.Next(bars.Count)]] = (byte)"^~&"[random.Next(3)];
            return;
        }

        var end = start + length;
        while (end > start && bytes[end - 1] is (byte)'\r' or (byte)'\n') end--;
        var a = random.Next(bars.Count - 1);
        var b = random.Next(a + 1, bars.Count);
        var fieldA = bytes.GetRange(bars[a] + 1, bars[a + 1] - bars[a] - 1);
        var fieldBEnd = b + 1 < bars.Count ? bars[b + 1] : end;
        var fieldB = bytes.GetRange(bars[b] + 1, fieldBEnd - bars[b] - 1);
        bytes.RemoveRange(bars[b] + 1, fieldB.Count);
        bytes.InsertRange(bars[b] + 1, fieldA);
        bytes.RemoveRange(bars[a] + 1, fieldA.Count);
        bytes.InsertRange(bars[a] + 1, fieldB);
    }
}
