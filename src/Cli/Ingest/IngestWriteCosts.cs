using System.Globalization;

namespace PrecisionMed.Cli.Ingest;

/// <summary>
/// What the writes of <c>pmed ingest --fhir</c> took, summed over its units: the FHIR transactions, and the genomic index
/// entries written after them with the store requests they made (the index's cost over the FHIR write, per report).
/// </summary>
internal sealed class IngestWriteCosts
{
    private readonly Lock _gate = new();
    private int _fhirWrites;
    private TimeSpan _fhirTime;
    private int _indexEntries;
    private int _indexRequests;
    private TimeSpan _indexTime;

    public void AddFhirWrite(TimeSpan took)
    {
        lock (_gate)
        {
            _fhirWrites++;
            _fhirTime += took;
        }
    }

    public void AddIndexWrite(TimeSpan took, int entries, int storeRequests)
    {
        lock (_gate)
        {
            _indexEntries += entries;
            _indexRequests += storeRequests;
            _indexTime += took;
        }
    }

    /// <summary>The <c>--timings</c> fields (with a leading space), or nothing when no unit was written to FHIR.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            return _fhirWrites == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture,
                $" fhir_writes={_fhirWrites} fhir_write_seconds={_fhirTime.TotalSeconds:F3} index_entries={_indexEntries} index_write_seconds={_indexTime.TotalSeconds:F3} index_store_requests={_indexRequests}");
        }
    }
}
