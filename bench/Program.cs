using BenchmarkDotNet.Running;
using PrecisionMed.Bench;

// dotnet run -c Release --project bench -- --filter '*'
// dotnet run -c Release --project bench -- knowledge-figures [ROWS] [--cosmos URL KEY]
if (args.Length > 0 && args[0] == "knowledge-figures") return await KnowledgeFigures.RunAsync(args[1..]);
// dotnet bench/bin/Release/net10.0/PrecisionMed.Bench.dll vcf-generate FILE RECORDS | vcf-scan FILE (bench/vcf-vs-bcftools.sh)
// dotnet bench/bin/Release/net10.0/PrecisionMed.Bench.dll hl7-alloc [ITERATIONS]: per-stage bytes and a rough rate
// dotnet bench/bin/Release/net10.0/PrecisionMed.Bench.dll alloc-types: the types the HL7 v2 mapping allocates most (sampled)
// dotnet bench/bin/Release/net10.0/PrecisionMed.Bench.dll worker-figures [ROUNDS] [OPS] [MESSAGE]: worker per report / builder per report, fastest rounds
if (args.Length > 0 && args[0] == "worker-figures") return await PrecisionMed.Bench.Worker.WorkerFigures.RunAsync(args);
// dotnet bench/bin/Release/net10.0/PrecisionMed.Bench.dll index-figures [ROUNDS] [OPS] [MESSAGE]: the worker's genomic index write per report
if (args.Length > 0 && args[0] == "index-figures") return await PrecisionMed.Bench.Worker.WorkerFigures.IndexAsync(args);
// dotnet bench/bin/Release/net10.0/PrecisionMed.Bench.dll worker-profile MESSAGE [SECONDS [builder]]: the worker (or the builder) alone, for a sampling profiler
if (args.Length > 0 && args[0] == "worker-profile") return await PrecisionMed.Bench.Worker.WorkerFigures.ProfileAsync(args);
// dotnet bench/bin/Release/net10.0/PrecisionMed.Bench.dll genomics-data DIR [PATIENTS] | genomics-load API_URL FHIR_URL [CALLS] (bench/genomic-operations.sh)
if (args.Length > 0 && args[0] == "genomics-data") return PrecisionMed.Bench.Genomics.GenomicsData.Run(args);
if (args.Length > 0 && args[0] == "genomics-load") return await PrecisionMed.Bench.Genomics.GenomicsLoad.RunAsync(args);
if (args.Length > 0 && args[0] == "alloc-types") return AllocTypes.Run(args);
// dotnet bench/bin/Release/net10.0/PrecisionMed.Bench.dll cds-hooks-load PMED_DLL [CALLS] [CONCURRENCY] (bench/cds-hooks.sh)
if (args.Length > 0 && args[0] == "cds-hooks-load") return await CdsHooksLoad.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "hl7-alloc") return AllocationFigures.Run(args);
if (args.Length > 0 && args[0].StartsWith("vcf-", StringComparison.Ordinal)) return VcfTools.Run(args);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
