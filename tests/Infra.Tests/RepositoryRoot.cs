namespace PrecisionMed.Infra.Tests;

/// <summary>Finds the repository from the test binaries, which live under tests/*/bin/.</summary>
internal static class RepositoryRoot
{
    private const string SolutionFileName = "PrecisionMed.Serverless.sln";

    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder above {AppContext.BaseDirectory} holds {SolutionFileName}; run the tests from a clone of the repository.");
    }
}
