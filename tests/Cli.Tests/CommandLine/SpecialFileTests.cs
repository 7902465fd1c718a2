using System.Net.Sockets;
using PrecisionMed.Cli.CommandLine;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>What the system says a path is, asked without opening it (a named pipe would wait for a writer).</summary>
[Trait("Tier", "Fast")]
public sealed class SpecialFileTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-special-");

    [Fact]
    public void KindOf_NamedPipeAndALinkToOne_ANamedPipe()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "statx is Linux's");
        var pipe = NamedPipes.Create(Path.Combine(_work.FullName, "pipe.vcf"));
        var link = Path.Combine(_work.FullName, "link.vcf");
        File.CreateSymbolicLink(link, pipe);

        Assert.Equal("a named pipe", SpecialFile.KindOf(pipe));
        Assert.Equal("a named pipe", SpecialFile.KindOf(link));
    }

    [Fact]
    public void KindOf_SocketAndCharacterDevice_Named()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "statx is Linux's");
        var path = Path.Combine(_work.FullName, "sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        Assert.Equal("a socket", SpecialFile.KindOf(path));
        Assert.Equal("a character device", SpecialFile.KindOf("/dev/null"));
    }

    [Fact]
    public void KindOf_RegularFileFolderOrNothing_Null()
    {
        var file = Path.Combine(_work.FullName, "a.vcf");
        File.WriteAllText(file, "x");

        Assert.Null(SpecialFile.KindOf(file));
        Assert.Null(SpecialFile.KindOf(_work.FullName));
        Assert.Null(SpecialFile.KindOf(Path.Combine(_work.FullName, "missing.vcf")));
    }

    public void Dispose() => _work.Delete(recursive: true);
}
