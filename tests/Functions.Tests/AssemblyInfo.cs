using PrecisionMed.Testing.Stack;

// One real local stack (Azurite, Cosmos DB emulator server, FHIR dev server) for the whole run.
[assembly: AssemblyFixture(typeof(LocalStackFixture))]
