using System.IO.Compression;
using System.Text;
using PrecisionMed.Core.Formats.Compression;
using PrecisionMed.Core.Tests.Formats.Vcf;

namespace PrecisionMed.Core.Tests.Formats.Compression;

[Trait("Tier", "Fast")]
public sealed class BgzfStreamTests
{
    [Theory]
    [InlineData("edge/vcfvalidator_multiblock_bgzf.vcf.gz")]
    [InlineData("edge/htslib_modhdr.vcf.gz")]
    [InlineData("vcf2fhir/vcf_example4.vcf.gz")]
    public void Read_BgzipFiles_SameBytesAsGZipStream(string name)
    {
        var compressed = File.ReadAllBytes(VcfTestFiles.PathOf(name));
        Assert.Equal(Sequential(compressed), ReadAll(new BgzfStream(new MemoryStream(compressed)), 7));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    public async Task ReadAsync_ManyBlocks_InFileOrder(int readAhead)
    {
        var text = Lines(20_000);
        var compressed = Bgzf(text, 5_000);
        await using var stream = new BgzfStream(new MemoryStream(compressed), readAhead);
        using var output = new MemoryStream();
        await stream.CopyToAsync(output, 4096, TestContext.Current.CancellationToken);
        Assert.Equal(text, output.ToArray());
    }

    [Fact]
    public void Read_PlainGzipMemberAfterBgzf_ReadsOnSequentially()
    {
        var first = Encoding.ASCII.GetBytes("##fileformat=VCFv4.2\n");
        var second = Encoding.ASCII.GetBytes("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
        using var plain = new MemoryStream();
        using (var gzip = new GZipStream(plain, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(second);
        var compressed = Bgzf(first, 64).Concat(plain.ToArray()).ToArray();
        Assert.Equal(first.Concat(second).ToArray(), ReadAll(new BgzfStream(new MemoryStream(compressed)), 5));
    }

    [Fact]
    public void Read_CorruptBlock_ThrowsInvalidData()
    {
        var compressed = Bgzf(Lines(2_000), 4_000);
        compressed[^36] ^= 0xFF; // the last data block's CRC-32 (the empty end-of-file member is the last 28 bytes)
        Assert.Throws<InvalidDataException>(() => Sequential(compressed));
        Assert.Throws<InvalidDataException>(() => ReadAll(new BgzfStream(new MemoryStream(compressed)), 4096));
    }

    [Fact]
    public void Read_TruncatedBlock_ThrowsInvalidData()
    {
        var compressed = Bgzf(Lines(2_000), 4_000);
        Assert.Throws<InvalidDataException>(() => ReadAll(new BgzfStream(new MemoryStream(compressed[..^10])), 4096));
    }

    private static byte[] ReadAll(Stream stream, int chunk)
    {
        using (stream)
        {
            using var output = new MemoryStream();
            var buffer = new byte[chunk];
            int read;
            while ((read = stream.Read(buffer)) > 0) output.Write(buffer, 0, read);
            return output.ToArray();
        }
    }

    private static byte[] Sequential(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        return ReadAll(gzip, 4096);
    }

    private static byte[] Lines(int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++) text.Append("chr1\t").Append(10_000 + i * 7).Append("\t.\tA\tG\t50\tPASS\tDP=").Append(i % 97).Append("\tGT\t0/1\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>BGZF as bgzip writes it: members of <paramref name="blockBytes"/> input bytes, then the empty end-of-file member.</summary>
    private static byte[] Bgzf(byte[] content, int blockBytes)
    {
        using var output = new MemoryStream();
        for (var offset = 0; offset < content.Length; offset += blockBytes) Member(output, content.AsSpan(offset, Math.Min(blockBytes, content.Length - offset)));
        Member(output, []);
        return output.ToArray();
    }

    private static void Member(MemoryStream output, ReadOnlySpan<byte> data)
    {
        using var deflated = new MemoryStream();
        using (var deflate = new DeflateStream(deflated, CompressionLevel.Fastest, leaveOpen: true)) deflate.Write(data);
        if (data.IsEmpty) deflated.Write([0x03, 0x00]); // DeflateStream writes nothing for no input; bgzip's end-of-file member has this empty block
        var size = 18 + (int)deflated.Length + 8 - 1;
        output.Write([0x1F, 0x8B, 0x08, 0x04, 0, 0, 0, 0, 0, 0xFF, 6, 0, (byte)'B', (byte)'C', 2, 0, (byte)size, (byte)(size >> 8)]);
        deflated.Position = 0;
        deflated.CopyTo(output);
        output.Write(BitConverter.GetBytes(Crc32(data)));
        output.Write(BitConverter.GetBytes(data.Length));
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }

        return ~crc;
    }
}
