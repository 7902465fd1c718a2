using PrecisionMed.Testing.Stack;
using Xunit;

[assembly: AssemblyFixture(typeof(LocalStackFixture))]

// Most of these tests wait on something else (the local stack's servers, a pmed child process, a FHIR write), not on the
// CPU: four at a time on the two cores keeps this project, the suite's longest (test.sh runs every project at once), short.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
