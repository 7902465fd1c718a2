using System.Diagnostics;
using PrecisionMed.Core.Formats.Vcf;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>
/// The reader against the reference implementation: for every corpus VCF (and every VCF of Debian's
/// htslib-test package, when installed) the records we parse - CHROM, POS, REF, ALT and each sample's GT -
/// equal <c>bcftools query</c>'s output row for row. bcftools must be installed (.ci/run installs it):
/// a missing oracle fails, it does not skip.
/// </summary>
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
        var compared = 0;
        foreach (var path in Directory.EnumerateFiles(HtslibTestFolder, "*.vcf", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Bcftools(path, withGenotypes: false) is null) continue; // htslib's deliberately broken inputs
            AssertSameAsBcftools(path);
            compared++;
        }

        Assert.True(compared > 10, $"only {compared} htslib-test VCFs were compared");
    }

    private static void AssertSameAsBcftools(string path)
    {
        var expected = Bcftools(path, withGenotypes: true);
        var withGenotypes = expected is not null;
        expected ??= Bcftools(path, withGenotypes: false);
        Assert.NotNull(expected);

        using var stream = VcfTestFiles.Open(path);
        var reader = VcfReader.Open(stream);
        var actual = VcfTestFiles.QueryRows(reader, withGenotypes);
        Assert.Equal(expected, actual);
        Assert.Equal(0, reader.MalformedCount);
    }

    /// <summary>bcftools query's rows, or null when it fails (no GT defined, or a file it rejects).</summary>
    private static List<string>? Bcftools(string path, bool withGenotypes)
    {
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
            if (process.ExitCode != 0 || errors.Contains("[E::", StringComparison.Ordinal) || errors.StartsWith("Error", StringComparison.Ordinal)) return null;
            return [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        }
    }
}
