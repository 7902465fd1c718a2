using System.Buffers;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats;

/// <summary>Reading a whole (decompressed) file into memory, for the formats that parse documents rather than stream lines.</summary>
public static class LabFileContent
{
    /// <summary>Reads the stream to its end; more than <paramref name="maxBytes"/> rejects the file before reading on.</summary>
    /// <param name="content">The decompressed file.</param>
    /// <param name="maxBytes">The limit, <see cref="LimitsOptions.MaxDocumentBytes"/>.</param>
    /// <param name="formatName">Named in the reason, e.g. "HL7 v2".</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<byte[]> ReadAllAsync(Stream content, long maxBytes, string formatName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);

        // A file held in memory whole (a CLI's small file) is read as it is held: readers only read it.
        if (content is IKnownLengthStream known && known.TryTakeHeld(out var held))
            return held.Length <= maxBytes ? held : throw TooLarge(maxBytes, formatName);

        // A file whose length is known (held in memory, or on disk) is read straight into an array its size: one copy,
        // where the general path below makes three (chunk, growing buffer, result) for every pass over every file.
        if (content is IKnownLengthStream { RemainingBytes: { } remaining } && remaining <= maxBytes && remaining < Array.MaxLength)
        {
            var whole = new byte[remaining];
            var filled = 0;
            int n;
            while (filled < whole.Length && (n = await content.ReadAsync(whole.AsMemory(filled), cancellationToken)) > 0) filled += n;
            var probe = new byte[1];
            var beyond = filled == whole.Length ? await content.ReadAsync(probe, cancellationToken) : 0;
            if (filled == whole.Length && beyond == 0) return whole;

            // Shorter or longer than it said (a file changed while read): the general path takes over from here.
            var started = new MemoryStream();
            started.Write(whole, 0, filled);
            started.Write(probe, 0, beyond);
            return await ReadRestAsync(content, started, maxBytes, formatName, cancellationToken);
        }

        return await ReadRestAsync(content, new MemoryStream(), maxBytes, formatName, cancellationToken);
    }

    private static async Task<byte[]> ReadRestAsync(Stream content, MemoryStream buffer, long maxBytes, string formatName, CancellationToken cancellationToken)
    {
        using var owned = buffer;

        // Rented, not allocated: every pass over a file reads it, and a fresh 80 KiB chunk each time was a good part
        // of the pipeline fuzz's time in allocation and collection.
        if (buffer.Length > maxBytes) throw TooLarge(maxBytes, formatName);
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes, formatName);
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static LabFileRejectedException TooLarge(long maxBytes, string formatName) =>
        new(SourcePosition.None, LimitsOptions.Breach(
            $"the {formatName} file is larger than the most read into memory in one piece",
            nameof(LimitsOptions.MaxDocumentBytes), LimitsOptions.Bytes(maxBytes)));
}

/// <summary>A stream that knows how many bytes are left to read (a decompressed stream does not).</summary>
public interface IKnownLengthStream
{
    /// <summary>The bytes left to read; null when not known.</summary>
    long? RemainingBytes { get; }

    /// <summary>
    /// When the stream reads an array it holds, whole and from its start: that array (not a copy), read to the end as
    /// if by reads. The caller must not change it.
    /// </summary>
    bool TryTakeHeld(out byte[] bytes);
}
