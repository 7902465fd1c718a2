using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>
/// Evaluates the Genomics Reporting IG's operations over the genomic index. A subject operation reads the subject's
/// partition once (and the FHIR resources its answer returns); a population operation reads only the partitions its
/// inputs name, and the index's count of patients.
/// </summary>
public sealed class GenomicsOperations(IGenomicIndex index, IFhirResourceSource resources)
{
    /// <summary>Answers a parsed request (<see cref="OperationRequestParser"/>).</summary>
    public async Task<OperationResult> EvaluateAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Definition.IsSubjectOperation)
        {
            return await new PopulationOperations(index).EvaluateAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var reports = await index.ReadSubjectAsync(request.Subject!, cancellationToken).ConfigureAwait(false);
        if (reports.Count == 0)
        {
            return new OperationResult(null, new OperationError(OperationErrorKind.UnknownSubject, "subject", null, "the index holds no genomic results of the subject"));
        }

        var reader = new ResourceReader(resources);
        var answer = request.Operation switch
        {
            "find-study-metadata" => StudyMetadataOperation.Evaluate(request, reports),
            "find-subject-haplotypes" or "find-subject-specific-haplotypes" => await SubjectFindingOperations.HaplotypesAsync(request, reports, reader, cancellationToken).ConfigureAwait(false),
            "find-subject-tx-implications" or "find-subject-dx-implications" => await SubjectFindingOperations.ImplicationsAsync(request, reports, reader, cancellationToken).ConfigureAwait(false),
            "find-subject-molecular-consequences" => await SubjectFindingOperations.ConsequencesAsync(request, reports, reader, cancellationToken).ConfigureAwait(false),
            _ => await SubjectVariantOperations.EvaluateAsync(request, reports, reader, cancellationToken).ConfigureAwait(false),
        };
        return new OperationResult(answer, null);
    }
}
