namespace PrecisionMed.Tests.Tiers;

/// <summary>Every test of this assembly is in exactly one tier (<see cref="TestTiers"/>). xUnit runs the public classes only.</summary>
[Xunit.Trait(TestTiers.TraitName, "Fast")]
public sealed class TestTierTests
{
    [Xunit.Fact]
    public void EveryTestClass_HasExactlyOneTier()
    {
        var assembly = typeof(TestTierTests).Assembly;

        var problems = TestTiers.Problems(assembly, assembly.GetExportedTypes());

        Xunit.Assert.True(
            problems.Count == 0,
            $"""
            {problems.Count} test class(es) of {assembly.GetName().Name} not in exactly one tier. Mark each test class with
            [Trait("Tier", "Fast")] when its tests need no emulator, server or child process (./test.sh --fast runs these),
            else [Trait("Tier", "Stack")]:
              {string.Join(Environment.NewLine + "  ", problems)}
            """);
    }

    [Xunit.Fact]
    public void Problems_UntaggedDoublyTaggedAndUnknownTiers_AreNamedTaggedOnesPass()
    {
        Type[] samples = [typeof(Untagged), typeof(FastClass), typeof(StackClassWithAFastMethod), typeof(UnknownTier), typeof(FastSubclassOfAStackBase)];

        var problems = TestTiers.Problems(typeof(TestTierTests).Assembly, samples);

        Xunit.Assert.Equal(
            [
                $"{typeof(FastSubclassOfAStackBase).FullName}: 2 Tier traits (Fast, Stack): set one, on the class only",
                $"{typeof(StackClassWithAFastMethod).FullName}.Test: 2 Tier traits (Stack, Fast): set one, on the class only",
                $"{typeof(UnknownTier).FullName}: Tier \"Slow\", which is neither Fast nor Stack",
                $"{typeof(Untagged).FullName}: no Tier trait",
            ],
            problems);
    }

    // Not public, so xUnit does not run these: only the check above reads them.
#pragma warning disable xUnit1000 // Test classes must be public
    private sealed class Untagged
    {
        [Xunit.Fact]
        public void Test()
        {
        }
    }

    [Xunit.Trait(TestTiers.TraitName, "Fast")]
    private sealed class FastClass
    {
        [Xunit.Fact]
        public void Test()
        {
        }

        public static void NotATest()
        {
        }
    }

    [Xunit.Trait(TestTiers.TraitName, "Stack")]
    private sealed class StackClassWithAFastMethod
    {
        [Xunit.Fact]
        [Xunit.Trait(TestTiers.TraitName, "Fast")]
        public void Test()
        {
        }
    }

    [Xunit.Trait(TestTiers.TraitName, "Slow")]
    private sealed class UnknownTier
    {
        [Xunit.Theory]
        [Xunit.InlineData(1)]
        public void Test(int value) => Xunit.Assert.Equal(1, value);
    }

    [Xunit.Trait(TestTiers.TraitName, "Stack")]
    private abstract class StackBase
    {
        [Xunit.Fact]
        public void Test()
        {
        }
    }

    [Xunit.Trait(TestTiers.TraitName, "Fast")]
    private sealed class FastSubclassOfAStackBase : StackBase;
#pragma warning restore xUnit1000
}
