using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Formats.Fhir;
using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Documents;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Replay;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Pipeline;

public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the pipeline's Core services and the lab formats it reads. Ports (ledger, store,
    /// queue, FHIR writer) come from the adapters or, in tests, from fakes. The knowledge store defaults to the
    /// embedded seed; the Cosmos adapter replaces it when configured (<see cref="KnowledgeOptions.Store"/>).
    /// </summary>
    public static IServiceCollection AddPrecisionMedPipeline(this IServiceCollection services)
    {
        // Checked when first read (Program.cs may check at start): a wrong setting names itself, not a later symptom.
        services.AddOptions<PipelineOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidation>());
        services.AddOptions<LimitsOptions>();
        services.AddOptions<KnowledgeOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKnowledgeStore>(EmbeddedKnowledgeSeed.Instance);
        services.TryAddSingleton<KnowledgeLookup>();
        services.TryAddSingleton<ReportEnricher>();
        // Large documents go to the lab storage's documents/ area; a host without lab storage (pmed ingest) registers
        // its own IReportDocumentStore, and with neither they stay inline.
        services.TryAddSingleton(sp => new ReportDocumentOffloader(
            sp.GetRequiredService<IOptions<PipelineOptions>>(),
            sp.GetService<IReportDocumentStore>() ?? (sp.GetService<ILabFileStore>() is { } store ? new LabFileDocumentStore(store) : null)));
        services.TryAddSingleton(sp => new ReportUnitBuilder(sp.GetRequiredService<ReportEnricher>(), sp.GetRequiredService<ReportDocumentOffloader>()));
        services.TryAddSingleton<ReportUnitPipeline>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReportFormat, FhirBundleFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReportFormat, Hl7v2Format>());
        services.AddOptions<VcfOptions>();
        // The VCF path asks the same cached store the enricher reads: known variants and pharmacogene definitions.
        services.TryAddSingleton<IVariantKnowledge, StoreVariantKnowledge>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReportFormat, VcfFormat>());
        services.TryAddSingleton<LabFileIntake>();
        services.TryAddSingleton<LabFileFinisher>();
        services.TryAddSingleton<LabFileArrivalHandler>();
        services.TryAddSingleton<ReviewArea>();
        services.TryAddSingleton<PatientSafetyCheck>();
        services.TryAddSingleton<VcfIdentityWait>();
        services.TryAddSingleton<VcfManifestArrival>();
        services.TryAddSingleton<ReportReview>();
        services.TryAddSingleton<ReportUnitReader>();
        services.TryAddSingleton<OverwrittenFileHandler>();
        services.TryAddSingleton<IGenomicIndex, InMemoryGenomicIndex>();
        services.TryAddSingleton<GenomicIndexWriter>();
        services.TryAddSingleton<GenomicIndexRebuilder>();
        services.TryAddSingleton<ReportWorkHandler>();
        services.TryAddSingleton<PoisonWorkHandler>();
        services.TryAddSingleton<TransientRetryScheduler>();
        services.TryAddSingleton<ArrivalPoisonHandler>();
        services.TryAddSingleton<LabFileStatusReader>();
        services.TryAddSingleton<LabFileReplayer>();
        services.AddOptions<Reinterpretation.ReinterpretationOptions>();
        services.TryAddSingleton<Reinterpretation.KnowledgeDiffReader>();
        services.TryAddSingleton<Reinterpretation.ReportReinterpreter>();
        services.TryAddSingleton<Reinterpretation.ReinterpretationWorkHandler>();
        services.TryAddSingleton<Reinterpretation.ReinterpretationPoisonHandler>();
        services.TryAddSingleton<Reinterpretation.ReinterpretationPlanner>();
        services.TryAddSingleton<Reinterpretation.IReinterpretationLedger, Reinterpretation.InMemoryReinterpretationLedger>();
        services.TryAddSingleton<Reinterpretation.ReinterpretationReplayer>();
        return services;
    }
}
