using System.Text;
using System.Text.RegularExpressions;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.LabReports;

/// <summary>
/// <see cref="HgvsAccessions.TrySplit"/> reads "REF:k.CHANGE" by hand; it must accept and split exactly what the
/// pattern it replaced did (kept here as the oracle), on real expressions and on fixed-seed mutations of them.
/// </summary>
[Trait("Tier", "Fast")]
public sealed partial class HgvsAccessionsTests
{
    private static readonly string[] Expressions =
    [
        "NM_000546.5:c.215C>G", "NG_012232.1(NM_004006.2):c.93+1G>T", "NC_000023.11:g.33344590_33344592del",
        "ENST00000357654.9:c.68_69del", "LRG_199t1:c.79_80del", "NP_000537.3:p.(Arg273His)", "NC_012920.1:m.8993T>G",
        "NR_003051.3:n.1A>G", "NM_004006.2:r.93g>u", "ENSG00000141510:g.1A>G", "NM_000546.5(TP53):c.1A>G", "LRG_199p1:p.Arg1Cys",
        "c.215C>G", "NM_000546.5:c.", "NM_000546.5:x.1A>G", "NM_000546.5:c.215C>G\n", "NM_000546.5:c.215C>G\n\n",
        "NM_000546.5\n:c.1A>G", "NM_000546.5:c.215 C>G", ":c.1A>G", "nm_000546.5:c.1A>G", "NM_000546.5:c.1A>G:c.2A>G",
        "NM_000546:c.1A>G\u00a0", "NM_000546.5:c.\u20281A>G", "NM_000546.5:c.1A>G\r", "NM_000546.5::c.1A>G", "NM_000546.5:cc.1A>G",
    ];

    [Fact]
    public void TrySplit_RealAndMutatedExpressions_SameAsThePattern()
    {
        var random = new Random(20261207);
        const string alphabet = "NMCGPRT_0123456789.:()cgmnpr>ACGTdelins+- \n\u00a0LRGENSt";
        var inputs = new List<string>(Expressions);
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder(Expressions[random.Next(Expressions.Length)]);
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0: text.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    case 1 when at < text.Length: text.Remove(at, 1); break;
                    default: if (at < text.Length) text[at] = alphabet[random.Next(alphabet.Length)]; break;
                }
            }

            inputs.Add(text.ToString());
        }

        var accepted = 0;
        foreach (var input in inputs)
        {
            var match = Oracle().Match(input);
            var split = HgvsAccessions.TrySplit(input, out var reference, out var kind);
            Assert.True(match.Success == split, $"'{input}': pattern {match.Success}, TrySplit {split}");
            if (!split) continue;
            accepted++;
            Assert.Equal(match.Groups["ref"].Value, reference);
            Assert.Equal(match.Groups["kind"].Value[0], kind);
        }

        Assert.True(accepted > 2_000, $"only {accepted} accepted: the mutations test too little that splits");
    }

    [GeneratedRegex(@"^(?<ref>(?:[A-Z]{2}_\d+(?:\.\d+)?|ENS[A-Z]*[GTP]\d+(?:\.\d+)?|LRG_\d+(?:[tp]\d+)?)(?:\([A-Za-z0-9_.\-]+\))?):(?<kind>[cgmnpr])\.\S+$", RegexOptions.CultureInvariant)]
    private static partial Regex Oracle();
}
