using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;

namespace PrecisionMed.Validation.Packages;

/// <summary>
/// Installs FHIR packages from an npm registry into a <see cref="FhirPackageFolder"/>, once: a package already
/// there is used as it is, so only the first run needs the network. Each tarball is checked against the
/// integrity the lock file recorded before anything is unpacked, and a package appears in the folder only
/// when it is complete (unpacked beside it, then moved in), so an interrupted install leaves no half package.
/// </summary>
public sealed class FhirPackageInstaller(HttpClient http, Uri registry, TextWriter progress)
{
    /// <summary>npm's public registry, which serves the HL7 packages.</summary>
    public static Uri DefaultRegistry { get; } = new("https://registry.npmjs.org/");

    /// <summary>Each package's unpacked folder (holding package.json), installing those that are missing, in order.</summary>
    public async Task<IReadOnlyList<string>> EnsureInstalledAsync(
        FhirPackageFolder folder, IReadOnlyList<FhirPackage> packages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(packages);
        var folders = new List<string>(packages.Count);
        foreach (var package in packages)
        {
            folders.Add(folder.Find(package) ?? await InstallAsync(folder, package, cancellationToken));
        }

        return folders;
    }

    private async Task<string> InstallAsync(FhirPackageFolder folder, FhirPackage package, CancellationToken cancellationToken)
    {
        var url = package.TarballUrl(registry);
        Directory.CreateDirectory(folder.Root);
        await progress.WriteLineAsync($"pmed: installing FHIR package {package} from {url} into {folder.Root}");

        // Dot-prefixed names beside the target: on the same volume (so the final move is a rename) and never
        // taken for a package by FhirPackageFolder.
        var scratch = Path.Combine(folder.Root, $".{package.Name}#{package.Version}.{Path.GetRandomFileName()}");
        var tarball = scratch + ".tgz";
        try
        {
            var bytes = await DownloadAsync(package, url, tarball, cancellationToken);
            await UnpackAsync(package, url, tarball, scratch, cancellationToken);
            MoveIntoPlace(scratch, folder.InstallFolder(package), folder, package);
            await progress.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture, $"pmed: installed {package} ({bytes / 1024.0 / 1024.0:F1} MB downloaded)"));
        }
        finally
        {
            File.Delete(tarball);
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        return folder.Find(package)
            ?? throw new FhirPackageInstallException($"Cannot install {package}: the tarball from {url} holds no package/package.json.");
    }

    private async Task<long> DownloadAsync(FhirPackage package, Uri url, string tarball, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new FhirPackageInstallException($"Cannot install {package}: the npm registry is unreachable: GET {url}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FhirPackageInstallException($"Cannot install {package}: the npm registry did not answer in time: GET {url}", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new FhirPackageInstallException(
                    $"Cannot install {package}: GET {url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
            long length = 0;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                await using var file = File.Create(tarball);
                var buffer = new byte[81920];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    length += read;
                }
            }
            catch (HttpIOException ex)
            {
                throw new FhirPackageInstallException($"Cannot install {package}: the download from {url} broke off: {ex.Message}", ex);
            }

            var actual = "sha512-" + Convert.ToBase64String(hash.GetHashAndReset());
            if (!string.Equals(actual, package.Integrity, StringComparison.Ordinal))
            {
                throw new FhirPackageInstallException(
                    $"Cannot install {package}: the tarball from {url} fails its integrity check (expected {package.Integrity}, got {actual}).");
            }

            return length;
        }
    }

    // npm tarballs hold one top folder ("package/" by convention); whatever its name, it becomes package/ here.
    private static async Task UnpackAsync(FhirPackage package, Uri url, string tarball, string scratch, CancellationToken cancellationToken)
    {
        var packageRoot = Path.GetFullPath(Path.Combine(scratch, "package")) + Path.DirectorySeparatorChar;
        try
        {
            await using var file = File.OpenRead(tarball);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await using var tar = new TarReader(gzip);
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.Directory))
                {
                    continue;
                }

                var slash = entry.Name.IndexOf('/', StringComparison.Ordinal);
                var relative = slash < 0 ? string.Empty : entry.Name[(slash + 1)..];
                if (relative.Length == 0)
                {
                    continue;
                }

                var target = Path.GetFullPath(Path.Combine(packageRoot, relative));
                if (!target.StartsWith(packageRoot, StringComparison.Ordinal))
                {
                    throw new FhirPackageInstallException($"Cannot install {package}: the tarball from {url} has an entry outside its folder: {entry.Name}");
                }

                if (entry.EntryType == TarEntryType.Directory)
                {
                    Directory.CreateDirectory(target);
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await using var output = File.Create(target);
                if (entry.DataStream is { } data)
                {
                    await data.CopyToAsync(output, cancellationToken);
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new FhirPackageInstallException($"Cannot install {package}: the tarball from {url} is not a readable .tgz: {ex.Message}", ex);
        }
    }

    private static void MoveIntoPlace(string scratch, string target, FhirPackageFolder folder, FhirPackage package)
    {
        try
        {
            Directory.Move(scratch, target);
        }
        catch (IOException) when (folder.Find(package) is not null)
        {
            // Another pmed installed the same package meanwhile: theirs is complete, ours is dropped.
        }
    }
}
