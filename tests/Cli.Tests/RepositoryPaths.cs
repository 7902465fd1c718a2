namespace PrecisionMed.Cli.Tests;

/// <summary>The repository's root, found from the test assembly's folder (samples, test data and the seed live there).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PrecisionMed.Serverless.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Cannot find the repository root (PrecisionMed.Serverless.sln) above " + AppContext.BaseDirectory);
    }
}
