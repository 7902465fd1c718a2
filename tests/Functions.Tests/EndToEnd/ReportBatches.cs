using System.Globalization;
using System.Text;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>One generated report: its accession (filler order number) and the patient's MRN.</summary>
internal sealed record GeneratedReport(string Accession, string Mrn);

/// <summary>
/// Many distinct ORU^R01 reports made from one corpus message: each copy gets its own message control id,
/// accession, placer order and MRN, nothing else changes. Written as HL7 batch files (FHS/BHS ... BTS/FTS).
/// </summary>
internal static class ReportBatches
{
    /// <summary>The corpus message every report is made from (CYP2C9 pharmacogenomics, 25 OBX).</summary>
    public const string CorpusMessage = "hl7v2/authored/pgx_cyp2c9_from_pgxexample.hl7";

    private const string Accession = "SL-18-PGX-0001";
    private const string Placer = "PGX-REQ-0001";
    private const string ControlId = "SL-PGX-20180306-0001";
    private const string Mrn = "SL100001";

    /// <param name="tag">Keeps this run's accessions and MRNs apart from other tests' on the shared FHIR server.</param>
    public static (IReadOnlyList<GeneratedReport> Reports, IReadOnlyList<byte[]> Files) Generate(string tag, int reports, int perFile)
    {
        var message = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", CorpusMessage), Encoding.UTF8).TrimEnd('\r', '\n');
        var all = new List<GeneratedReport>();
        var files = new List<byte[]>();
        for (var start = 0; start < reports; start += perFile)
        {
            var batch = new StringBuilder();
            var count = Math.Min(perFile, reports - start);
            batch.Append(CultureInfo.InvariantCulture, $"FHS|^~\\&|SOMELAB-LIS|SOMELAB|EHR|HOSP|20180306000000-0500||{tag}-F{start}\r");
            batch.Append(CultureInfo.InvariantCulture, $"BHS|^~\\&|SOMELAB-LIS|SOMELAB|EHR|HOSP|20180306000000-0500||{tag}-B{start}\r");
            for (var i = start; i < start + count; i++)
            {
                var report = new GeneratedReport(
                    string.Create(CultureInfo.InvariantCulture, $"SL-{tag}-{i:D4}"),
                    string.Create(CultureInfo.InvariantCulture, $"{tag}{i:D5}"));
                all.Add(report);
                batch.Append(message
                    .Replace(Accession, report.Accession, StringComparison.Ordinal)
                    .Replace(Placer, "REQ-" + report.Accession, StringComparison.Ordinal)
                    .Replace(ControlId, "MSG-" + report.Accession, StringComparison.Ordinal)
                    .Replace(Mrn, report.Mrn, StringComparison.Ordinal)).Append('\r');
            }

            batch.Append(CultureInfo.InvariantCulture, $"BTS|{count}\rFTS|1\r");
            files.Add(Encoding.UTF8.GetBytes(batch.ToString()));
        }

        return (all, files);
    }
}
