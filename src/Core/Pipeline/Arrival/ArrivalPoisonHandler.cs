using System.Text.Json;
using Microsoft.Extensions.Logging;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Replay;

namespace PrecisionMed.Core.Pipeline.Arrival;

/// <summary>
/// A lab file whose arrival failed on every attempt the Functions host allows (<c>extensions.blobs.poisonBlobThreshold</c>,
/// 5 by default): the blob extension moves its trigger message to the <c>webjobs-blobtrigger-poison</c> queue of the
/// account the blob trigger's connection names (the lab data account), Base64-encoded, as indented JSON
/// <c>{"Type":"BlobTrigger","FunctionId":…,"BlobType":"BlockBlob","ContainerName":…,"BlobName":…,"ETag":…}</c>.
/// Without this the file would sit in <c>incoming/</c> with nothing in the ledger to say so. The file is recorded as
/// Failed (its record created if arrival never got that far), so it is listed by <c>GET /api/files?state=Failed</c>,
/// raises the poison alert, and is re-driven by a replay, which runs arrival again (see <see cref="LabFileReplayer"/>).
/// </summary>
public sealed class ArrivalPoisonHandler(
    ILabFileStore store,
    ILabFileLedger ledger,
    TimeProvider clock,
    ILogger<ArrivalPoisonHandler> logger)
{
    /// <summary>The reason a poisoned arrival's file record carries.</summary>
    public const string Reason =
        "the arrival function failed on every attempt the Functions host allows (storage, the ledger or the queue was unavailable, "
        + "or the function crashed); the file is still in incoming/: replay it once the cause is fixed";

    /// <summary>Records the poisoned file as Failed; false when there was nothing to record (gone, already further, not ours).</summary>
    public async Task<bool> HandleAsync(string message, CancellationToken cancellationToken)
    {
        if (BlobOf(message) is not var (labId, blobName))
        {
            PipelineLog.MalformedArrivalPoison(logger, message.Length);
            return false;
        }

        var incoming = new LabFileLocation(LabFileAreas.Incoming, $"{labId}/{blobName}");
        string hash;
        await using (var content = await store.OpenReadAsync(incoming, cancellationToken))
        {
            if (content is null)
            {
                // Moved on meanwhile (a later attempt or a replay archived it): nothing is lost.
                PipelineLog.ArrivalPoisonGone(logger, labId);
                return false;
            }

            hash = await LabFileIntake.HashAsync(_ => Task.FromResult(content), cancellationToken);
        }

        var fileId = LabFileIds.For(labId, hash);
        var existing = await ledger.FindFileAsync(fileId, cancellationToken);
        // Arrival got past Received (split, or finished as a duplicate or reject) before the host gave up: the
        // ledger already tells the truth.
        if (existing is not null && existing.State != FileState.Received) return false;

        var now = clock.GetUtcNow();
        var file = existing ?? LedgerFile.Received(fileId, labId, blobName, hash, now);
        await ledger.SaveFileAsync(
            file.Fail("Failed: arrival failed on every attempt", now) with { Problem = new LabFileProblem(SourcePosition.None, Reason) },
            cancellationToken);
        PipelineLog.ArrivalFailed(logger, fileId, labId);
        PipelineTelemetry.FileFailedAtArrival(labId);
        return true;
    }

    /// <summary>
    /// The lab and blob name of a poison message about <c>incoming/{labId}/{name}</c>, or null. The message is read
    /// as it arrives in either encoding: Base64 as the blob extension writes it (a queue trigger that decodes hands over
    /// the JSON) or the JSON itself (one that does not, as host.json's <c>messageEncoding: none</c> sets for every queue).
    /// </summary>
    internal static (string LabId, string BlobName)? BlobOf(string message)
    {
        if (JsonOf(message) is not { } json) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            var container = root.TryGetProperty("ContainerName", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var name = root.TryGetProperty("BlobName", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
            if (container != LabFileAreas.Incoming || string.IsNullOrEmpty(name)) return null;
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            return slash > 0 && slash < name.Length - 1 ? (name[..slash], name[(slash + 1)..]) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The message's JSON: itself when it is an object already, else its Base64 decoding; null when neither.</summary>
    private static byte[]? JsonOf(string message)
    {
        var text = message.AsSpan().Trim();
        if (text.IsEmpty) return null;
        if (text[0] == '{') return System.Text.Encoding.UTF8.GetBytes(text.ToString());
        var decoded = new byte[text.Length * 3 / 4];
        return Convert.TryFromBase64Chars(text, decoded, out var written) ? decoded[..written] : null;
    }
}
