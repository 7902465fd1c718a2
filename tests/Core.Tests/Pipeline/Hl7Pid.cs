using System.Text;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>A real corpus HL7 v2 message with fields of its PID segment changed, and nothing else.</summary>
internal static class Hl7Pid
{
    /// <summary>Sets PID fields (1-based field number to its new value) in every PID segment of the message.</summary>
    public static byte[] With(byte[] message, params (int Field, string Value)[] changes)
    {
        var segments = Encoding.UTF8.GetString(message).Split('\r');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!segments[i].StartsWith("PID|", StringComparison.Ordinal)) continue;
            var fields = segments[i].Split('|').ToList();
            foreach (var (field, value) in changes)
            {
                while (fields.Count <= field) fields.Add(string.Empty);
                fields[field] = value;
            }

            segments[i] = string.Join('|', fields);
        }

        return Encoding.UTF8.GetBytes(string.Join('\r', segments));
    }
}
