namespace PrecisionMed.Testing.Stack;

/// <summary>
/// A local service could not be started: node or dev/node_modules is missing, the process exited, or it
/// did not answer in time. The message names the service, its command line, the reason and its last output.
/// </summary>
public sealed class LocalStackStartException : Exception
{
    public LocalStackStartException()
    {
    }

    public LocalStackStartException(string message)
        : base(message)
    {
    }

    public LocalStackStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
