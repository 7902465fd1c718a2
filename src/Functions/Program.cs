using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using PrecisionMed.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
AppHost.Configure(builder);
builder.Build().Run();
