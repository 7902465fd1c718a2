using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrecisionMed.Adapters;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Pipeline;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services
    .AddPrecisionMedPipeline()
    .AddPrecisionMedAdapters(builder.Configuration)
    .Configure<VcfOptions>(builder.Configuration.GetSection(VcfOptions.SectionName))
    .Configure<LimitsOptions>(builder.Configuration.GetSection(LimitsOptions.SectionName));
builder.Build().Run();
