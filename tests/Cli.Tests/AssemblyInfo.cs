using PrecisionMed.Testing.Stack;
using Xunit;

[assembly: AssemblyFixture(typeof(LocalStackFixture))]

// Most of these tests wait on something else (the local stack's servers, a pmed child process, a FHIR write), not on the
// CPU: four at a time on the two cores keeps the suite's longest lane (this project runs last) inside its time budget.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
