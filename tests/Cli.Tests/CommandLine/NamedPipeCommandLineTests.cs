using PrecisionMed.Cli.CommandLine;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// <c>pmed validate</c>, <c>pmed knowledge import</c> and <c>pmed knowledge diff</c> never open a named pipe, as <c>pmed ingest</c>
/// does not (<see cref="InputErrorCommandLineTests"/>): reading one waits for a writer, for ever when there is none. In a folder
/// it is skipped with a line on stderr; named itself it is rejected unread (exit 2).
/// </summary>
[Trait("Tier", "Fast")]
public sealed class NamedPipeCommandLineTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-cli-pipe-");

    private static string Packages => Path.Combine(RepositoryPaths.Root, "tests", "fhir-packages", "node_modules");

    private static string Guidelines => Path.Combine(RepositoryPaths.Root, "src", "Core", "Knowledge", "Seed", "pgx", "guidelines");

    [Fact]
    public async Task Validate_FolderHoldsANamedPipe_SkipsItUnreadAndValidatesTheRest()
    {
        NamedPipes.SkipUnlessSupported();
        var folder = _work.CreateSubdirectory("bundles");
        File.Copy(Path.Combine(RepositoryPaths.Root, "samples", "Bundle-bundle-cgexample.json"), Path.Combine(folder.FullName, "Bundle-bundle-cgexample.json"));
        var pipe = NamedPipes.Create(Path.Combine(folder.FullName, "pipe.json"));

        var run = await NamedPipes.Bounded(Pmed.RunAsync("validate", folder.FullName, "--packages", Packages));

        Assert.Equal([$"pmed validate: {pipe}: skipped: a named pipe, not a regular file; it was not read"], run.StderrLines);
        Assert.Contains("pmed validate: 1 file(s), ", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("pipe.json", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_NamedPipeNamedItself_ExitsTwoRejectedUnread()
    {
        NamedPipes.SkipUnlessSupported();
        var pipe = NamedPipes.Create(Path.Combine(_work.FullName, "pipe.json"));

        var run = await NamedPipes.Bounded(Pmed.RunAsync("validate", pipe, "--packages", Packages));

        Assert.True(run.Exit == ExitCodes.Rejected, run.ToString());
        Assert.Contains($"{pipe}: (file): error: (file): a named pipe, not a regular file; it was not read", run.Stdout, StringComparison.Ordinal);
        Assert.Empty(run.StderrLines);
    }

    [Fact]
    public async Task KnowledgeImportAndDiff_FolderHoldsANamedPipe_SkipIt()
    {
        NamedPipes.SkipUnlessSupported();
        var folder = _work.CreateSubdirectory("guidelines");
        foreach (var file in Directory.EnumerateFiles(Guidelines)) File.Copy(file, Path.Combine(folder.FullName, Path.GetFileName(file)));
        var pipe = NamedPipes.Create(Path.Combine(folder.FullName, "CPIC_zz_pipe.json"));

        var import = await NamedPipes.Bounded(Pmed.RunAsync("knowledge", "import", "pharmcat-guidelines", folder.FullName));
        var diff = await NamedPipes.Bounded(Pmed.RunAsync("knowledge", "diff", Guidelines, folder.FullName, "--source", "pharmcat-guidelines"));

        Assert.True(import.Exit == ExitCodes.Ok, import.ToString());
        Assert.Equal([$"pmed knowledge import: {pipe}: skipped: a named pipe, not a regular file; it was not read"], import.StderrLines);
        Assert.Contains(" 0 rows not imported", import.Stdout, StringComparison.Ordinal);
        Assert.True(diff.Exit == ExitCodes.Ok, diff.ToString());
        Assert.Equal([$"pmed knowledge diff: {pipe}: skipped: a named pipe, not a regular file; it was not read"], diff.StderrLines);
    }

    [Fact]
    public async Task KnowledgeImportAndDiff_NamedPipeNamedItself_ExitTwoRejectedUnread()
    {
        NamedPipes.SkipUnlessSupported();
        var pipe = NamedPipes.Create(Path.Combine(_work.FullName, "variant_summary.txt"));

        var import = await NamedPipes.Bounded(Pmed.RunAsync("knowledge", "import", "clinvar", pipe));
        var diff = await NamedPipes.Bounded(Pmed.RunAsync("knowledge", "diff", pipe, pipe));

        Assert.True(import.Exit == ExitCodes.Rejected, import.ToString());
        Assert.Equal([$"pmed knowledge import: {pipe}: rejected: a named pipe, not a regular file; it was not read"], import.StderrLines);
        Assert.True(diff.Exit == ExitCodes.Rejected, diff.ToString());
        Assert.Equal([$"pmed knowledge diff: {pipe}: rejected: a named pipe, not a regular file; it was not read"], diff.StderrLines);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
