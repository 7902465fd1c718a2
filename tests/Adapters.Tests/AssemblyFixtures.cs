using PrecisionMed.Testing.Stack;
using Xunit;

// One real local stack (Azurite, cosmosdb-server, FHIR dev server) for the whole test run.
[assembly: AssemblyFixture(typeof(LocalStackFixture))]
