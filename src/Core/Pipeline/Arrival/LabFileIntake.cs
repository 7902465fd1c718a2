using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Formats.Compression;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Pipeline.Arrival;

/// <summary>Opens a lab file from the start; called once per pass over it.</summary>
public delegate Task<Stream> OpenLabFile(CancellationToken cancellationToken);

/// <summary>
/// What intake learned about a file: its hash, its format, how many report units it holds and, where units are contiguous
/// bytes of an uncompressed file, each unit's range (null otherwise: a worker then reads the whole file).
/// </summary>
public sealed record IntakePlan(string ContentHash, DetectedFormat Format, int UnitCount, IReadOnlyList<ReportUnitRange>? Ranges = null);

/// <summary>
/// The format-independent front of the pipeline, shared by the functions and <c>pmed ingest</c>:
/// hash the bytes, detect the format from content, count report units, build a unit's FHIR.
/// The file is streamed, never held whole in memory by this class, and every pass over it is held to
/// <see cref="LimitsOptions"/>: file size, decompressed size and decompression ratio (gzip bombs).
/// </summary>
public sealed class LabFileIntake
{
    private readonly Dictionary<LabFileFormat, IReportFormat> _formats;
    private readonly LimitsOptions _limits;
    private readonly ReportUnitBuilder _builder;

    /// <summary>Intake under the default limits, building the lab's content only.</summary>
    public LabFileIntake(IEnumerable<IReportFormat> formats)
        : this(formats, Options.Create(new LimitsOptions()))
    {
    }

    /// <summary>Intake building the lab's content only.</summary>
    public LabFileIntake(IEnumerable<IReportFormat> formats, IOptions<LimitsOptions> limits)
        : this(formats, limits, new ReportUnitBuilder())
    {
    }

    /// <summary>Intake under the default limits, mapping with <paramref name="builder"/>'s lab conventions and building with it.</summary>
    public LabFileIntake(IEnumerable<IReportFormat> formats, ReportUnitBuilder builder)
        : this(formats, Options.Create(new LimitsOptions()), builder)
    {
    }

    public LabFileIntake(IEnumerable<IReportFormat> formats, IOptions<LimitsOptions> limits, ReportUnitBuilder builder)
    {
        _formats = formats.ToDictionary(f => f.Format);
        _limits = limits.Value;
        _builder = builder;
    }

    /// <summary>Hashes, detects and splits a file; throws <see cref="LabFileRejectedException"/> for unusable input.</summary>
    public async Task<IntakePlan> PlanAsync(OpenLabFile open, CancellationToken cancellationToken)
    {
        // The size limit stops the hashing pass at the limit: an oversized file is not read further.
        var hash = await HashAsync(async ct => Limited(await open(ct)), cancellationToken);
        var (detected, reader) = await DetectAsync(open, cancellationToken);
        await using var content = await OpenDecompressedAsync(open, detected, cancellationToken);
        // A range of compressed bytes is no unit: compressed files are read whole by each unit's worker.
        var ranges = reader is IRangedReportFormat ranged && detected.Compression == LabFileCompression.None
            ? await ReadAsync(() => ranged.LocateUnitsAsync(content, cancellationToken))
            : null;
        var units = ranges?.Count ?? await ReadAsync(() => reader.CountUnitsAsync(content, cancellationToken));
        if (units <= 0) throw new LabFileRejectedException(SourcePosition.None, "the file holds no report");
        if (units > _limits.MaxMessagesPerFile)
        {
            // HL7 v2 is refused earlier, at the MSH that passes the limit; VCF samples and FHIR reports here.
            throw new LabFileRejectedException(SourcePosition.None, LimitsOptions.Breach(
                string.Create(CultureInfo.InvariantCulture, $"the file holds {units} report units ({UnitsOf(detected.Format)})"),
                nameof(LimitsOptions.MaxMessagesPerFile), _limits.MaxMessagesPerFile.ToString(CultureInfo.InvariantCulture)));
        }

        return new IntakePlan(hash, detected, units, ranges);
    }

