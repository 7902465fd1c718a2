using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// Tests that set process environment variables (<c>pmed review</c> reads the function app's settings from them;
/// <c>$PMED_COSMOS_KEY</c> is a default of other commands): run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    /// <summary>Sets the variables until disposed, then puts back what was there.</summary>
    public static IDisposable Set(IReadOnlyDictionary<string, string?> variables)
    {
        var previous = variables.Keys.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        foreach (var (name, value) in variables) Environment.SetEnvironmentVariable(name, value);
        return new Restore(previous);
    }

    private sealed class Restore(Dictionary<string, string?> previous) : IDisposable
    {
        public void Dispose()
        {
            foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
        }
    }
}
