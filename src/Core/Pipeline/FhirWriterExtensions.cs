using System.Text.Json;
using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Pipeline;

/// <summary>Writing a bundle built as nodes (a withdrawal of what a re-sent report no longer carries).</summary>
public static class FhirWriterExtensions
{
    /// <summary>Writes <paramref name="bundle"/> as UTF-8 JSON through <see cref="IFhirWriter.WriteTransactionAsync"/>.</summary>
    public static Task<FhirWriteResult> WriteTransactionAsync(this IFhirWriter writer, JsonObject bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer.WriteTransactionAsync(JsonSerializer.SerializeToUtf8Bytes(bundle), cancellationToken);
    }
}
