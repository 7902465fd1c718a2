using System.IO.Compression;
using System.Security.Cryptography;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats;

namespace PrecisionMed.Core.Pipeline;

/// <summary>Opens a lab file from the start; called once per pass over it.</summary>
public delegate Task<Stream> OpenLabFile(CancellationToken cancellationToken);

/// <summary>What intake learned about a file: its hash, its format and how many report units it holds.</summary>
public sealed record IntakePlan(string ContentHash, DetectedFormat Format, int UnitCount);

/// <summary>
/// The format-independent front of the pipeline, shared by the functions and <c>pmed ingest</c>:
/// hash the bytes, detect the format from content, count report units, build a unit's FHIR.
/// The file is streamed, never held whole in memory by this class.
/// </summary>
public sealed class LabFileIntake
{
    private readonly Dictionary<LabFileFormat, IReportFormat> _formats;

    public LabFileIntake(IEnumerable<IReportFormat> formats) =>
        _formats = formats.ToDictionary(f => f.Format);

    /// <summary>Hashes, detects and splits a file; throws <see cref="LabFileRejectedException"/> for unusable input.</summary>
    public async Task<IntakePlan> PlanAsync(OpenLabFile open, CancellationToken cancellationToken)
    {
        var hash = await HashAsync(open, cancellationToken);
        var (detected, reader) = await DetectAsync(open, cancellationToken);
        await using var content = await OpenDecompressedAsync(open, detected, cancellationToken);
        var units = await ReadAsync(() => reader.CountUnitsAsync(content, cancellationToken));
        if (units <= 0) throw new LabFileRejectedException(SourcePosition.None, "the file holds no report");
        return new IntakePlan(hash, detected, units);
    }

    /// <summary>Builds the FHIR for one report unit of a file.</summary>
    public async Task<ReportTransaction> BuildUnitAsync(OpenLabFile open, ReportProvenance provenance, CancellationToken cancellationToken)
    {
        var (detected, reader) = await DetectAsync(open, cancellationToken);
        await using var content = await OpenDecompressedAsync(open, detected, cancellationToken);
        return await ReadAsync(() => reader.BuildUnitAsync(content, provenance, cancellationToken));
    }

    public static async Task<string> HashAsync(OpenLabFile open, CancellationToken cancellationToken)
    {
        await using var stream = await open(cancellationToken);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return Convert.ToHexStringLower(hash);
    }

    private async Task<(DetectedFormat, IReportFormat)> DetectAsync(OpenLabFile open, CancellationToken cancellationToken)
    {
        DetectedFormat detected;
        await using (var head = await open(cancellationToken))
        {
            detected = await FormatDetector.DetectAsync(head, cancellationToken);
        }

        if (detected.Format == LabFileFormat.Unknown)
        {
            throw new LabFileRejectedException(new SourcePosition { Line = 1 },
                "the file's format could not be recognised from its content: expected an HL7 v2 message or batch "
                + "(MSH, FHS or BHS), a VCF file (##fileformat=VCF) or a FHIR JSON Bundle, plain or gzip-compressed");
        }

        if (!_formats.TryGetValue(detected.Format, out var reader))
        {
            throw new LabFileRejectedException(SourcePosition.None,
                $"{detected.Format} files are recognised but this pipeline version cannot read them yet; the original is kept for replay");
        }

        return (detected, reader);
    }

    private static async Task<Stream> OpenDecompressedAsync(OpenLabFile open, DetectedFormat detected, CancellationToken cancellationToken)
    {
        var raw = await open(cancellationToken);
        // GZipStream reads concatenated members, so multi-block BGZF decompresses whole.
        return detected.Compression == LabFileCompression.None ? raw : new GZipStream(raw, CompressionMode.Decompress);
    }

    private static async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (InvalidDataException ex)
        {
            throw new LabFileRejectedException(SourcePosition.None, "the compressed data is corrupt or truncated: " + ex.Message);
        }
    }
}
