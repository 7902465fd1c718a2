using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Formats.Fhir;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Testing.Fuzzing;

namespace PrecisionMed.Core.Tests.Formats.Fhir;

/// <summary>
/// Fixed-seed fuzzing of the FHIR front door: whatever bytes a lab sends, detection answers and
/// reading either succeeds or throws <see cref="LabFileRejectedException"/>, never anything else.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class FhirBundleFuzzTests
{
    private static readonly int Cases = FuzzCases.Of(600);

    private static readonly HashSet<string> KeysTheCodeReads =
        ["resourceType", "type", "entry", "resource", "request", "fullUrl", "id", "identifier", "system", "value", "reference", "meta", "versionId", "contained"];

    private static readonly string[] CompressedInputs =
    [
        "vcf/edge/htslib_modhdr.vcf.gz",
        "vcf/edge/vcfvalidator_passed_compressed_plain_gzip.vcf.gz",
        "vcf/edge/vcfvalidator_multiblock_bgzf.vcf.gz",
    ];

    [Fact]
    public async Task ReadAsync_MutatedIgExamples_OnlyRejectionsEscape()
    {
        var random = new Random(1234);
        var inputs = TestFiles.IgExampleNames.Select(TestFiles.IgExample).ToList();
        var provenance = new ReportProvenance("lab-fuzz", "incoming/lab-fuzz/f.json", "00", "f.json", 0, 1, DateTimeOffset.UnixEpoch, "0");
        var (read, rejected) = (0, 0);

        for (var i = 0; i < Cases; i++)
        {
            var bytes = Mutate(inputs[random.Next(inputs.Count)], random);
            var detected = FormatDetector.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, FormatDetector.HeadLength)));
            Assert.Equal(LabFileCompression.None, detected.Compression);

            try
            {
                var bundle = await FhirBundleReaderTests.ReadAsync(bytes);
                read++;

                // What reads must also split and build.
                foreach (var unit in FhirReportSplitter.Split(bundle))
                    Assert.NotEmpty(ReportTransactionBuilder.Build(bundle, unit, provenance).Bundles);
            }
            catch (LabFileRejectedException ex)
            {
                rejected++;
                Assert.False(string.IsNullOrWhiteSpace(ex.Problem.Reason));
            }
            catch (Exception ex)
            {
                Assert.Fail($"Case {i}: {ex.GetType().Name} escaped: {ex}");
            }
        }

        // The mutations must exercise both paths, or the test proves little.
        Assert.True(read > Cases / 10, $"only {read} of {Cases} mutated bundles still read");
        Assert.True(rejected > Cases / 10, $"only {rejected} of {Cases} mutated bundles were rejected");
    }

    [Fact]
    public async Task ReadAsync_TypeConfusedIgExamples_OnlyRejectionsEscape()
    {
        // Byte flips rarely keep JSON valid while changing a value's kind; this does it on purpose:
        // a string where an object belongs, a number for a reference, an array for an identifier.
        var random = new Random(1234);
        var inputs = TestFiles.IgExampleNames.Select(TestFiles.IgExample).ToList();
        var provenance = new ReportProvenance("lab-fuzz", "incoming/lab-fuzz/f.json", "00", "f.json", 0, 1, DateTimeOffset.UnixEpoch, "0");
        JsonNode?[] replacements = [null, 7, "x", true, new JsonObject(), new JsonArray(), new JsonObject { ["reference"] = 1 }, new JsonArray(1, "a")];

        for (var i = 0; i < Cases; i++)
        {
            var root = JsonNode.Parse(inputs[random.Next(inputs.Count)])!;
            var nodes = new List<(JsonNode Parent, object Key)>();
            Collect(root, nodes);
            var keyed = nodes.Where(n => n.Key is string name && KeysTheCodeReads.Contains(name)).ToList();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                // Mostly the members the reader, splitter and builder look at; sometimes anything.
                var (parent, key) = random.Next(4) > 0 ? keyed[random.Next(keyed.Count)] : nodes[random.Next(nodes.Count)];
                var replacement = replacements[random.Next(replacements.Length)]?.DeepClone();
                if (key is string name) parent.AsObject()[name] = replacement;
                else parent.AsArray()[(int)key] = replacement;
            }

            try
            {
                var bundle = await FhirBundleReaderTests.ReadAsync(Encoding.UTF8.GetBytes(root.ToJsonString()));
                foreach (var unit in FhirReportSplitter.Split(bundle))
                    Assert.NotEmpty(ReportTransactionBuilder.Build(bundle, unit, provenance).Bundles);
            }
            catch (LabFileRejectedException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"Case {i}: {ex.GetType().Name} escaped: {ex}");
            }
        }
    }

    [Fact]
    public void Detect_MutatedCompressedAndPlainInputs_NeverThrows()
    {
        var random = new Random(1234);
        var inputs = CompressedInputs.Select(TestFiles.Read)
            .Append(TestFiles.Read("hl7v2/general-lab/msft_LAB-ORU-1.hl7"))
            .Append(TestFiles.Read("vcf/vcf2fhir/vcf_example1.vcf"))
            .ToList();

        for (var i = 0; i < Cases; i++)
        {
            var bytes = Mutate(inputs[random.Next(inputs.Count)], random, headerBias: true);
            var detected = FormatDetector.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, FormatDetector.HeadLength)));
            Assert.True(Enum.IsDefined(detected.Format));
        }
    }

    private static void Collect(JsonNode node, List<(JsonNode Parent, object Key)> nodes)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    nodes.Add((obj, name));
                    if (child is not null) Collect(child, nodes);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    nodes.Add((array, i));
                    if (array[i] is { } child) Collect(child, nodes);
                }

                break;
        }
    }

    private static byte[] Mutate(byte[] original, Random random, bool headerBias = false)
    {
        var bytes = new List<byte>(original);
        var mutations = random.Next(1, 5);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            // Half the time aim at the first bytes, where the headers and the structure start.
            var position = headerBias && random.Next(2) == 0 ? random.Next(Math.Min(bytes.Count, 32)) : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveRange(position, Math.Min(random.Next(1, 16), bytes.Count - position));
                    break;
                case 2:
                    bytes.Insert(position, (byte)random.Next(256));
                    break;
                case 3:
                    bytes.Insert(position, "{}[]\",:\\"u8[random.Next(8)]);
                    break;
                default:
                    bytes.RemoveRange(position, bytes.Count - position);
                    break;
            }
        }

        return [.. bytes];
    }
}
