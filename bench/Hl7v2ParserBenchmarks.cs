using BenchmarkDotNet.Attributes;
using PrecisionMed.Core.Formats.Hl7v2;

namespace PrecisionMed.Bench;

/// <summary>
/// The HL7 v2 parser on the general-lab ORU messages from microsoft/FHIR-Converter's samples. The
/// baseline is split + parse + header check (what every unit pays); splitting alone and reading
/// every value as text (the most a mapper could ask) show as ratios around it.
/// </summary>
[MemoryDiagnoser]
public class Hl7v2ParserBenchmarks
{
    private byte[] _content = [];

    [ParamsSource(nameof(Messages))]
    public string Message { get; set; } = string.Empty;

    public static IEnumerable<string> Messages() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "hl7v2"), "msft_*.hl7").Select(Path.GetFileName).Order()!;

    [GlobalSetup]
    public void Setup() => _content = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "hl7v2", Message));

    [Benchmark]
    public Hl7v2Batch Split() => Hl7v2MessageSplitter.Split(_content);

    [Benchmark(Baseline = true)]
    public Hl7v2Message Parse() => Hl7v2Parser.ParseOruR01(Hl7v2MessageSplitter.Split(_content).Messages[0]);

    [Benchmark]
    public int ParseAndReadEveryValue()
    {
        var message = Hl7v2Parser.ParseOruR01(Hl7v2MessageSplitter.Split(_content).Messages[0]);
        var characters = 0;
        foreach (var segment in message.Segments())
        {
            for (var f = 1; f <= segment.FieldCount; f++)
            {
                var field = segment.Field(f);
                for (var r = 1; r <= field.RepetitionCount; r++)
                {
                    var repetition = field.Repetition(r);
                    for (var c = 1; c <= repetition.ComponentCount; c++)
                        characters += repetition.Component(c).Value.Length;
                }
            }
        }

        return characters;
    }
}
