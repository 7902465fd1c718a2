using System.Text;
using PrecisionMed.Core.Formats.Hl7v2;

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

    public static string CorpusRoot => TestFiles.PathOf("hl7v2");

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
