namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// The PGx message of samples/batch_three_messages.hl7 (CYP2C19 *2/*2, clopidogrel) as a patient and report of one test's
/// own: the tests of this project share one FHIR server, and resource ids come from the lab and accession (the Patient
/// from PID-3), so two tests ingesting the sample itself would write each other's resources and find each other's reports.
/// </summary>
internal static class PgxTestMessage
{
    /// <summary>Writes the message with <paramref name="tag"/> in its patient id, accession, order and control id; returns its path.</summary>
    public static async Task<string> WriteAsync(string directory, string tag, CancellationToken cancellationToken)
    {
        var batch = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "samples", "batch_three_messages.hl7"), cancellationToken);
        var start = batch.LastIndexOf("MSH|", StringComparison.Ordinal);
        var end = batch.IndexOf("\rBTS|", start, StringComparison.Ordinal);
        var message = batch[start..end]
            .Replace("GL800103", $"GL8-{tag}", StringComparison.Ordinal)
            .Replace("GL-24-B1-0003", $"GL-{tag}", StringComparison.Ordinal)
            .Replace("B1-REQ-0003", $"REQ-{tag}", StringComparison.Ordinal)
            .Replace("GL-B1-0003", $"MSG-{tag}", StringComparison.Ordinal);
        var path = Path.Combine(directory, $"pgx-{tag}.hl7");
        await File.WriteAllTextAsync(path, message + "\r", cancellationToken);
        return path;
    }
}
