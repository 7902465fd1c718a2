using PrecisionMed.Testing.Stack;
using Xunit;

[assembly: AssemblyFixture(typeof(LocalStackFixture))]
