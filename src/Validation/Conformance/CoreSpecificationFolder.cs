using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace PrecisionMed.Validation.Conformance;

/// <summary>
/// The FHIR R4 core specification's conformance resources (StructureDefinitions, ValueSets, CodeSystems, NamingSystems)
/// from the SDK's specification.zip (the Hl7.Fhir.Specification.Data.R4 package), as one JSON file a resource in a
/// folder that <see cref="ConformanceFolderSource"/> reads: written once per machine and zip, then only read.
/// </summary>
/// <remarks>
/// The zip holds the core as large XML bundles (profiles-resources.xml alone is 20 MB). Read through the SDK's
/// ZipSource, every process indexed them all and streamed a bundle up to each resource it needed: most of the 15 s
/// that building a validator and validating a first report took. Converting them once makes that a read of a few
/// small files. The folder is written beside it under another name and then renamed into place, so a process never
/// sees half a folder, and two processes converting at once both end with a whole one.
/// </remarks>
public static class CoreSpecificationFolder
{
    // The bundles that hold the core's conformance resources; search parameters, concept maps and the schemas are
    // not needed to validate.
    private static readonly string[] Bundles =
    [
        "profiles-types.xml", "profiles-resources.xml", "profiles-others.xml", "extension-definitions.xml",
        "valuesets.xml", "v3-codesystems.xml", "v2-tables.xml", "namingsystem-registry.xml",
    ];

    private static readonly HashSet<string> KeptTypes = ["StructureDefinition", "ValueSet", "CodeSystem", "NamingSystem"];

    // Changes when what the folder holds or how it is written changes, so that an older folder is not read.
    private const string FormatVersion = "3";

    /// <summary>Marks a whole folder: written last, before the rename.</summary>
    public const string CompleteMarker = ".complete";

    /// <summary>The SDK's specification.zip, where ZipSource.CreateValidationSource() finds it: beside the application.</summary>
    public static string SpecificationZip => Path.Combine(AppContext.BaseDirectory, "specification.zip");

    /// <summary>
    /// The folder of converted resources for <paramref name="zipPath"/> under <paramref name="cacheRoot"/> (when null, the
    /// user's cache folder, <see cref="UserCacheFolder"/>), converting the zip first when no whole folder is there. A
    /// folder is whole when its marker names as many files as it holds; any other is set aside and converted again.
    /// </summary>
    /// <exception cref="IOException">The zip cannot be read, the folder cannot be written, or the user has no cache folder
    /// (the shared temp folder is not used: another account could put files there under the name read).</exception>
    public static string Ensure(string zipPath, string? cacheRoot = null) => Ensure(zipPath, cacheRoot, Convert);

    /// <summary><see cref="Ensure(string, string?)"/> with the conversion given (zip path, folder to fill): for tests of the folder's handling.</summary>
    internal static string Ensure(string zipPath, string? cacheRoot, Action<string, string> convert)
    {
        var zip = new FileInfo(zipPath);
        if (!zip.Exists) throw new FileNotFoundException($"The FHIR core specification zip is missing: {zipPath}", zipPath);
        var root = cacheRoot ?? UserCacheFolder.Root() ?? throw new IOException("The user has no cache folder to keep the converted FHIR core specification in.");
        var folder = Path.Combine(root, $"fhir-r4-core-{Key(zip)}");
        if (IsWhole(folder)) return folder;

        var staging = $"{folder}.{Guid.NewGuid():N}.partial";
        try
        {
            Directory.CreateDirectory(staging); // and the cache folder above it
            convert(zip.FullName, staging);
            File.WriteAllText(Path.Combine(staging, CompleteMarker), Directory.GetFiles(staging, "*.json").Length.ToString(CultureInfo.InvariantCulture));

            // A folder that is not whole (damage: a file lost, or no marker) is renamed aside first, then deleted: a
            // process that checks the folder at the same moment finds it whole or absent, never half deleted.
            if (Directory.Exists(folder) && !IsWhole(folder))
            {
                var aside = $"{folder}.{Guid.NewGuid():N}.damaged";
                Directory.Move(folder, aside);
                Directory.Delete(aside, recursive: true);
            }

            Directory.Move(staging, folder);
        }
        catch (IOException) when (IsWhole(folder))
        {
            // Another process moved its whole folder into place first: that one serves.
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }

        return folder;
    }

    /// <summary>The folder has its marker, and the marker's count of files is the number it holds.</summary>
    private static bool IsWhole(string folder)
    {
        try
        {
            var marker = Path.Combine(folder, CompleteMarker);
            return File.Exists(marker)
                && int.TryParse(File.ReadAllText(marker), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                && count > 0 && Directory.GetFiles(folder, "*.json").Length == count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // The zip's size and time and the SDK's version: a new SDK (or zip) gets a new folder, never an old one's files.
    private static string Key(FileInfo zip)
    {
        var sdk = typeof(Resource).Assembly.GetName().Version;
        var text = $"{FormatVersion}|{sdk}|{zip.Length}|{zip.LastWriteTimeUtc.Ticks}";
        return System.Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    private static void Convert(string zipPath, string folder)
    {
        var xml = new FhirXmlDeserializer(new DeserializerSettings());
        var json = new FhirJsonSerializer();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true };
        using var archive = ZipFile.OpenRead(zipPath);
        foreach (var name in Bundles)
        {
            var entry = archive.GetEntry(name) ?? throw new IOException($"The FHIR core specification zip {zipPath} has no {name}.");
            using var stream = entry.Open();
            using var reader = XmlReader.Create(stream, settings);

            // Leniently, as ZipSource read them: the published bundles have values with surrounding white space,
            // which the strict reader refuses; the values are kept as they are.
            xml.TryDeserializeResource(reader, out var read, out _);
            if (read is not Bundle bundle) throw new IOException($"{name} in {zipPath} is not a FHIR Bundle.");
            foreach (var resource in bundle.Entry.Select(e => e.Resource).OfType<Resource>().Where(r => KeptTypes.Contains(r.TypeName)))
            {
                // CreateNew: two resources of one type and id would otherwise leave one of them behind unnoticed.
                using var file = new FileStream(Path.Combine(folder, $"{resource.TypeName}-{resource.Id}.json"), FileMode.CreateNew, FileAccess.Write);
                using var writer = new StreamWriter(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                writer.Write(json.SerializeToString(resource));
            }
        }
    }
}
