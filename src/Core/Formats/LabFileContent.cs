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
        using var buffer = new MemoryStream();

        // Rented, not allocated: every pass over a file reads it, and a fresh 80 KiB chunk each time was a good part
        // of the pipeline fuzz's time in allocation and collection.
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new LabFileRejectedException(SourcePosition.None, LimitsOptions.Breach(
                        $"the {formatName} file is larger than the most read into memory in one piece",
                        nameof(LimitsOptions.MaxDocumentBytes), LimitsOptions.Bytes(maxBytes)));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }
}