    /// <summary>Maps one report unit of a file, with the lab's conventions from the knowledge store.</summary>
    public async Task<MappedUnit> MapUnitAsync(OpenLabFile open, ReportProvenance provenance, CancellationToken cancellationToken)
    {
        var (detected, reader) = await DetectAsync(open, cancellationToken);
        await using var content = await OpenDecompressedAsync(open, detected, cancellationToken);
        provenance = provenance with { Format = detected.Format, Compressed = detected.Compression != LabFileCompression.None };
        return new MappedUnit(await ReadAsync(() => reader.MapUnitAsync(content, provenance, _builder.Conventions, cancellationToken)), provenance);
    }

    /// <summary>Maps and builds one report unit of a file: enriched, documents aside, as the pipeline builds it (<see cref="ReportUnitBuilder"/>).</summary>
    public async Task<ReportTransaction> BuildUnitAsync(OpenLabFile open, ReportProvenance provenance, CancellationToken cancellationToken) =>
        await _builder.BuildAsync(await MapUnitAsync(open, provenance, cancellationToken), cancellationToken);

    /// <summary>Whether units of this format can be mapped from their own byte range (<see cref="IRangedReportFormat"/>).</summary>
    public bool BuildsUnitsFromRanges(LabFileFormat format) => _formats.GetValueOrDefault(format) is IRangedReportFormat;

