using System.Text;
using PrecisionMed.Core.Fhir;

namespace PrecisionMed.Core.Tests.Fhir;

[Trait("Tier", "Fast")]
public sealed class Utf8BundlesTests
{
    [Theory]
    [InlineData(1_000)] // from the shared pool, rounded up to a power of two
    [InlineData(3_000_000)] // a VCF report's size: allocated to its length, not rounded up to 4 MB
    public void Allocate_SmallFromThePoolLargeToItsLength_ReplaceAndDisposeWork(int length)
    {
        var buffer = Utf8Bundles.Allocate(length);
        Assert.Equal(length > 1024 * 1024 ? length : 1024, buffer.Length);
        var bundle = Encoding.UTF8.GetBytes($$"""{"status":"final","pad":"{{new string('x', length - 32)}}"}""");
        bundle.CopyTo(buffer, 0);
        var bundles = new Utf8Bundles(buffer, [0, bundle.Length]);

        bundles.Replace(11, "final".Length, "amended"u8);

        Assert.StartsWith("""{"status":"amended","pad":"xxx""", Encoding.UTF8.GetString(bundles[0]), StringComparison.Ordinal);
        Assert.Equal(bundle.Length + 2, bundles[0].Length);
        bundles.Dispose();
        bundles.Dispose();
        Assert.Throws<ObjectDisposedException>(() => bundles.Memory(0));
    }
}
