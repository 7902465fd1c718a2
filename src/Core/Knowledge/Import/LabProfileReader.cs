using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// Lab profiles in JSON: <c>{"labs": [{"labId", "name", "genomeBuild", "sourceClass", "patientIdentifierSystem",
/// "formats": [...], "vcfIdentity": {"source": "sampleHeader|sampleColumn", "identifierSystem"},
/// "codeMap": [{"system", "code", "loinc", "display"}]}]}</c>; a profile document per lab and a
/// code document per mapped local code.
/// </summary>
public sealed class LabProfileReader : IKnowledgeSourceReader
{
    public async IAsyncEnumerable<KnowledgeDocument> ReadAsync(
        Stream content, ImportDiagnostics diagnostics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var json = await PharmCatJson.ParseAsync(content, diagnostics, cancellationToken);
        if (json is null) yield break;
        if (!json.RootElement.TryGetProperty("labs", out var labs) || labs.ValueKind != JsonValueKind.Array)
        {
            diagnostics.Add(1, "labs", "not a lab profile file: no labs array");
            yield break;
        }

        var index = 0;
        foreach (var lab in labs.EnumerateArray())
        {
            index++;
            if (PharmCatJson.String(lab, "labId") is not { Length: > 0 } labId)
            {
                diagnostics.Add(1, $"labs[{index}].labId", "a lab without a labId was not imported");
                continue;
            }

            yield return new LabProfileDocument(
                labId,
                PharmCatJson.String(lab, "name"),
                PharmCatJson.String(lab, "genomeBuild") is { } build ? KnowledgeIds.NormaliseBuild(build) : null,
                PharmCatJson.String(lab, "sourceClass"),
                PharmCatJson.String(lab, "patientIdentifierSystem"),
                lab.TryGetProperty("formats", out var formats) ? [.. formats.EnumerateArray().Select(f => f.GetString()).OfType<string>()] : [],
                VcfIdentity(lab, index, diagnostics));

            if (!lab.TryGetProperty("codeMap", out var codeMap)) continue;
            foreach (var code in codeMap.EnumerateArray())
            {
                var local = PharmCatJson.String(code, "code");
                var loinc = PharmCatJson.String(code, "loinc");
                if (local is null || loinc is null)
                {
                    diagnostics.Add(1, $"labs[{index}].codeMap", "a mapping without code or loinc was not imported");
                    continue;
                }

                yield return new LabCodeDocument(labId, PharmCatJson.String(code, "system"), local, loinc, PharmCatJson.String(code, "display"));
            }
        }
    }

    private static VcfIdentityProfile? VcfIdentity(JsonElement lab, int index, ImportDiagnostics diagnostics)
    {
        if (!lab.TryGetProperty("vcfIdentity", out var identity)) return null;
        var source = identity.ValueKind == JsonValueKind.Object ? PharmCatJson.String(identity, "source") : null;
        var system = identity.ValueKind == JsonValueKind.Object ? PharmCatJson.String(identity, "identifierSystem") : null;
        if (source is not (VcfIdentityProfile.SampleHeader or VcfIdentityProfile.SampleColumn) || !Uri.TryCreate(system, UriKind.Absolute, out _))
        {
            diagnostics.Add(1, $"labs[{index}].vcfIdentity",
                "must be {\"source\": \"sampleHeader\" or \"sampleColumn\", \"identifierSystem\": an absolute URI}; the lab's VCFs then need a manifest");
            return null;
        }

        return new VcfIdentityProfile(source, system!);
    }
}
