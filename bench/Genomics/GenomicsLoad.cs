using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PrecisionMed.Bench.Genomics;

/// <summary>
/// Calls each of the IG's 17 operations over HTTP, as a clinician's app does, against a server holding the data of
/// <see cref="GenomicsData"/> (bench/genomic-operations.sh), one call at a time; prints per operation the latency p50/p95,
/// the store requests and FHIR reads each answer took (the server's X-Store-Requests and X-Fhir-Reads headers) and what
/// it found, so the figures can be checked as answers, not just timings.
/// </summary>
internal static class GenomicsLoad
{
    private const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 4)
        {
            Console.Error.WriteLine("usage: genomics-load API_URL FHIR_URL DATA_DIR [CALLS]");
            return 1;
        }

        using var api = new HttpClient { BaseAddress = new Uri(args[1].TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
        using var fhir = new HttpClient { BaseAddress = new Uri(args[2].TrimEnd('/') + "/") };
        var calls = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 100;
        // The local emulator answers a query by scanning its whole container, so subject answers slow as the index
        // grows there (not in Cosmos DB, whose partitions are indexed): fewer subject calls keep a run short.
        var subjectCalls = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : calls;
        var search = await fhir.GetFromJsonAsync<JsonObject>($"Patient?identifier={Uri.EscapeDataString(GenomicsData.SubjectIdentifierSystem + "|" + GenomicsData.SubjectIdentifier)}");
        var patient = "Patient/" + (string?)search?["entry"]?[0]?["resource"]?["id"];
        var (present, chromosome) = FirstVariant(Path.Combine(args[3], "subject", "subject-1.vcf"));
        var subject = "subject=" + Uri.EscapeDataString(patient);

        string[] queries =
        [
            $"find-subject-variants?{subject}&ranges={chromosome}:0-250000000&ranges=NC_000017.11:43000000-43100000",
            $"find-subject-variants?{subject}&ranges={chromosome}:0-{Start(present) + 1}&includeVariants=true",
            $"find-subject-specific-variants?{subject}&variants={present}&variants=NC_000017.11:43057064:C:T",
            $"find-subject-structural-intersecting-variants?{subject}&ranges={chromosome}:0-250000000",
            $"find-subject-structural-subsuming-variants?{subject}&ranges={chromosome}:1000000-2000000",
            $"find-subject-haplotypes?{subject}&genes=CYP2C9&genes=CYP2C19",
            $"find-subject-specific-haplotypes?{subject}&haplotypes=CYP2C9 *1/*3",
            $"find-subject-tx-implications?{subject}&treatments={RxNorm}|11289",
            $"find-subject-dx-implications?{subject}&conditions=http://snomed.info/sct|254843006",
            $"find-subject-molecular-consequences?{subject}&variants={present}",
            $"find-study-metadata?{subject}&testDateRange=ge2000-01-01",
            "find-population-specific-variants?variants=NC_000017.11:43057064:C:T&includePatientList=true",
            $"find-population-specific-variants?variants={present}",
            "find-population-structural-intersecting-variants?ranges=NC_000017.11:43000000-43100000",
            "find-population-structural-subsuming-variants?ranges=NC_000017.11:43000000-43100000",
            "find-population-specific-haplotypes?haplotypes=CYP2C9 *1/*3&includePatientList=true",
            $"find-population-tx-implications?treatments={RxNorm}|11289",
            "find-population-dx-implications?conditions=http://snomed.info/sct|254843006",
            "find-population-molecular-consequences?variants=NC_000017.11:43057064:C:T&featureConsequences=SO:0001587",
        ];

        Console.WriteLine($"genomics-load: {subjectCalls} calls per subject query, {calls} per population query, one at a time; subject has the 10,000-variant patient");
        Console.WriteLine($"{"operation",-50} {"p50 ms",8} {"p95 ms",8} {"max ms",8} {"store req",10} {"FHIR reads",10}  answer");
        var failed = 0;
        foreach (var query in queries)
        {
            var path = "genomics/$" + query.Replace(" ", "%20", StringComparison.Ordinal);
            (await CallAsync(api, path)).Dispose(); // warm
            var count = query.StartsWith("find-population", StringComparison.Ordinal) ? calls : subjectCalls;
            var times = new List<double>(count);
            var store = new SortedSet<int>();
            var reads = new SortedSet<int>();
            string answer = "";
            for (var i = 0; i < count; i++)
            {
                var clock = Stopwatch.StartNew();
                using var response = await CallAsync(api, path);
                var body = await response.Content.ReadAsStringAsync();
                times.Add(clock.Elapsed.TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    failed++;
                    answer = $"HTTP {(int)response.StatusCode}: {body[..Math.Min(200, body.Length)]}";
                    break;
                }

                store.Add(Header(response, "X-Store-Requests"));
                reads.Add(Header(response, "X-Fhir-Reads"));
                if (i == 0) answer = Summary(JsonNode.Parse(body)!.AsObject());
            }

            times.Sort();
            var name = query[..query.IndexOf('?', StringComparison.Ordinal)] + (query.Contains("includeVariants", StringComparison.Ordinal) ? " +resources" : "");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-50} {Percentile(times, 0.50),8:F1} {Percentile(times, 0.95),8:F1} {times[^1],8:F1} {Range(store),10} {Range(reads),10}  {answer}"));
        }

        return failed == 0 ? 0 : 1;
    }

    private static long Start(string spdi) => long.Parse(spdi.Split(':')[1], CultureInfo.InvariantCulture);

    private static Task<HttpResponseMessage> CallAsync(HttpClient api, string path) => api.GetAsync(path);

    private static int Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? int.Parse(values.First(), CultureInfo.InvariantCulture) : -1;

    private static string Range(SortedSet<int> values) => values.Count == 0 ? "-" : values.Min == values.Max ? $"{values.Min}" : $"{values.Min}-{values.Max}";

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>What the answer found: presences, numerators and how many resources it returned.</summary>
    private static string Summary(JsonObject parameters)
    {
        var text = parameters.ToJsonString();
        var presences = CountOf(text, "\"valueBoolean\":true");
        var resources = CountOf(text, "\"resource\":");
        var numerators = parameters["parameter"]!.AsArray().SelectMany(p => p?["part"]?.AsArray() ?? [])
            .Where(p => (string?)p?["name"] == "numerator").Select(p => p!["valueQuantity"]?["value"]?.ToString()).ToList();
        var denominator = parameters["parameter"]!.AsArray().SelectMany(p => p?["part"]?.AsArray() ?? [])
            .FirstOrDefault(p => (string?)p?["name"] == "denominator")?["valueQuantity"]?["value"]?.ToString();
        return numerators.Count > 0 ? $"numerator {string.Join('/', numerators)}" + (denominator is null ? "" : $" of {denominator}")
            : $"present {presences}, resources {resources}";
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>The first record's variant as SPDI on GRCh38 (chr1 is NC_000001.11), and its chromosome's accession.</summary>
    private static (string Spdi, string Chromosome) FirstVariant(string vcf)
    {
        var record = File.ReadLines(vcf).First(l => !l.StartsWith('#')).Split('\t');
        var accession = record[0] switch
        {
            "chr1" => "NC_000001.11",
            var other => throw new InvalidOperationException($"{vcf}: the first record is on {other}, expected chr1"),
        };
        return ($"{accession}:{long.Parse(record[1], CultureInfo.InvariantCulture) - 1}:{record[3]}:{record[4]}", accession);
    }
}
