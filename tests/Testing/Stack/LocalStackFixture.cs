using Xunit;

namespace PrecisionMed.Testing.Stack;

/// <summary>
/// xUnit v3 assembly fixture: one <see cref="LocalStack"/> for a test project's whole run. Declare
/// <c>[assembly: AssemblyFixture(typeof(LocalStackFixture))]</c> and take it in test class constructors.
/// The stack starts when a test first asks for <see cref="Stack"/>, not with the assembly: xUnit creates assembly
/// fixtures whenever any test of the assembly runs, and a run of the Fast tier alone (<c>./test.sh --fast</c>)
/// must not start emulators. If the stack cannot start, every test that asks for it fails with the start error.
/// </summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    private Lazy<Task<LocalStack>>? _start;

    /// <summary>The stack, started by the first test that asks (the others wait for that start).</summary>
    public LocalStack Stack => (_start ?? throw new InvalidOperationException("The fixture has not been initialized.")).Value.GetAwaiter().GetResult();

    public ValueTask InitializeAsync()
    {
        // The run's token, not the first test's: a test that times out must not cancel the start the others share.
        var runCancelled = TestContext.Current.CancellationToken;
        _start = new Lazy<Task<LocalStack>>(() => StartAsync(runCancelled), LazyThreadSafetyMode.ExecutionAndPublication);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_start is not { IsValueCreated: true } start) return;
        try
        {
            await (await start.Value).DisposeAsync();
        }
        catch (LocalStackStartException)
        {
            // It never started: StartAsync stopped whatever did.
        }
        catch (OperationCanceledException)
        {
            // The run was cancelled while the stack started: likewise.
        }
    }

    private static async Task<LocalStack> StartAsync(CancellationToken cancellationToken)
    {
        var stack = await LocalStack.StartAsync(cancellationToken);

        // Console.Error reaches the console when the test assembly runs as an executable; the diagnostic
        // message reaches runners with diagnosticMessages on.
        await Console.Error.WriteLineAsync(stack.ReadinessSummary);
        TestContext.Current.SendDiagnosticMessage(stack.ReadinessSummary);

        // test.sh collects every project's figures into one file and prints them with the totals.
        if (Environment.GetEnvironmentVariable("PMED_STACK_REPORT") is { Length: > 0 } report)
        {
            var project = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "tests";
            await File.AppendAllTextAsync(report, $"{project}: {stack.ReadinessSummary}{Environment.NewLine}", cancellationToken);
        }

        return stack;
    }
}
