using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Replay;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>
/// No PHI anywhere but FHIR (docs/design.md, "Reliability and security rules"): the whole HL7 v2, FHIR and (small) VCF corpus through the
/// pipeline, with logging at Trace; no patient name, birth date, identifier value, VCF sample name or HGVS string of the
/// inputs may appear in a log line, a metric's or trace's tags, a queue message, a notification, an error report's
/// reason, a held report's reason (review/) or the ledger's reasons.
/// </summary>
[Trait("Tier", "Fast")]
public sealed partial class NoPhiInOperationalOutputTests
{
    [Fact]
    public async Task WholeCorpus_LogsQueueMessagesNotificationsAndReasons_HoldNoPhi()
    {
        var ct = TestContext.Current.CancellationToken;
        using var telemetry = new TelemetryTags();
        using var harness = new PipelineHarness();
        var phi = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var codes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var files = CorpusFiles().ToList();
        foreach (var (name, content) in files)
        {
            // Values shorter than 4 characters (initials, "M") cannot be told apart from ordinary text, nor can the
            // word "Patient" (a test feed's placeholder name) from the field names that carry references.
            phi.UnionWith(PhiIn(name, content)
                .Where(v => v.Trim().Length >= 4 && !v.Equals("Patient", StringComparison.OrdinalIgnoreCase)));
            if (IsHl7(name)) codes.UnionWith(ObservationCodes(content));
            await harness.DropAsync(content, name);
        }

        // A test feed's placeholder MRN ("12345") is also another lab's local observation code; a code names a test,
        // not a person, and skip reasons may quote it.
        phi.ExceptWith(codes);

        // Every third unit goes the poison path first and is then replayed: replay results, unit histories and the
        // ledger listing are operational output too.
        var firstPass = harness.Queue.Messages.ToList();
        for (var i = 0; i < firstPass.Count; i++)
        {
            if (i % 3 == 0) await harness.Poison.HandleAsync(firstPass[i], ct);
            else await harness.Work.HandleAsync(firstPass[i], ct);
        }

        var replays = await harness.Replayer.ReplayAllAsync(new ReplayRequest("operator via pmed", "ticket OPS-1", "corr-replay"), ct);
        foreach (var message in harness.Queue.Messages.Skip(firstPass.Count).ToList()) await harness.Work.HandleAsync(message, ct);
        Assert.True(replays.Count >= 5, $"only {replays.Count} file(s) replayed");

        // Held reports too: every HL7 v2 file again with its patients born on another day (the PID's birth date is the
        // only change, so the new dates count as PHI as well), each held against the Patient the first pass created.
        var queued = harness.Queue.Messages.Count;
        foreach (var (name, content) in files.Where(f => IsHl7(f.Name)))
        {
            var reborn = Hl7Pid.With(content, (7, "19010101"));
            phi.Add("19010101");
            await harness.DropAsync(reborn, name + ".reborn");
        }

        var outcomes = new List<WorkOutcome>();
        foreach (var message in harness.Queue.Messages.Skip(queued).ToList()) outcomes.Add(await harness.Work.HandleAsync(message, ct));
        Assert.True(outcomes.Count(o => o == WorkOutcome.Held) >= 10, $"only {outcomes.Count(o => o == WorkOutcome.Held)} report(s) held");

        var haystack = new List<string>(telemetry.Tags);
        haystack.AddRange(replays.Select(r => JsonSerializer.Serialize(r)));
        var listing = await harness.StatusReader.ListAsync(state: null, LabFileStatusReader.MaxPageSize, continuation: null, ct);
        haystack.AddRange(listing.Files.Select(f => JsonSerializer.Serialize(f)));
        haystack.AddRange(harness.Logs.Messages);
        // Queue messages name no file: labs build names from sample ids (NB6TK328_filtered.vcf), so the claim check
        // carries the file id and the handler reads the name from the ledger.
        haystack.AddRange(harness.Queue.Messages);
        // The accession is part of the notification's contract: a lab that builds its order numbers from the MRN
        // (lfh_ORU-multiline-short-mixed: FON_<mrn>) puts it there itself; everything else must be clean.
        haystack.AddRange(harness.Notifier.Published.Select(n => (n with { Accession = string.Empty }).ToJson()));
        foreach (var location in harness.Store.Locations.Where(l => l.EndsWith(".error.json", StringComparison.Ordinal)))
        {
            var report = LabFileErrorReport.Parse(harness.Store.Get(LocationOf(location)))!;
            haystack.Add(report.Reason);
            haystack.AddRange(report.Units?.Select(u => u.Reason) ?? []);
        }

        foreach (var held in await harness.Review.ListAsync(ct))
        {
            haystack.Add(held.Reason);
            haystack.AddRange(held.Fields);
            // Its accession and file path are the lab's own names, kept for the reviewer beside the copy of the file.
            haystack.Add(Encoding.UTF8.GetString((held with { Accession = null, File = string.Empty }).ToUtf8Json()));
        }

        foreach (var file in harness.Ledger.Files)
        {
            haystack.Add(file.Problem?.ToString() ?? string.Empty);
            haystack.AddRange(file.History.Select(h => h.What));
            foreach (var unit in await harness.Ledger.ListUnitsAsync(file.FileId, ct))
            {
                haystack.Add(unit.Problem?.ToString() ?? string.Empty);
                haystack.AddRange(unit.Skipped.Select(s => s.ToString()));
                haystack.AddRange(unit.History.Select(h => h.What));
            }
        }

        Assert.True(files.Count >= 40, $"only {files.Count} corpus files");
        Assert.True(telemetry.Tags.Count > 100, "no metric or trace tags were seen: the listeners are broken");
        Assert.True(phi.Count >= 50, $"only {phi.Count} PHI strings found in the inputs: the extractor is broken");
        Assert.True(haystack.Count > 100, "the pipeline said almost nothing: the test would prove nothing");
        // Hashes, GUIDs and W3C trace ids are hex made by the pipeline or at random (a trace id is new each run): a
        // short PHI value such as an MRN "1007" can occur inside one by chance, which is no leak.
        var leaks = (from text in haystack.Select(t => GeneratedHexPattern().Replace(t, "<id>"))
                     from value in phi
                     where text.Contains(value, StringComparison.OrdinalIgnoreCase)
                     select $"'{value}' in: {text}")
            .Take(20).ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    private static IEnumerable<(string Name, byte[] Content)> CorpusFiles()
    {
        foreach (var folder in (string[])["hl7v2/authored", "hl7v2/general-lab", "hl7v2/genomic"])
        {
            foreach (var path in Directory.EnumerateFiles(TestFiles.PathOf(folder)).Where(p => p.EndsWith(".hl7", StringComparison.Ordinal) || p.EndsWith(".txt", StringComparison.Ordinal)).Order())
                yield return ($"{folder}/{Path.GetFileName(path)}", File.ReadAllBytes(path));
        }

        foreach (var name in TestFiles.IgExampleNames) yield return ($"fhir/{name}", TestFiles.IgExample(name));

        // The VCF corpus's small files (the large ones add time, not kinds of output): sample names identify people.
        foreach (var folder in (string[])["vcf/vcf2fhir", "vcf/edge", "vcf/pgx", "vcf/annotated"])
        {
            foreach (var path in Directory.EnumerateFiles(TestFiles.PathOf(folder)).Where(p => p.EndsWith(".vcf", StringComparison.Ordinal) && new FileInfo(p).Length <= 300_000).Order())
                yield return ($"{folder}/{Path.GetFileName(path)}", File.ReadAllBytes(path));
        }
    }

    private static bool IsHl7(string name) => name.StartsWith("hl7v2/", StringComparison.Ordinal);

    private static IEnumerable<string> PhiIn(string name, byte[] content) =>
        name.StartsWith("fhir/", StringComparison.Ordinal) ? PhiInBundle(content)
        : name.StartsWith("vcf/", StringComparison.Ordinal) ? PhiInVcf(content)
        : PhiInHl7(content);

    /// <summary>The sample names of the #CHROM line, and HGVS expressions (ANN/CSQ).</summary>
    private static IEnumerable<string> PhiInVcf(byte[] content)
    {
        var text = Encoding.UTF8.GetString(content);
        var header = text.Split('\n').FirstOrDefault(l => l.StartsWith("#CHROM", StringComparison.Ordinal));
        // Column names (a header cut short or spaced oddly) and the placeholder "Sample" name no one.
        string[] notNames = ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", "Sample"];
        foreach (var sample in header?.TrimEnd('\r').Split('\t', ' ').Skip(9) ?? [])
        {
            if (!notNames.Contains(sample, StringComparer.OrdinalIgnoreCase)) yield return sample;
        }

        foreach (var hgvs in Hgvs(text)) yield return hgvs;
    }

    /// <summary>Every tag of every PrecisionMed metric measurement and trace activity while the test runs.</summary>
    private sealed class TelemetryTags : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _meters = new();
        private readonly System.Diagnostics.ActivityListener _activities;
        private readonly List<string> _tags = [];

        public TelemetryTags()
        {
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name.StartsWith("PrecisionMed", StringComparison.Ordinal)) listener.EnableMeasurementEvents(instrument);
            };
            _meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Add(instrument.Name, tags));
            _meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Add(instrument.Name, tags));
            _meters.Start();
            _activities = new System.Diagnostics.ActivityListener
            {
                ShouldListenTo = source => source.Name.StartsWith("PrecisionMed", StringComparison.Ordinal),
                Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    lock (_tags) _tags.Add($"{activity.OperationName} {activity.StatusDescription}: " + string.Join(", ", activity.TagObjects.Select(t => $"{t.Key}={t.Value}")));
                },
            };
            System.Diagnostics.ActivitySource.AddActivityListener(_activities);
        }

        public IReadOnlyList<string> Tags
        {
            get
            {
                lock (_tags) return [.. _tags];
            }
        }

        public void Dispose()
        {
            _meters.Dispose();
            _activities.Dispose();
        }

        private void Add(string instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var text = new StringBuilder(instrument).Append(':');
            foreach (var tag in tags) text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            lock (_tags) _tags.Add(text.ToString());
        }
    }

    /// <summary>PID-2/PID-3 identifier values, PID-5 name parts, PID-7 birth date, and HGVS expressions.</summary>
    private static IEnumerable<string> PhiInHl7(byte[] content)
    {
        var text = Encoding.UTF8.GetString(content);
        foreach (var segment in text.Split('\r', '\n').Where(s => s.StartsWith("PID|", StringComparison.Ordinal)))
        {
            var fields = segment.Split('|');
            string Field(int n) => fields.Length > n ? fields[n] : string.Empty;
            foreach (var repetition in Field(2).Split('~').Concat(Field(3).Split('~'))) yield return repetition.Split('^')[0];
            foreach (var part in Field(5).Split('~').SelectMany(n => n.Split('^').Take(3))) yield return part;
            if (Field(7).Length >= 8) yield return Field(7)[..8];
        }

        foreach (var hgvs in Hgvs(text)) yield return hgvs;
    }

    private static IEnumerable<string> ObservationCodes(byte[] content) =>
        Encoding.UTF8.GetString(content).Split('\r', '\n')
            .Where(s => s.StartsWith("OBX|", StringComparison.Ordinal))
            .Select(s => s.Split('|'))
            .Where(f => f.Length > 3)
            .Select(f => f[3].Split('^')[0]);

    private static IEnumerable<string> PhiInBundle(byte[] content)
    {
        var bundle = JsonNode.Parse(content)!;
        foreach (var resource in (bundle["entry"]?.AsArray() ?? []).Select(e => e?["resource"]).OfType<JsonObject>())
        {
            if ((string?)resource["resourceType"] != "Patient") continue;
            foreach (var name in resource["name"]?.AsArray() ?? [])
            {
                if ((string?)name?["family"] is { } family) yield return family;
                foreach (var given in name?["given"]?.AsArray() ?? []) yield return (string)given!;
            }

            if ((string?)resource["birthDate"] is { } birthDate) yield return birthDate;
            foreach (var identifier in resource["identifier"]?.AsArray() ?? [])
            {
                if ((string?)identifier?["value"] is { } value) yield return value;
            }
        }

        foreach (var hgvs in Hgvs(Encoding.UTF8.GetString(content))) yield return hgvs;
    }

    private static IEnumerable<string> Hgvs(string text) =>
        HgvsPattern().Matches(text).Select(m => m.Value).Where(v => v.Length >= 8);

    private static LabFileLocation LocationOf(string location)
    {
        var slash = location.IndexOf('/', StringComparison.Ordinal);
        return new(location[..slash], location[(slash + 1)..]);
    }

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}", RegexOptions.IgnoreCase)]
    private static partial Regex GeneratedHexPattern();

    [GeneratedRegex(@"\b(?:N[MCGPR]|ENS[TP]|LRG)_?[0-9]+(?:\.[0-9]+)?:[cgpnmr]\.[A-Za-z0-9_>*+\-\[\];()=]+")]
    private static partial Regex HgvsPattern();
}
