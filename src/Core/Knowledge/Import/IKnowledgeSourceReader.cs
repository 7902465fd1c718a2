namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>Reads one source file as a stream of knowledge documents, never holding the file (rows are read one at a time).</summary>
public interface IKnowledgeSourceReader
{
    IAsyncEnumerable<KnowledgeDocument> ReadAsync(Stream content, ImportDiagnostics diagnostics, CancellationToken cancellationToken);
}

internal static class SourceLines
{
    /// <summary>Lines of a text file (UTF-8, BOM detected; LF or CRLF), numbered from 1.</summary>
    public static async IAsyncEnumerable<(string Line, long Number)> ReadAsync(
        Stream content, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        long number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            yield return (line, number);
        }
    }
}
