using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.Validate;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Validation;

namespace PrecisionMed.Cli.Ingest;

/// <summary>
/// <c>pmed ingest</c>'s target for one unit: each bundle to a file in the output folder (compact unless <c>--pretty</c>),
/// and to <c>--fhir</c> when given. The files hold the bundles as built, before an amendment against the FHIR server.
/// </summary>
internal sealed class IngestTarget : IReportUnitTarget
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

    private readonly IReadOnlyList<string> _files;
    private readonly IReadOnlyList<byte[]> _json;

    /// <param name="files">Where each of the transaction's bundles goes.</param>
    /// <param name="transaction">The built unit.</param>
    /// <param name="pretty">Indented JSON (<c>--pretty</c>).</param>
    public IngestTarget(IReadOnlyList<string> files, ReportTransaction transaction, bool pretty)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        _files = files;
        // Copied now: an amendment against --fhir rewrites the report's status in the transaction's own bytes.
        _json = pretty
            ? [.. transaction.Bundles.Select(b => JsonSerializer.SerializeToUtf8Bytes<JsonNode>(b, Pretty))]
            : [.. Enumerable.Range(0, transaction.BundleCount).Select(part => transaction.Bundle(part).ToArray())];
    }

    /// <summary>The FHIR server the bundles go to as well; null for none.</summary>
    public IFhirWriter? Fhir { get; set; }

    public List<string> Written { get; } = [];

    /// <summary>The bundles' JSON, for <c>--validate</c>.</summary>
    public List<FileFindings> Validate(FhirProfileValidator validator) =>
        [.. _files.Select((file, part) => new FileFindings(file, FhirJsonValidation.Validate(Encoding.UTF8.GetString(_json[part]), validator)))];

    public Task<bool> HoldBeforeWriteAsync(ReportTransaction transaction, CancellationToken cancellationToken) => Task.FromResult(false);

    public async Task<bool> HoldForPreviousAsync(ReportTransaction transaction, JsonObject? previous, IFhirWriter fhir, CancellationToken cancellationToken) =>
        !await ReportPatients.SameAsPreviousAsync(transaction, previous, fhir, cancellationToken);

    public async Task<FhirWriteResult?> WriteBundleAsync(ReportTransaction transaction, int part, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        Write(_files[part], _json[part]);
        Written.Add(_files[part]);
        return Fhir is null ? new FhirWriteResult([]) : await Fhir.WriteTransactionAsync(transaction.Bundle(part), cancellationToken);
    }

    /// <summary>
    /// A new file is created and written with one open and one write. Only a file already there (a run again into the same
    /// folder) is truncated and rewritten: on ext4, closing a file truncated to nothing and rewritten starts its write-back
    /// at once, a disk write per bundle that a new file does not cost. Written synchronously: a bundle is small, and the
    /// asynchronous path hands each write to another thread and back.
    /// </summary>
    private static void Write(string path, byte[] json)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
            RandomAccess.Write(handle, json, 0);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.WriteAllBytes(path, json);
        }
    }
}
