using System.Globalization;
using System.Text;

namespace PrecisionMed.Core.Tests.Pipeline.Scale;

/// <summary>
/// An HL7 v2 batch file (FHS/BHS ... BTS/FTS) of many distinct ORU^R01 reports made from one authored message: each copy
/// gets its own message control id and accession, nothing else changes.
/// </summary>
internal static class Hl7Batches
{
    private const string Message = "hl7v2/authored/pgx_cyp2c9_from_pgxexample.hl7";
    private const string Accession = "SL-18-PGX-0001";
    private const string ControlId = "SL-PGX-20180306-0001";

    public static byte[] Of(int messages)
    {
        var message = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", Message), Encoding.UTF8).TrimEnd('\r', '\n');
        var batch = new StringBuilder("FHS|^~\\&|SOMELAB-LIS|SOMELAB|EHR|HOSP|20180306000000-0500||F1\rBHS|^~\\&|SOMELAB-LIS|SOMELAB|EHR|HOSP|20180306000000-0500||B1\r");
        for (var i = 0; i < messages; i++)
        {
            var accession = string.Create(CultureInfo.InvariantCulture, $"SL-BIG-{i:D5}");
            batch.Append(message
                .Replace(Accession, accession, StringComparison.Ordinal)
                .Replace(ControlId, "MSG-" + accession, StringComparison.Ordinal)).Append('\r');
        }

        batch.Append(CultureInfo.InvariantCulture, $"BTS|{messages}\rFTS|1\r");
        return Encoding.UTF8.GetBytes(batch.ToString());
    }
}
