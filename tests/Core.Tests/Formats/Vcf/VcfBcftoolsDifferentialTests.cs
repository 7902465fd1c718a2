using System.Diagnostics;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>
/// The reader against the reference implementation: for every corpus VCF (and every VCF of Debian's
/// htslib-test package, when installed) the records we parse - CHROM, POS, REF, ALT and each sample's GT -
/// equal <c>bcftools query</c>'s output row for row. bcftools must be installed (.ci/run installs it):
/// a missing oracle fails, it does not skip.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class VcfBcftoolsDifferentialTests
{
    private const string HtslibTestFolder = "/usr/share/htslib-test";

    /// <summary>Files bcftools 1.16 itself cannot read, with why; the reader's own tests cover them.</summary>
    private static readonly Dictionary<string, string> BcftoolsCannotRead = new(StringComparer.Ordinal)
    {
        ["edge/pysam_24_crlf_spaces_header.vcf"] = "its #CHROM line is space-separated; htslib refuses it",
        ["edge/pyvcf_example-4.1-bnd.vcf"] = "its #CHROM line is space-separated; htslib refuses it",
        ["edge/htslib_vcf44_1.vcf"] = "VCF 4.4 prefix phasing ('/0|1', '|0') is newer than bcftools 1.16",
        ["edge/pyvcf_strelka.vcf"] = "FORMAT values out of htslib's integer range make it stop",
    };

    /// <summary>
    /// htslib-test's *.vcf files bcftools refuses, with why (relative to <see cref="HtslibTestFolder"/>). Each is named
    /// in the test output; one bcftools refuses that is not listed here fails the test rather than dropping out.
    /// </summary>
    private static readonly Dictionary<string, string> HtslibTestNotVcf = new(StringComparer.Ordinal)
    {
        ["test/longrefs/index.expected1.vcf"] = "tabix's expected query output for the long-references test: records without a header",
        ["test/longrefs/index.expected2.vcf"] = "tabix's expected query output for the long-references test: records without a header",
    };

    public static TheoryData<string> CorpusFiles => new(VcfTestFiles.CorpusFiles().Where(f => !BcftoolsCannotRead.ContainsKey(f)));

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Query_CorpusFile_EqualsBcftools(string file)
    {
        AssertSameAsBcftools(VcfTestFiles.PathOf(file));
    }

    [Fact]
    public void Query_HtslibTestPackageFiles_EqualBcftools()
    {
        if (!Directory.Exists(HtslibTestFolder)) Assert.Fail($"{HtslibTestFolder} is missing: install the Debian package htslib-test (.ci/run does).");
        var output = TestContext.Current.TestOutputHelper;
        var files = Directory.EnumerateFiles(HtslibTestFolder, "*.vcf", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var compared = 0;
        var unexpected = new List<string>();
        foreach (var path in files)
        {
            var name = Path.GetRelativePath(HtslibTestFolder, path).Replace(Path.DirectorySeparatorChar, '/');
            if (Bcftools(path, withGenotypes: false, out var error) is null)
            {
                var why = HtslibTestNotVcf.GetValueOrDefault(name);
                output?.WriteLine($"not compared: {name}: bcftools refuses it ({error}); {why ?? "NOT a known refusal"}");
                if (why is null) unexpected.Add($"{name} ({error})");
                else AssertWeRejectToo(path);
                continue;
            }

            AssertSameAsBcftools(path);
            compared++;
        }

        output?.WriteLine($"compared with bcftools: {compared} of {files.Count} htslib-test VCFs");
        Assert.True(unexpected.Count == 0, "bcftools refuses htslib-test files that are not known refusals (list each with why): " + string.Join("; ", unexpected));
        Assert.Equal(files.Count - files.Count(f => HtslibTestNotVcf.ContainsKey(Path.GetRelativePath(HtslibTestFolder, f).Replace(Path.DirectorySeparatorChar, '/'))), compared);
        Assert.True(compared >= 10, $"only {compared} htslib-test VCFs were compared");
    }

    /// <summary>A file bcftools refuses is no VCF to us either: its header is rejected with a reason.</summary>
    private static void AssertWeRejectToo(string path)
    {
        using var stream = VcfTestFiles.Open(path);
        Assert.Throws<LabFileRejectedException>(() => VcfReader.Open(stream));
    }

    private static void AssertSameAsBcftools(string path)
    {
        var expected = Bcftools(path, withGenotypes: true, out _);
        var withGenotypes = expected is not null;
        expected ??= Bcftools(path, withGenotypes: false, out _);
        Assert.NotNull(expected);

        using var stream = VcfTestFiles.Open(path);
        var reader = VcfReader.Open(stream);
        var actual = VcfTestFiles.QueryRows(reader, withGenotypes);
        Assert.Equal(expected, actual);
        Assert.Equal(0, reader.MalformedCount);
    }

    /// <summary>bcftools query's rows, or null when it fails (no GT defined, or a file it rejects) with its first error line.</summary>
    private static List<string>? Bcftools(string path, bool withGenotypes, out string? error)
    {
        error = null;
        var format = withGenotypes ? "%CHROM\\t%POS\\t%REF\\t%ALT[\\t%GT]\\n" : "%CHROM\\t%POS\\t%REF\\t%ALT\\n";
        var start = new ProcessStartInfo("bcftools")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["query", "-f", format, path]) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("bcftools is not installed: install the Debian packages bcftools and tabix (.ci/run does).");
            throw;
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var errors = stderr.Result;
            if (process.ExitCode != 0 || errors.Contains("[E::", StringComparison.Ordinal) || errors.StartsWith("Error", StringComparison.Ordinal))
            {
                error = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit code {process.ExitCode}";
                return null;
            }

            return [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        }
    }
}
