using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrecisionMed.Adapters;
using PrecisionMed.Adapters.Telemetry;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Pipeline;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services
    .AddPrecisionMedPipeline()
    .AddPrecisionMedAdapters(builder.Configuration)
    .Configure<PipelineOptions>(builder.Configuration.GetSection(PipelineOptions.SectionName))
    .Configure<VcfOptions>(builder.Configuration.GetSection(VcfOptions.SectionName))
    .Configure<LimitsOptions>(builder.Configuration.GetSection(LimitsOptions.SectionName));
builder.Services.AddOpenTelemetry()
    .UseFunctionsWorkerDefaults()
    .AddPrecisionMedTelemetry(builder.Configuration);
builder.Build().Run();
