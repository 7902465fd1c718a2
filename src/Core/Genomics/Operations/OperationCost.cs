namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>
/// What answering one call cost: the store requests (and their request units) and the FHIR reads made on its behalf.
/// A scope of the call's async flow: the endpoint begins it, and the adapters that make the requests count into
/// whichever scope is current (none outside a call). The figures are counts only, so they can be logged and returned.
/// </summary>
public sealed class OperationCost
{
    private static readonly AsyncLocal<OperationCost?> Scope = new();

    private int _storeRequests;
    private long _requestMilliUnits;
    private int _fhirReads;

    /// <summary>The scope of the call in progress, if any.</summary>
    public static OperationCost? Current => Scope.Value;

    public int StoreRequests => Volatile.Read(ref _storeRequests);

    public double RequestUnits => Volatile.Read(ref _requestMilliUnits) / 1000d;

    public int FhirReads => Volatile.Read(ref _fhirReads);

    /// <summary>Begins counting for the rest of the caller's async flow (what it awaits, and what that starts).</summary>
    public static OperationCost Begin()
    {
        var cost = new OperationCost();
        Scope.Value = cost;
        return cost;
    }

    /// <summary>Counts one store request of <paramref name="requestUnits"/> into the current scope, if any.</summary>
    public static void CountStoreRequest(double requestUnits)
    {
        if (Scope.Value is not { } cost) return;
        Interlocked.Increment(ref cost._storeRequests);
        Interlocked.Add(ref cost._requestMilliUnits, (long)Math.Round(requestUnits * 1000));
    }

    /// <summary>Counts one FHIR read into the current scope, if any.</summary>
    public static void CountFhirRead()
    {
        if (Scope.Value is { } cost) Interlocked.Increment(ref cost._fhirReads);
    }
}
