using System.Security.Cryptography;
using System.Text;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Import;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>
/// Where a VCF sample column's patient comes from: the manifest (strictly read), else the header's <c>##SAMPLE</c> /
/// <c>##PEDIGREE</c> lines or the column name only where the lab's profile says they carry patient identifiers, else nowhere.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class VcfIdentitySourceTests
{
    private const string System = "urn:oid:2.16.840.1.113883.19.5.7";
    private static readonly byte[] Exome = TestFiles.Read("vcf/vcf2fhir/NB6TK328_filtered.vcf");

    [Fact]
    public async Task Manifest_PatientAccessionSpecimenAndTestCodeAsStated()
    {
        var manifest = VcfManifest.Parse(Encoding.UTF8.GetBytes("""
            {"vcf": "run.vcf", "samples": [{"sample": "NB6TK328",
              "patient": {"identifier": {"system": "urn:oid:1.2.3", "value": "MRN-1"}, "family": "Doe", "given": ["Jane"], "birthDate": "1970-01-01", "sex": "female"},
              "accession": "ACC-1", "specimen": "SPM-1", "testCode": {"system": "http://loinc.org", "code": "51969-4"}}]}
            """));

        var report = await MapAsync(Exome, null, manifest);

        Assert.Equal("ACC-1", report.Accession);
        Assert.Equal(new PatientIdentifier("urn:oid:1.2.3", "MRN-1"), Assert.Single(report.Patient.Identifiers));
        Assert.Equal(("Doe", "1970-01-01", "female"), (report.Patient.FamilyName, report.Patient.BirthDate, report.Patient.Gender));
        Assert.Equal("SPM-1", report.Specimen!.Identifier);
        Assert.Equal("51969-4", report.TestCode!.Codings[0].Code);
    }

    [Fact]
    public async Task ManifestWithoutAccession_DerivedFromTheContentNeverTheFileName()
    {
        var report = await MapAsync(Exome, null, TestVcfManifests.For("run.vcf", Exome));

        Assert.Equal("vcf-sha256:" + Hash + ":sample-1", report.Accession);
    }

    [Fact]
    public async Task SampleHeaderProfile_IndividualIsThePatientIdentifier()
    {
        var vcf = WithHeaderLine(Exome, "##SAMPLE=<ID=NB6TK328,Individual=MRN-77,Description=\"germline\">");

        var report = await MapAsync(vcf, new VcfIdentityProfile(VcfIdentityProfile.SampleHeader, System), null);

        Assert.Equal(new PatientIdentifier(System, "MRN-77"), Assert.Single(report.Patient.Identifiers));
    }

    [Fact]
    public async Task SampleHeaderProfile_PedigreeOriginalLeadsToItsIndividual()
    {
        var vcf = WithHeaderLine(Exome, "##SAMPLE=<ID=GERMLINE,Individual=MRN-88>\n##PEDIGREE=<ID=NB6TK328,Original=GERMLINE>");

        var report = await MapAsync(vcf, new VcfIdentityProfile(VcfIdentityProfile.SampleHeader, System), null);

        Assert.Equal("MRN-88", Assert.Single(report.Patient.Identifiers).Value);
    }

    [Fact]
    public async Task SampleColumnProfile_TheColumnNameIsThePatientIdentifier()
    {
        var report = await MapAsync(Exome, new VcfIdentityProfile(VcfIdentityProfile.SampleColumn, System), null);

        Assert.Equal(new PatientIdentifier(System, "NB6TK328"), Assert.Single(report.Patient.Identifiers));
    }

    [Fact]
    public async Task SampleHeaderProfileButNoSampleLine_NoIdentity()
    {
        var missing = await Assert.ThrowsAsync<VcfIdentityMissingException>(
            () => MapAsync(Exome, new VcfIdentityProfile(VcfIdentityProfile.SampleHeader, System), null));

        Assert.True(missing.ManifestMissing);
        Assert.Contains("no ##SAMPLE line with an Individual", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SampleLineWithoutAProfileSayingSo_NotTakenForAPatient()
    {
        var vcf = WithHeaderLine(Exome, "##SAMPLE=<ID=NB6TK328,Individual=MRN-77>");

        var missing = await Assert.ThrowsAsync<VcfIdentityMissingException>(() => MapAsync(vcf, null, null));

        Assert.Equal(
            "no patient identity for sample column 1: no manifest (the VCF's file name + .manifest.json), and the lab profile names no VCF identity source",
            missing.Message);
    }

    [Fact]
    public async Task SingleSampleStatement_AnswersForAMultiSampleFileNever()
    {
        var multi = TestFiles.Read("vcf/edge/bcftools_haploid-diploid.vcf");
        Assert.True(TestVcfManifests.ColumnsOf(multi).Count > 1);
        var stated = VcfManifest.ForSingleSample("run.vcf", new PatientIdentifier(System, "MRN-1"), "ACC-1");

        Assert.Equal("ACC-1", (await MapAsync(Exome, null, stated)).Accession);
        await Assert.ThrowsAsync<VcfIdentityMissingException>(() => MapAsync(multi, null, stated));
    }

    [Theory]
    [InlineData("""{"vcf": "a.vcf", "samples": [{"sample": "S", "patient": {"identifier": {"system": "urn:oid:1", "value": "SECRET-1"}}, "acession": "X"}]}""", "$.samples[0]", "has a member it does not define")]
    [InlineData("""{"vcf": "a.vcf", "samples": [{"sample": "S", "patient": {"family": "SECRET-1"}}]}""", "$.samples[0].patient.identifier", "is required")]
    [InlineData("""{"vcf": "a.vcf", "samples": [{"sample": "S", "patient": {"identifier": {"system": "SECRET-1", "value": "v"}}}]}""", "$.samples[0].patient.identifier.system", "must be an absolute URI")]
    [InlineData("""{"vcf": "a.vcf", "samples": [{"sample": "S", "patient": {"identifier": {"system": "urn:oid:1", "value": "v"}, "sex": "SECRET-1"}}]}""", "$.samples[0].patient.sex", "must be one of female, male, other, unknown")]
    [InlineData("""{"vcf": "a.vcf", "samples": [{"sample": "S", "patient": {"identifier": {"system": "urn:oid:1", "value": "v"}, "birthDate": "SECRET-1"}}]}""", "$.samples[0].patient.birthDate", "must be a date")]
    [InlineData("""{"vcf": "a.vcf", "samples": []}""", "$.samples", "must be a non-empty array")]
    [InlineData("""{"vcf": "a.vcf", "samples": [{"sample": "S", "patient": {"identifier": {"system": "urn:oid:1", "value": "v"}}}, {"sample": "S", "patient": {"identifier": {"system": "urn:oid:1", "value": "SECRET-1"}}}]}""", "$.samples[1].sample", "an earlier entry already names")]
    public void Parse_Invalid_PathAndReasonWithoutTheValue(string json, string path, string reason)
    {
        var error = Assert.Throws<LabFileRejectedException>(() => VcfManifest.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(path, error.Problem.Position.Path);
        Assert.Contains(reason, error.Problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotJson_LineAndColumn()
    {
        var error = Assert.Throws<LabFileRejectedException>(() => VcfManifest.Parse("{\n  \"vcf\": SECRET}"u8));

        Assert.Equal(2, error.Problem.Position.Line);
        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabProfileReader_VcfIdentityRead()
    {
        var json = """{"labs": [{"labId": "lab-x", "vcfIdentity": {"source": "sampleHeader", "identifierSystem": "urn:oid:1.2.3"}}, {"labId": "lab-y", "vcfIdentity": {"source": "fileName"}}]}""";
        var diagnostics = new ImportDiagnostics("lab_profiles.json");
        var documents = new List<KnowledgeDocument>();
        await foreach (var document in new LabProfileReader().ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), diagnostics, TestContext.Current.CancellationToken))
            documents.Add(document);

        var profiles = documents.OfType<LabProfileDocument>().ToDictionary(p => p.LabId);
        Assert.Equal(new VcfIdentityProfile("sampleHeader", "urn:oid:1.2.3"), profiles["lab-x"].VcfIdentity);
        Assert.Null(profiles["lab-y"].VcfIdentity);
        Assert.Equal(1, diagnostics.Count);
    }

    private static readonly string Hash = Convert.ToHexStringLower(SHA256.HashData(Exome));

    private static async Task<LabReport> MapAsync(byte[] vcf, VcfIdentityProfile? identity, VcfManifest? manifest)
    {
        var ct = TestContext.Current.CancellationToken;
        var reader = await VcfReader.OpenAsync(new MemoryStream(vcf), ct);
        var hash = Convert.ToHexStringLower(SHA256.HashData(vcf));
        var provenance = new ReportProvenance("lab-x", "incoming/lab-x/run.vcf", hash, "run.vcf", 0, reader.Header.Samples.Count, DateTimeOffset.UnixEpoch, "test")
        {
            Manifest = manifest,
        };
        var profile = new LabProfileDocument("lab-x", null, "GRCh38", null, null, ["vcf"], identity);
        return await new VcfReportMapper(new VcfOptions(), new OneProfile(profile)).MapAsync(reader, provenance, ct);
    }

    private static byte[] WithHeaderLine(byte[] vcf, string line)
    {
        var text = Encoding.UTF8.GetString(vcf);
        var chrom = text.IndexOf("#CHROM", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text[..chrom] + line + "\n" + text[chrom..]);
    }

    private sealed class OneProfile(LabProfileDocument profile) : IVariantKnowledge
    {
        public ValueTask<bool> IsKnownAsync(KnownVariantQuery variant, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask<IReadOnlyList<PharmacogenePositions>> PharmacogenePositionsAsync(string genomeBuild, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<PharmacogenePositions>>([]);

        public ValueTask<VcfLabProfile?> LabProfileAsync(string labId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(labId == profile.LabId ? StoreVariantKnowledge.ForVcf(profile) : null);
    }
}
