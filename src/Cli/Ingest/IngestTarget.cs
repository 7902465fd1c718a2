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
    private readonly IReadOnlyList<ReadOnlyMemory<byte>> _json;

    /// <param name="files">Where each of the transaction's bundles goes.</param>
    /// <param name="transaction">The built unit (its bundles are read until it is disposed).</param>
    /// <param name="pretty">Indented JSON (<c>--pretty</c>).</param>
    /// <param name="fhir">The FHIR server the bundles go to as well (<c>--fhir</c>); null for none.</param>
    public IngestTarget(IReadOnlyList<string> files, ReportTransaction transaction, bool pretty, IFhirWriter? fhir)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        _files = files;
        Fhir = fhir;
        // Copied only when a FHIR server is written to: an amendment against it rewrites the report's status in the
        // transaction's own bytes, and the files hold the bundles as built. Otherwise the files are written from the
        // transaction's bytes (a copy was a large-object allocation per report: a genomic bundle is over 100 KB).
        _json = pretty
            ? [.. transaction.Bundles.Select(b => new ReadOnlyMemory<byte>(JsonSerializer.SerializeToUtf8Bytes<JsonNode>(b, Pretty)))]
            : fhir is not null
                ? [.. Enumerable.Range(0, transaction.BundleCount).Select(part => new ReadOnlyMemory<byte>(transaction.Bundle(part).ToArray()))]
                : [.. Enumerable.Range(0, transaction.BundleCount).Select(transaction.Bundle)];
    }

    /// <summary>The FHIR server the bundles go to as well; null for none.</summary>
    public IFhirWriter? Fhir { get; set; }

    public List<string> Written { get; } = [];

    /// <summary>The bundles' JSON, for <c>--validate</c>.</summary>
    public List<FileFindings> Validate(FhirProfileValidator validator) =>
        [.. _files.Select((file, part) => new FileFindings(file, FhirJsonValidation.Validate(Encoding.UTF8.GetString(_json[part].Span), validator)))];

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
    private static void Write(string path, ReadOnlyMemory<byte> json)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
            RandomAccess.Write(handle, json.Span, 0);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.WriteAllBytes(path, json.Span);
        }
    }
}
