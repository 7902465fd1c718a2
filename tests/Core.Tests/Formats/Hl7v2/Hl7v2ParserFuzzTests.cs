using PrecisionMed.Core.Formats.Hl7v2;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Testing.Fuzzing;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>
/// Fixed-seed fuzzing of the HL7 v2 front door: whatever bytes a lab sends, splitting and parsing
/// either succeed (and every value of what parsed can be read) or throw
/// <see cref="LabFileRejectedException"/> with a position, never anything else.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2ParserFuzzTests
{
    private static readonly int Cases = FuzzCases.Of(10_000);

    private static ReadOnlySpan<byte> StructuralBytes => "|^~\\&\r\n#"u8;

    [Fact]
    public void SplitAndParse_MutatedCorpusMessages_OnlyPositionedRejectionsEscape()
    {
        var random = new Random(2026);
        var inputs = CorpusFiles().Select(Corpus).Select(WrapFragment).ToList();
        var (filesRejected, parsed, messagesRejected, diagnostics) = (0, 0, 0, 0);
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var i = 0; i < Cases; i++)
        {
            var bytes = Mutate(inputs[random.Next(inputs.Count)], random);
            try
            {
                var batch = Hl7v2MessageSplitter.Split(bytes);
                Assert.NotEmpty(batch.Messages);
                Assert.All(batch.Diagnostics, AssertPositioned);
                foreach (var slice in batch.Messages)
                {
                    try
                    {
                        var message = Hl7v2Parser.ParseOruR01(slice);
                        ReadEverything(message);
                        Assert.All(message.Diagnostics, AssertPositioned);
                        diagnostics += message.Diagnostics.Count;
                        parsed++;
                    }
                    catch (LabFileRejectedException ex)
                    {
                        messagesRejected++;
                        Count(reasons, ex.Problem);
                        AssertPositioned(ex.Problem);
                    }
                }
            }
            catch (LabFileRejectedException ex)
            {
                filesRejected++;
                Count(reasons, ex.Problem);
                AssertPositioned(ex.Problem);
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"Case {i}: {ex.GetType().Name} escaped: {ex}");
            }
        }

        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{Cases} cases: {parsed} messages parsed ({diagnostics} diagnostics), {messagesRejected} messages rejected, {filesRejected} files rejected");
        foreach (var (reason, count) in reasons.OrderByDescending(r => r.Value)) output?.WriteLine($"{count,6}  {reason}");

        // The mutations must exercise both paths, or the test proves little.
        Assert.True(parsed > Cases / 10, $"only {parsed} mutated messages still parsed");
        Assert.True(messagesRejected + filesRejected > Cases / 10, $"only {messagesRejected + filesRejected} rejections");
    }

    /// <summary>An OBX-only fragment becomes a message, so its genomic OBX rows get parsed rather than all rejected for no MSH.</summary>
    private static byte[] WrapFragment(byte[] file) =>
        file.AsSpan().StartsWith("OBX"u8) ? [.. Bytes(Oru("\n").Split('\n')[0] + "\nPID|1||X\nOBR|1\n"), .. file] : file;

    private static void AssertPositioned(LabFileProblem problem)
    {
        Assert.False(string.IsNullOrWhiteSpace(problem.Reason));
        Assert.NotEqual(SourcePosition.None, problem.Position);
        Assert.True(problem.Position.Line > 0, $"no line in {problem}");
        Assert.NotEqual("(whole file)", problem.Position.ToString());
    }

    private static void Count(Dictionary<string, int> reasons, LabFileProblem problem)
    {
        // Group by the reason's wording up to the first number or colon, so the summary stays short.
        var reason = problem.Reason;
        var cut = reason.IndexOfAny([':', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
        var key = cut > 0 ? reason[..cut] : reason;
        reasons[key] = reasons.GetValueOrDefault(key) + 1;
    }

    /// <summary>Reads every repetition, component and subcomponent of every field, as a mapper could.</summary>
    private static void ReadEverything(Hl7v2Message message)
    {
        foreach (var segment in message.Segments())
        {
            _ = segment.Id;
            _ = segment.Position;
            for (var f = 1; f <= segment.FieldCount + 1; f++)
            {
                var field = segment.Field(f);
                _ = field.Value;
                _ = field.IsNull;
                for (var r = 1; r <= field.RepetitionCount; r++)
                {
                    var repetition = field.Repetition(r);
                    for (var c = 1; c <= repetition.ComponentCount + 1; c++)
                    {
                        var component = repetition.Component(c);
                        _ = component.Value;
                        for (var s = 1; s <= component.SubcomponentCount; s++) _ = component.Subcomponent(s).Value;
                    }
                }
            }

            _ = segment.Field(Math.Max(segment.FieldCount, 1)).Component(1).Subcomponent(1).Position;
        }

        _ = (message.MessageType, message.TriggerEvent, message.ControlId, message.Version);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var mutations = random.Next(1, 5);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            // A third of the time aim at the header, where the delimiters and message type live.
            var position = random.Next(3) == 0 ? random.Next(Math.Min(bytes.Count, 120)) : random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0:
                    bytes[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(position, (byte)random.Next(256));
                    break;
                case 2:
                    bytes.Insert(position, StructuralBytes[random.Next(StructuralBytes.Length)]);
                    break;
                case 3:
                    bytes.RemoveRange(position, Math.Min(random.Next(1, 16), bytes.Count - position));
                    break;
                case 4:
                    bytes.RemoveRange(position, bytes.Count - position);
                    break;
                case 5:
                    DuplicateSegment(bytes, position, random);
                    break;
                case 6:
                    bytes.InsertRange(position, random.Next(2) == 0 ? [0x0B] : [0x1C, 0x0D]);
                    break;
                default:
                    bytes[position] = StructuralBytes[random.Next(StructuralBytes.Length)];
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Copies the segment around a position (to its terminator) to another segment boundary.</summary>
    private static void DuplicateSegment(List<byte> bytes, int position, Random random)
    {
        var start = position;
        while (start > 0 && bytes[start - 1] is not ((byte)'\r' or (byte)'\n')) start--;
        var end = position;
        while (end < bytes.Count && bytes[end] is not ((byte)'\r' or (byte)'\n')) end++;
        if (end < bytes.Count) end++;
        var segment = bytes.GetRange(start, end - start);

        var target = random.Next(bytes.Count + 1);
        while (target < bytes.Count && target > 0 && bytes[target - 1] is not ((byte)'\r' or (byte)'\n')) target++;
        bytes.InsertRange(target, segment);
    }
}
