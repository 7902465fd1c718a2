using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2.Golden;

/// <summary>
/// Pins the FHIR the whole HL7 v2 path writes (intake plan, then each unit built) for a set of messages: every
/// transaction bundle must equal, byte for byte, TestData/hl7v2/golden/&lt;name&gt;.unit-&lt;n&gt;.json.
/// After an intended change of the output, rewrite them with <c>PMED_UPDATE_GOLDEN=1 dotnet test tests/Core.Tests</c>
/// and review the diff.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2GoldenFileTests
{
    private const string UpdateVariable = "PMED_UPDATE_GOLDEN";

    private static readonly DateTimeOffset ReceivedAt = new(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static TheoryData<string> Messages => new(
        "authored/pgx_cyp2c9_from_pgxexample.hl7",
        "authored/germline_from_cgexample.hl7",
        "authored/somatic_from_oncologyexamples.hl7",
        "authored/somatic_braf_from_oncology_diagnostic.hl7",
        "authored/compound_het_from_compound_heterozygote.hl7",
        "authored/phase_cis_from_sequence_phase_relation.hl7",
        "authored/structural_cnv.hl7",
        "authored/corrected_germline.hl7",
        "authored/pgx_one_group_from_cgexample.hl7",
        "authored/complex_significance_from_cgexample.hl7",
        "authored/batch_three_messages.hl7",
        "authored/wrapped_vcf2hl7v2_expected_NB6TK328.hl7",
        "general-lab/msft_ORU-R01-01.hl7",
        "general-lab/msft_LRI_2.0-NG_CBC_Typ_Message.hl7");

    [Fact]
    public void Messages_PinAtLeastTenMessages()
    {
        var units = Messages.Sum(row => Hl7v2MessageSplitter.Split(Hl7v2TestMessages.Corpus(row.Data)).Messages.Count);
        Assert.True(units >= 10, $"only {units} messages pinned");
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task BuildUnit_Message_MatchesItsGoldenFiles(string file)
    {
        var outputs = await BuildAsync(file, TestContext.Current.CancellationToken);
        var update = Environment.GetEnvironmentVariable(UpdateVariable) == "1";
        var folder = GoldenFolder(forWriting: update);

        foreach (var (name, json) in outputs)
        {
            var path = Path.Combine(folder, name);
            if (update)
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllTextAsync(path, json, new UTF8Encoding(false), TestContext.Current.CancellationToken);
                continue;
            }

            Assert.True(File.Exists(path), $"{path} is missing: run {UpdateVariable}=1 dotnet test tests/Core.Tests to write it");
            var expected = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
            Assert.True(expected == json,
                $"{name} differs from its golden file {path}; if the change is intended, rewrite with {UpdateVariable}=1 and review the diff.{Environment.NewLine}"
                + FirstDifference(expected, json));
        }

        // No golden file left over from a unit or bundle the message no longer produces.
        var stem = GoldenStem(file) + ".unit-";
        var stale = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, stem + "*.json").Select(Path.GetFileName).Except(outputs.Select(o => o.Name)).ToList()
            : [];
        Assert.True(stale.Count == 0, $"stale golden files: {string.Join(", ", stale)}");
    }

    /// <summary>The bundles of each unit, named <c>&lt;stem&gt;.unit-&lt;n&gt;.json</c> (<c>.unit-&lt;n&gt;.bundle-&lt;m&gt;.json</c> when a unit needs several).</summary>
    private static async Task<List<(string Name, string Json)>> BuildAsync(string file, CancellationToken cancellationToken)
    {
        var bytes = Hl7v2TestMessages.Corpus(file);
        OpenLabFile open = _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
        var intake = new LabFileIntake([new Hl7v2Format()], new ReportUnitBuilder(ReportEnricher.WithEmbeddedSeed()));
        var plan = await intake.PlanAsync(open, cancellationToken);
        var outputs = new List<(string, string)>();
        for (var unit = 0; unit < plan.UnitCount; unit++)
        {
            var provenance = new ReportProvenance("lab-a", $"incoming/lab-a/{Path.GetFileName(file)}", plan.ContentHash,
                Path.GetFileName(file), unit, plan.UnitCount, ReceivedAt, "golden");
            var transaction = await intake.BuildUnitAsync(open, provenance, cancellationToken);
            for (var b = 0; b < transaction.Bundles.Count; b++)
            {
                var suffix = transaction.Bundles.Count == 1 ? string.Empty : $".bundle-{b + 1}";
                outputs.Add(($"{GoldenStem(file)}.unit-{unit + 1}{suffix}.json", transaction.Bundles[b].ToJsonString(Indented) + "\n"));
            }
        }

        return outputs;
    }

    private static string GoldenStem(string file) => Path.GetFileNameWithoutExtension(file);

    /// <summary>The source tree's TestData/hl7v2/golden when it can be found (so an update lands in the repository), else the output copy.</summary>
    private static string GoldenFolder(bool forWriting)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "TestData", "hl7v2");
            if (Directory.Exists(candidate)) return Path.Combine(candidate, "golden");
        }

        return forWriting
            ? throw new InvalidOperationException("tests/TestData/hl7v2 not found above " + AppContext.BaseDirectory)
            : TestFiles.PathOf("hl7v2/golden");
    }

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "(end of file)";
            var a = i < actualLines.Length ? actualLines[i] : "(end of output)";
            if (e != a) return $"first difference at line {i + 1}:{Environment.NewLine}  golden: {e}{Environment.NewLine}  output: {a}";
        }

        return "(no line differs)";
    }
}
