using System.Reflection;

namespace PrecisionMed.Functions.Tests;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration this test assembly was built in, and so the Functions app too.</summary>
    public static string Configuration { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PrecisionMed.Serverless.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Cannot find the repository root (PrecisionMed.Serverless.sln) above " + AppContext.BaseDirectory);
    }
}
