namespace PrecisionMed.Cli.CommandLine;

/// <summary>What <c>pmed</c>'s exit code means, the same for every command (listed in <c>pmed --help</c> and the README).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command line is wrong: an unknown option, a bad value, a missing argument or setting.</summary>
    public const int Usage = 1;

    /// <summary>The input was refused: a lab file rejected, a file id not in the ledger, a row not imported, a replay refused.</summary>
    public const int Rejected = 2;

    /// <summary>A service (FHIR, Cosmos DB, Storage) could not be reached, timed out or refused the request.</summary>
    public const int ServiceFailed = 3;

    /// <summary>Something failed that none of the above covers: a bug; <c>--verbose</c> shows the stack.</summary>
    public const int Unexpected = 4;

    /// <summary>Interrupted (Ctrl+C), as shells report a SIGINT.</summary>
    public const int Cancelled = 130;

    public const string Summary =
        "Exit codes: 0 done; 1 usage (bad option, value or setting); 2 input rejected; 3 a service unreachable or refusing; 4 unexpected (see --verbose).";
}
