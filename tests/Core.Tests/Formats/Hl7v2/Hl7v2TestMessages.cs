using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>Small hand-written messages, and the corpus copies under TestData/hl7v2.</summary>
internal static class Hl7v2TestMessages
{
    public const string Header = "MSH|^~\\&|LIMS|LAB|EMR|HOSP|20260314092653||ORU^R01^ORU_R01|CTRL-1|P|2.5.1";

    /// <summary>An ORU^R01 with three OBX, segments joined by the given terminator.</summary>
    public static string Oru(string terminator = "\r", string header = Header) => string.Join(terminator,
        header,
        "PID|1||MRN-1^^^HOSP^MR~NHS-1^^^NHS^NH||DOE^JANE||19800101|F",
        "OBR|1|PL-1|FL-1|81247-9^Master HL7 genetic variant reporting panel^LN",
        "OBX|1|CWE|48018-6^Gene studied^LN|2a|HGNC:1100^BRCA1^HGNC||||||F",
        "OBX|2|ST|48004-6^DNA change (c.HGVS)^LN|2a|c.68_69del||||||F",
        "OBX|3|CWE|53034-5^Allelic state^LN|2a|LA6706-1^Heterozygous^LN||||||F") + terminator;

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static Hl7v2Message Parse(string text) => Hl7v2Parser.Parse(Bytes(text));

    /// <summary>The first message of <paramref name="content"/> as the pipeline builds it: mapped, enriched from the embedded seed, built.</summary>
    public static Task<ReportTransaction> BuildAsync(byte[] content, string labId = "lab-a") =>
        new Hl7v2Format().BuildUnitAsync(
            new MemoryStream(content, writable: false),
            new ReportProvenance(labId, $"incoming/{labId}/m.hl7", new string('0', 64), "m.hl7", 0, 1, new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.Zero), "test"),
            new ReportUnitBuilder(ReportEnricher.WithEmbeddedSeed()),
            TestContext.Current.CancellationToken);

    /// <summary>Every resource of every bundle of the transaction, in bundle order.</summary>
    public static List<JsonObject> Resources(ReportTransaction transaction) =>
        [.. transaction.Bundles.SelectMany(b => b["entry"]!.AsArray()).Select(e => e!["resource"]!.AsObject())];

    /// <summary>The Observations of one Genomics IG profile (its last URL segment, e.g. <c>variant</c>).</summary>
    public static List<JsonObject> ObservationsOf(ReportTransaction transaction, string profile) =>
        [.. Resources(transaction).Where(r => (string?)r["resourceType"] == "Observation"
            && r["meta"]?["profile"]?.AsArray().Any(p => ((string?)p)?.EndsWith("/StructureDefinition/" + profile, StringComparison.Ordinal) == true) == true)];

    /// <summary><c>Type/id</c> of a resource, as the bundle's references name it.</summary>
    public static string ReferenceTo(JsonObject resource) => $"{(string?)resource["resourceType"]}/{(string?)resource["id"]}";

    public static string CorpusRoot => TestFiles.PathOf("hl7v2");

    /// <summary>
    /// Every message file under TestData/hl7v2 (corpus copies and authored messages, .hl7 and the corpus's .txt), as paths
    /// relative to it with '/' separators; not the golden output. Some are bare OBX fragments, which no intake accepts.
    /// </summary>
    public static IReadOnlyList<string> MessageFiles() =>
        [.. Directory.EnumerateFiles(CorpusRoot, "*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".hl7", StringComparison.Ordinal) || path.EndsWith(".txt", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(CorpusRoot, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(path => !path.StartsWith("golden/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    /// <summary>Every corpus copy, as a path relative to TestData/hl7v2 with '/' separators.</summary>
    /// <summary>
    /// The public corpus copies. Messages we authored ourselves (authored/, with their expected meaning
    /// and notes beside them) are exercised by the mapper's own tests; golden/ holds expected FHIR output.
    /// </summary>
    public static IReadOnlyList<string> CorpusFiles() =>
        Directory.EnumerateFiles(CorpusRoot, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(CorpusRoot, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(path => !path.StartsWith("authored/", StringComparison.Ordinal) && !path.StartsWith("golden/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static byte[] Corpus(string relativePath) => TestFiles.Read("hl7v2/" + relativePath);
}
