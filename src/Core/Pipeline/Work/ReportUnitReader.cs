using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>The stored file a unit is read from, and the version of it every read holds to.</summary>
public sealed record ReportUnitSource(LabFileLocation Location, string Version);

/// <summary>
/// Finds and maps one report unit's bytes for <see cref="ReportWorkHandler"/>. Only the unit's own byte range is read
/// when intake recorded one (HL7 v2 messages of an uncompressed file), so a file of N messages is read about once in all,
/// not N times; otherwise (VCF sample columns, FHIR reports gathered from across a bundle, compressed files) the whole
/// file. Every read holds to one version of the blob: the one that arrived, for <c>incoming/</c>; content written over
/// the file since raises <see cref="LabFileChangedException"/> rather than being built under the arrived file's hash.
/// </summary>
public sealed class ReportUnitReader(LabFileIntake intake, ILabFileStore store)
{
    /// <summary>
    /// The original: normally still in <c>incoming/</c>; after a replay or review of a finished file, in <c>archive/</c>
    /// under its content hash, or (archived before that layout) at <c>archive/{lab}/{name}</c>.
    /// Throws <see cref="LabFileChangedException"/> when the blob found holds other content than arrived.
    /// </summary>
    public async Task<ReportUnitSource?> FindAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var incoming = new LabFileLocation(LabFileAreas.Incoming, item.LabPath);
        if (await store.FindVersionAsync(incoming, cancellationToken) is { } version)
        {
            if (item.SourceETag is not null && version != item.SourceETag) throw new LabFileChangedException(LabFileAreas.Incoming);
            return new ReportUnitSource(incoming, version);
        }

        // A replay of a finished file. Its archived copy is named by its content hash: it is this file's content.
        var archive = LabFileOriginals.Archived(item.LabId, item.ContentHash, item.BlobName);
        if (await store.FindVersionAsync(archive, cancellationToken) is { } hashed) return new ReportUnitSource(archive, hashed);

        // Archived before the hash was in the path: a later file of the same name may have been archived over it, so
        // only its hash can say it is this file's content (replays are rare).
        var legacy = LabFileOriginals.LegacyArchived(item.LabId, item.BlobName);
        if (await store.FindVersionAsync(legacy, cancellationToken) is not { } archived) return null;
        var source = new ReportUnitSource(legacy, archived);
        if (await LabFileIntake.HashAsync(ct => OpenAsync(source, 0, null, ct), cancellationToken) != item.ContentHash)
            throw new LabFileChangedException(LabFileAreas.Archive);

        // The report written now names the original's place under its hash: put a copy there (the old one stays).
        await store.CopyAsync(legacy, archive, cancellationToken);
        return await store.FindVersionAsync(archive, cancellationToken) is { } copied ? new ReportUnitSource(archive, copied) : source;
    }

    /// <summary>
    /// Maps the unit from its range when it has one in the file that arrived, else from the whole file. A VCF's
    /// manifest, when one lies beside it (<see cref="VcfManifest.NameFor"/>, in the same area), says who its columns are.
    /// </summary>
    public async Task<MappedUnit> MapAsync(
        WorkItem item, LedgerUnit unit, ReportUnitSource source, ReportProvenance provenance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(provenance);
        if (item.Format == LabFileFormat.Vcf && await ReadManifestAsync(source.Location, cancellationToken) is { } manifest)
            provenance = provenance with { Manifest = manifest };

        // A range holds only for the very version it was found in: the archive's copy is another blob, read whole.
        if (unit.Range is { } range && item.SourceETag == source.Version && intake.BuildsUnitsFromRanges(item.Format))
        {
            return await intake.MapUnitAsync(item.Format, range,
                ct => OpenAsync(source, range.Offset, range.Length, ct), provenance, cancellationToken);
        }

        return await intake.MapUnitAsync(ct => OpenAsync(source, 0, null, ct), provenance, cancellationToken);
    }

    /// <summary>The manifest beside a VCF, or null when there is none; one that cannot be used rejects the unit.</summary>
    public async Task<VcfManifest?> ReadManifestAsync(LabFileLocation vcf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vcf);
        var location = vcf with { Path = VcfManifest.NameFor(vcf.Path) };
        await using var stream = await store.OpenReadAsync(location, cancellationToken);
        if (stream is null) return null;
        var buffer = new byte[VcfManifest.MaxBytes + 1];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        var manifest = VcfManifest.Parse(buffer.AsSpan(0, read));
        var name = vcf.Path[(vcf.Path.LastIndexOf('/') + 1)..];
        if (!string.Equals(manifest.Vcf, name, StringComparison.Ordinal))
            throw VcfManifestError("$.vcf", "names another file than the VCF it lies beside");
        return manifest;
    }

    private static LabFileRejectedException VcfManifestError(string path, string reason) =>
        new(new SourcePosition { Path = path }, "VCF manifest: " + reason);

    private async Task<Stream> OpenAsync(ReportUnitSource source, long offset, long? length, CancellationToken cancellationToken) =>
        await store.OpenReadAsync(source.Location, source.Version, offset, length, cancellationToken)
        ?? throw new FileNotFoundException("The original vanished while being read.");
}
