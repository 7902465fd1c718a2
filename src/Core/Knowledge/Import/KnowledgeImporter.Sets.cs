using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace PrecisionMed.Core.Knowledge.Import;

// Sources read as a set of files (a folder or a zip): the guideline packages, CPIC's alert workbooks.
public sealed partial class KnowledgeImporter
{
    public static IKnowledgeSetReader SetReaderFor(KnowledgeSource source) => source switch
    {
        KnowledgeSource.PharmCatGuidelines => new PharmCatGuidelineReader(),
        KnowledgeSource.CpicAlerts => new CpicAlertReader(),
        KnowledgeSource.RxNorm => new RxNormReader(),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "this source is one file, not a set"),
    };

    /// <summary>
    /// Imports a set of files as one source: each file is hashed as the reader reads it, and the set's identity in the
    /// version document is the hash of its names and file hashes, so the same files as a folder or as a zip are the
    /// same version.
    /// </summary>
    /// <param name="setName">The folder's or zip's name, recorded in the version document.</param>
    public async Task<ImportResult> ImportSetAsync(
        KnowledgeSource source,
        IReadOnlyList<KnowledgeSourceFile> files,
        string setName,
        int maxConcurrency = 16,
        IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        var diagnostics = new ImportDiagnostics(setName);
        var fromVersion = await CurrentVersionAsync(cancellationToken);
        var recorder = RecorderFor(source);
        var hashes = new List<(string Name, string Sha256)>();
        var reader = SetReaderFor(source);
        var read = reader.ReadAsync(OpenAsync([.. files.Where(f => reader.Reads(f.Name))], hashes, cancellationToken), diagnostics, cancellationToken);
        var (documents, written) = await WriteAsync(read, maxConcurrency, progress, recorder, cancellationToken);
        RefuseEmpty(source, setName, documents, diagnostics);

        var stamp = new KnowledgeSourceStamp(KnowledgeSources.NameOf(source), setName, SetSha256(hashes), documents);
        var (version, versionWritten) = await StampVersionAsync(stamp, cancellationToken);
        var diff = await RecordDiffAsync(recorder, source, setName, fromVersion, version, cancellationToken);
        return new ImportResult(source, setName, documents, written, documents - written, version, versionWritten, diagnostics, diff);
    }

    /// <summary>The files in name order, each hashed as read (and drained once the reader moves on).</summary>
    private static async IAsyncEnumerable<KnowledgeSetEntry> OpenAsync(
        IReadOnlyList<KnowledgeSourceFile> files, List<(string Name, string Sha256)> hashes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            await using var raw = file.Open();
            using var hashing = new HashingReadStream(raw);
            await using var content = await DecompressedAsync(hashing, cancellationToken);
            yield return new KnowledgeSetEntry(file.Name, content);
            await hashing.DrainAsync(cancellationToken);
            hashes.Add((file.Name, hashing.Sha256()));
        }
    }

    private static string SetSha256(List<(string Name, string Sha256)> hashes) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(hashes.Select(h => $"{h.Name}\t{h.Sha256}\n")))));
}