    /// <summary>Maps one report unit from only its own bytes, read by <paramref name="read"/>.</summary>
    /// <param name="format">The file's format: one <see cref="BuildsUnitsFromRanges"/> says yes to.</param>
    /// <param name="range">Where intake found the unit.</param>
    /// <param name="read">Opens the file's bytes of <paramref name="range"/>.</param>
    /// <param name="provenance">The unit's provenance.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<MappedUnit> MapUnitAsync(
        LabFileFormat format, ReportUnitRange range, OpenLabFile read, ReportProvenance provenance, CancellationToken cancellationToken)
    {
        CheckRange(range);
        var bytes = new byte[range.Length];
        await using (var stream = await read(cancellationToken))
        {
            var filled = await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
            if (filled < bytes.Length)
                throw new LabFileRejectedException(SourcePosition.None, "the file ends before the unit's recorded byte range does: its content changed");
        }

        return await MapUnitAsync(format, range, bytes, provenance, cancellationToken);
    }

    /// <summary>Maps one report unit from its own bytes, already read (<c>pmed ingest</c> holds the file's bytes once).</summary>
    public async Task<MappedUnit> MapUnitAsync(
        LabFileFormat format, ReportUnitRange range, ReadOnlyMemory<byte> unit, ReportProvenance provenance, CancellationToken cancellationToken)
    {
        CheckRange(range);
        if (_formats.GetValueOrDefault(format) is not IRangedReportFormat reader)
            throw new InvalidOperationException($"{format} units are not read by byte range.");

        // Only uncompressed files are read by range.
        provenance = provenance with { Format = format, Compressed = false };
        return new MappedUnit(await reader.MapUnitAsync(unit, range, provenance, _builder.Conventions, cancellationToken), provenance);
    }

    private void CheckRange(ReportUnitRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        if (range.Length > _limits.MaxDocumentBytes || range.Offset < 0 || range.Length <= 0)
            throw new LabFileRejectedException(SourcePosition.None, "the unit's recorded byte range is not one intake could have recorded");
    }

    private static string UnitsOf(LabFileFormat format) => format switch
    {
        LabFileFormat.Vcf => "one per sample column",
        LabFileFormat.Hl7v2 => "one per message",
        _ => "one per report",
    };

    private const int HashBufferBytes = 1024 * 1024;

    public static async Task<string> HashAsync(OpenLabFile open, CancellationToken cancellationToken)
    {
        await using var stream = await open(cancellationToken);
        // One hash per thread, reused: creating one sets up an OpenSSL digest context, a good part of hashing a small
        // file (an HL7 v2 message); GetHashAndReset leaves it ready for the next file. Taken off the thread while in
        // use, as the reads below may resume on another thread.
        var sha256 = Interlocked.Exchange(ref t_sha256, null) ?? IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        // SHA256.HashDataAsync reads 4 KiB at a time: on a file opened for synchronous reads each is a thread-pool
        // hop, a hundred thousand of them for a 400 MB VCF. One pooled megabyte per read makes it a few hundred.
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferBytes);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, HashBufferBytes), cancellationToken)) > 0) sha256.AppendData(buffer, 0, read);
            var hash = Convert.ToHexStringLower(sha256.GetHashAndReset());
            (t_sha256, sha256) = (sha256, t_sha256);
            return hash;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);

            // A hash given back above swapped places with what this thread held (usually nothing); one left half-fed by
            // a failed read is not reused.
            sha256?.Dispose();
        }
    }

    [ThreadStatic] private static IncrementalHash? t_sha256;

    private async Task<(DetectedFormat, IReportFormat)> DetectAsync(OpenLabFile open, CancellationToken cancellationToken)
    {
        DetectedFormat detected;
        await using (var head = await open(cancellationToken))
        {
            detected = await FormatDetector.DetectAsync(head, cancellationToken);
        }

        if (detected is { Format: LabFileFormat.Unknown, UnreadEncoding: { } encoding })
        {
            throw new LabFileRejectedException(new SourcePosition { Line = 1 },
                $"the file is {encoding} text (it starts with that byte order mark): HL7 v2, VCF and FHIR JSON files are read "
                + "as UTF-8 (or ASCII); send it as UTF-8");
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

    private async Task<Stream> OpenDecompressedAsync(OpenLabFile open, DetectedFormat detected, CancellationToken cancellationToken)
    {
        var raw = Limited(await open(cancellationToken));
        if (detected.Compression == LabFileCompression.None) return raw;

        // BGZF's blocks inflate in parallel; GZipStream reads plain gzip (concatenated members too). The inflated bytes
        // are counted as they are read, so a bomb is stopped at the limit, never inflated in full.
        Stream inflating = detected.Compression == LabFileCompression.Bgzf ? new BgzfStream(raw) : new GZipStream(raw, CompressionMode.Decompress);
        return new LimitedReadStream(inflating, inflated => CheckInflated(inflated, raw.BytesRead));
    }

    /// <summary>The file as stored, held to <see cref="LimitsOptions.MaxFileBytes"/>.</summary>
    private LimitedReadStream Limited(Stream raw) => new(raw, read =>
    {
        if (read > _limits.MaxFileBytes)
        {
            throw new LabFileRejectedException(SourcePosition.None, LimitsOptions.Breach(
                "the file is larger than a lab file may be", nameof(LimitsOptions.MaxFileBytes), LimitsOptions.Bytes(_limits.MaxFileBytes)));
        }
    });

    private void CheckInflated(long inflated, long compressed)
    {
        if (inflated > _limits.MaxDecompressedBytes)
        {
            throw new LabFileRejectedException(SourcePosition.None, LimitsOptions.Breach(
                "the file decompresses to more than its content may be (a gzip bomb?); reading stopped there",
                nameof(LimitsOptions.MaxDecompressedBytes), LimitsOptions.Bytes(_limits.MaxDecompressedBytes)));
        }

        if (inflated >= LimitsOptions.RatioCheckedAfterBytes && inflated > _limits.MaxDecompressionRatio * Math.Max(compressed, 1))
        {
            throw new LabFileRejectedException(SourcePosition.None, LimitsOptions.Breach(
                string.Create(CultureInfo.InvariantCulture,
                    $"the file decompresses {inflated / (double)Math.Max(compressed, 1):F0} to 1 ({compressed} compressed bytes gave {inflated}): a gzip bomb; reading stopped there"),
                nameof(LimitsOptions.MaxDecompressionRatio),
                string.Create(CultureInfo.InvariantCulture, $"{_limits.MaxDecompressionRatio} to 1")));
        }
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
