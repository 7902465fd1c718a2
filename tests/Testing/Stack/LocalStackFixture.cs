using Xunit;

namespace PrecisionMed.Testing.Stack;

/// <summary>
/// xUnit v3 assembly fixture: one <see cref="LocalStack"/> for a test project's whole run. Declare
/// <c>[assembly: AssemblyFixture(typeof(LocalStackFixture))]</c> and take it in test class constructors.
/// If the stack cannot start, every test in the assembly fails with the start error.
/// </summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    private LocalStack? _stack;

    public LocalStack Stack => _stack ?? throw new InvalidOperationException("The local stack has not been started.");

    public async ValueTask InitializeAsync()
    {
        _stack = await LocalStack.StartAsync(TestContext.Current.CancellationToken);

        // Console.Error reaches the console when the test assembly runs as an executable; the diagnostic
        // message reaches runners with diagnosticMessages on.
        await Console.Error.WriteLineAsync(_stack.ReadinessSummary);
        TestContext.Current.SendDiagnosticMessage(_stack.ReadinessSummary);

        // test.sh collects every project's figures into one file and prints them with the totals.
        if (Environment.GetEnvironmentVariable("PMED_STACK_REPORT") is { Length: > 0 } report)
        {
            var project = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "tests";
            await File.AppendAllTextAsync(report, $"{project}: {_stack.ReadinessSummary}{Environment.NewLine}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
